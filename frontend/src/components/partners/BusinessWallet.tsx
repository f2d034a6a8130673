"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { Alert, Badge, Button, Card, CardBody, CardHeader, Spinner, TextField } from "@/components/ui";
import { money } from "@/components/settings/billing/WalletCard";
import { formatWhen } from "@/components/templates/format";
import { fundWallet, getWallet, listWalletEntries, openWallet, updateWalletTerms } from "@/lib/api/partners";
import type { PartnerBusiness, PartnerWallet, PartnerWalletEntry } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { partnerKeys } from "@/lib/query/keys";
import { useCursorQuery } from "@/lib/query/useCursorQuery";
import { usePartnerSession } from "./PartnerSessionProvider";

const MICROS = 1_000_000;

/** "12.50" (the wallet's currency) → 12_500_000 micro-units; null for anything that isn't a positive amount. */
export function toMicros(text: string): number | null {
  const value = Number(text.trim());
  if (!text.trim() || !Number.isFinite(value) || value <= 0) return null;
  return Math.round(value * MICROS);
}

function fieldError(error: unknown, field: string): string | undefined {
  const refusal = toApiError(error);
  return refusal.fieldErrors[field]?.[0];
}

/**
 * Wholesale billing of one business: while it pays its own plan, an offer to bill it through a prepaid wallet; then
 * the balance, this month's spend, a top-up, the markup and alert threshold, and the ledger. Admins act
 * (`manage_wallets`); support reads.
 */
export function BusinessWallet({ business }: { business: PartnerBusiness }) {
  const canManage = usePartnerSession().capabilities.manage_wallets;
  const loaded = useQuery({ queryKey: partnerKeys.wallet(business.id), queryFn: () => getWallet(business.id) });

  return (
    <Card>
      <CardHeader
        title={
          <span className="flex flex-wrap items-center gap-2">
            Wallet
            {loaded.data?.low_balance ? <Badge tone="amber">Low balance</Badge> : null}
          </span>
        }
        description="Wholesale billing: you fund a prepaid balance; each delivered paid message costs Meta's rate plus your markup."
      />
      <CardBody className="space-y-5">
        {loaded.isPending ? (
          <p role="status" className="flex items-center gap-2 text-sm text-slate-500">
            <Spinner /> Loading wallet…
          </p>
        ) : loaded.error ? (
          <Alert>{toApiError(loaded.error).message}</Alert>
        ) : loaded.data ? (
          <WalletDetails business={business} wallet={loaded.data} canManage={canManage} />
        ) : (
          <OpenWallet business={business} canManage={canManage} />
        )}
      </CardBody>
    </Card>
  );
}

function OpenWallet({ business, canManage }: { business: PartnerBusiness; canManage: boolean }) {
  const client = useQueryClient();
  const [markup, setMarkup] = useState("20");
  const [threshold, setThreshold] = useState("5");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const wallet = await openWallet(business.id, { markup_percent: markup, low_balance_micros: Math.round(Number(threshold) * MICROS) });
      client.setQueryData(partnerKeys.wallet(business.id), wallet);
      void client.invalidateQueries({ queryKey: partnerKeys.businessLists() });
      void client.invalidateQueries({ queryKey: partnerKeys.business(business.id) });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <p className="text-sm text-slate-700">
        {business.name} pays its own plan ({business.plan.name}). Bill it wholesale instead: it moves to an active plan you pay for, and its messages
        are paid from a balance you top up.
      </p>
      {canManage ? (
        <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3" aria-label="Bill wholesale">
          <TextField
            label="Your markup (%)"
            inputMode="decimal"
            value={markup}
            onChange={(event) => setMarkup(event.target.value)}
            error={fieldError(error, "markup_percent")}
            className="w-40"
          />
          <TextField
            label="Alert below"
            inputMode="decimal"
            value={threshold}
            onChange={(event) => setThreshold(event.target.value)}
            error={fieldError(error, "low_balance_micros")}
            className="w-40"
          />
          <Button type="submit" loading={busy}>
            Bill through a wallet
          </Button>
        </form>
      ) : null}
      {error && !fieldError(error, "markup_percent") && !fieldError(error, "low_balance_micros") ? <Alert>{toApiError(error).message}</Alert> : null}
    </>
  );
}

function WalletDetails({ business, wallet, canManage }: { business: PartnerBusiness; wallet: PartnerWallet; canManage: boolean }) {
  const spent = wallet.spent_this_month.reduce((sum, row) => sum + row.amount_micros, 0);
  return (
    <>
      <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[12rem_1fr]">
        <dt className="text-slate-500">Balance</dt>
        <dd className="text-lg font-semibold text-slate-900" data-testid="wallet-balance">
          {money(wallet.balance_micros, wallet.currency)}
        </dd>
        <dt className="text-slate-500">Spent this month</dt>
        <dd className="text-slate-900">
          {money(spent, wallet.currency)}
          {wallet.spent_this_month.map((row) => (
            <span key={row.category} className="ml-2 text-slate-500">
              {row.category}: {row.messages.toLocaleString()}
            </span>
          ))}
        </dd>
        <dt className="text-slate-500">Your markup</dt>
        <dd className="text-slate-900">{Number(wallet.markup_percent)} % over Meta&apos;s rate</dd>
        <dt className="text-slate-500">Low-balance alert below</dt>
        <dd className="text-slate-900">{money(wallet.low_balance_micros, wallet.currency)}</dd>
      </dl>
      {wallet.balance_micros <= 0 ? (
        <Alert>The balance is used up: {business.name} can&apos;t send until you top it up. Messages from its customers still arrive.</Alert>
      ) : null}
      {canManage ? (
        <div className="grid gap-6 md:grid-cols-2">
          <FundForm business={business} currency={wallet.currency} />
          <TermsForm business={business} wallet={wallet} />
        </div>
      ) : null}
      <Ledger business={business} currency={wallet.currency} />
    </>
  );
}

function FundForm({ business, currency }: { business: PartnerBusiness; currency: string }) {
  const client = useQueryClient();
  const [amount, setAmount] = useState("");
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [invalid, setInvalid] = useState(false);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const micros = toMicros(amount);
    setDone(null);
    setError(null);
    setInvalid(micros === null);
    if (micros === null) return;
    setBusy(true);
    try {
      const entry = await fundWallet(business.id, { amount_micros: micros, note: note.trim() });
      setDone(`Added ${money(entry.amount_micros, currency)}. The balance is ${money(entry.balance_after_micros, currency)}.`);
      setAmount("");
      setNote("");
      void client.invalidateQueries({ queryKey: partnerKeys.wallet(business.id) });
      void client.invalidateQueries({ queryKey: partnerKeys.businessLists() });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const amountError = invalid ? "Enter an amount above zero, like 25 or 12.50." : fieldError(error, "amount_micros");
  return (
    <form onSubmit={onSubmit} className="space-y-3" aria-label="Top up">
      <h3 className="text-sm font-semibold text-slate-900">Top up</h3>
      <TextField label={`Amount (${currency.toUpperCase()})`} inputMode="decimal" value={amount} onChange={(event) => setAmount(event.target.value)} error={amountError} />
      <TextField label="Note (optional)" value={note} maxLength={300} onChange={(event) => setNote(event.target.value)} />
      {error && !amountError ? <Alert>{toApiError(error).message}</Alert> : null}
      {done ? <Alert tone="success">{done}</Alert> : null}
      <Button type="submit" loading={busy}>
        Add funds
      </Button>
    </form>
  );
}

function TermsForm({ business, wallet }: { business: PartnerBusiness; wallet: PartnerWallet }) {
  const client = useQueryClient();
  const [markup, setMarkup] = useState(String(Number(wallet.markup_percent)));
  const [threshold, setThreshold] = useState(String(wallet.low_balance_micros / MICROS));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const thresholdMicros = threshold.trim() === "" ? undefined : Math.round(Number(threshold) * MICROS);
      const updated = await updateWalletTerms(business.id, { markup_percent: markup, low_balance_micros: thresholdMicros });
      client.setQueryData(partnerKeys.wallet(business.id), updated);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={onSubmit} className="space-y-3" aria-label="Terms">
      <h3 className="text-sm font-semibold text-slate-900">Terms</h3>
      <TextField label="Markup (%)" inputMode="decimal" value={markup} onChange={(event) => setMarkup(event.target.value)} error={fieldError(error, "markup_percent")} hint="Applies to messages delivered from now on." />
      <TextField
        label={`Alert below (${wallet.currency.toUpperCase()})`}
        inputMode="decimal"
        value={threshold}
        onChange={(event) => setThreshold(event.target.value)}
        error={fieldError(error, "low_balance_micros")}
        hint="You and the business's owner get one email when the balance falls below it."
      />
      {error && !fieldError(error, "markup_percent") && !fieldError(error, "low_balance_micros") ? <Alert>{toApiError(error).message}</Alert> : null}
      <Button type="submit" variant="secondary" loading={busy}>
        Save terms
      </Button>
    </form>
  );
}

const KIND_LABELS: Record<PartnerWalletEntry["kind"], string> = { funding: "Top-up", charge: "Message", adjustment: "Adjustment" };

function Ledger({ business, currency }: { business: PartnerBusiness; currency: string }) {
  const list = useCursorQuery<PartnerWalletEntry>(partnerKeys.walletEntries(business.id), (next) => listWalletEntries(business.id, next));
  return (
    <div>
      <h3 className="mb-2 text-sm font-semibold text-slate-900">Ledger</h3>
      {list.loading ? (
        <p role="status" className="flex items-center gap-2 text-sm text-slate-500">
          <Spinner /> Loading…
        </p>
      ) : list.items.length === 0 ? (
        <p className="text-sm text-slate-500">No entries yet: top the wallet up to let {business.name} send.</p>
      ) : (
        <table className="w-full text-left text-sm" aria-label="Ledger">
          <thead className="text-slate-500">
            <tr>
              <th className="py-1 font-medium">When</th>
              <th className="py-1 font-medium">What</th>
              <th className="py-1 text-right font-medium">Meta</th>
              <th className="py-1 text-right font-medium">Your markup</th>
              <th className="py-1 text-right font-medium">Amount</th>
              <th className="py-1 text-right font-medium">Balance</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((entry) => (
              <tr key={entry.id} className="border-t border-slate-100">
                <td className="py-1">{formatWhen(entry.created_at)}</td>
                <td className="py-1">
                  {KIND_LABELS[entry.kind]}
                  {entry.kind === "charge" ? ` · ${entry.category}${entry.country ? ` · ${entry.country}` : ""}` : entry.note ? ` · ${entry.note}` : ""}
                  {entry.kind === "funding" && entry.actor_email ? <span className="text-slate-500"> · {entry.actor_email}</span> : null}
                </td>
                <td className="py-1 text-right tabular-nums">{entry.meta_rate_micros === null ? "" : money(entry.meta_rate_micros, currency)}</td>
                <td className="py-1 text-right tabular-nums">{entry.markup_micros === null ? "" : money(entry.markup_micros, currency)}</td>
                <td className="py-1 text-right tabular-nums">{money(entry.amount_micros, currency)}</td>
                <td className="py-1 text-right tabular-nums">{money(entry.balance_after_micros, currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.error ? <Alert className="mt-3">{list.error}</Alert> : null}
      {list.hasMore ? (
        <Button variant="secondary" size="sm" className="mt-3" loading={list.loadingMore} onClick={list.loadMore}>
          Load more
        </Button>
      ) : null}
    </div>
  );
}
