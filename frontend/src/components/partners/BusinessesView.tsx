"use client";

import Link from "next/link";
import { useState } from "react";

import { listBusinesses, type BusinessQuery, type BusinessStatus } from "@/lib/api/partners";
import type { PartnerBusiness } from "@/lib/api/types";
import { partnerKeys } from "@/lib/query/keys";
import { useCursorQuery } from "@/lib/query/useCursorQuery";
import { useDebounced } from "@/hooks/useDebounced";
import { PageHeader } from "@/components/app/PageHeader";
import { formatWhen } from "@/components/templates/format";
import { Alert, Badge, Button, buttonClasses, Card, EmptyState, Input, Select, Spinner } from "@/components/ui";
import { money } from "@/components/settings/billing/WalletCard";
import { businessStatus, hostOf, planStatus } from "./format";
import { BusinessIcon } from "./icons";
import { NumberHealthList } from "./NumberHealth";
import { usePartnerSession } from "./PartnerSessionProvider";
import { UsageMeter } from "./UsageMeter";

export const NEW_BUSINESS_PATH = "/partners/businesses/new";

export const businessPath = (id: number) => `/partners/businesses/${id}`;

const STATUS_FILTERS: ReadonlyArray<{ value: BusinessStatus | ""; label: string }> = [
  { value: "", label: "All businesses" },
  { value: "active", label: "Active" },
  { value: "suspended", label: "Suspended" },
];

const COLUMNS = ["Business", "Status", "Plan", "Messages this month", "Numbers", "Last activity"] as const;

function BusinessRow({ business }: { business: PartnerBusiness }) {
  const status = businessStatus(business);
  const plan = planStatus(business.plan.status);
  return (
    <tr data-testid="business-row" aria-label={business.name} className="border-b border-slate-50 align-top last:border-0 hover:bg-slate-50">
      <td className="px-5 py-3">
        <Link href={businessPath(business.id)} className="font-medium text-brand-800 hover:underline">
          {business.name}
        </Link>
        <span className="block text-xs text-slate-500">{hostOf(business.url)}</span>
      </td>
      <td className="px-3 py-3">
        <div className="flex flex-wrap gap-1">
          <Badge tone={status.tone}>{status.label}</Badge>
          {/* The business's owner turned its reseller's access off: entering is refused until they turn it on. */}
          {business.reseller_access ? null : <Badge tone="amber">Access off</Badge>}
        </div>
      </td>
      <td className="px-3 py-3">
        <span className="block text-slate-800">{business.plan.name}</span>
        <Badge tone={plan.tone} className="mt-1">
          {plan.label}
        </Badge>
        {business.wallet ? (
          <span className={`mt-1 block text-xs ${business.wallet.low_balance ? "text-amber-700" : "text-slate-500"}`} data-testid="wallet-brief">
            Wallet {money(business.wallet.balance_micros, business.wallet.currency)}
          </span>
        ) : null}
      </td>
      <td className="px-3 py-3">
        <UsageMeter usage={business.usage} />
      </td>
      <td className="px-3 py-3">
        <NumberHealthList numbers={business.numbers} />
      </td>
      <td className="px-5 py-3 text-xs text-slate-500">{business.last_activity_at ? formatWhen(business.last_activity_at) : "None yet"}</td>
    </tr>
  );
}

/** The console's home: the reseller's client businesses, newest first, searchable and filtered by status. */
export function BusinessesView() {
  const { capabilities } = usePartnerSession();
  const [search, setSearch] = useState("");
  const [status, setStatus] = useState<BusinessStatus | "">("");
  const q = useDebounced(search.trim(), 300);
  const query: BusinessQuery = { q, status };
  const list = useCursorQuery<PartnerBusiness>(partnerKeys.businesses(query), (next) => listBusinesses(query, next), { keepPrevious: true });
  const filtered = Boolean(q || status);

  const newButton = capabilities.manage_businesses ? (
    <Link href={NEW_BUSINESS_PATH} className={buttonClasses("primary")}>
      New business
    </Link>
  ) : null;

  return (
    <>
      <PageHeader title="Businesses" description="Your clients' ConvoNest businesses: their plan, this month's messages and number health." actions={newButton} />
      <Card className="mb-4">
        <div className="flex flex-wrap gap-3 px-5 py-3">
          <Input
            type="search"
            aria-label="Search businesses"
            placeholder="Search by name or address"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            className="max-w-xs"
          />
          <Select aria-label="Status" value={status} onChange={(event) => setStatus(event.target.value as BusinessStatus | "")} className="max-w-48">
            {STATUS_FILTERS.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </Select>
        </div>
      </Card>
      {list.loading ? (
        <Card>
          <p role="status" className="flex items-center gap-2 px-5 py-6 text-sm text-slate-500">
            <Spinner /> Loading businesses…
          </p>
        </Card>
      ) : !list.error && list.items.length === 0 ? (
        filtered ? (
          <EmptyState
            title="No businesses match"
            description="No business has this name, address or status."
            action={
              <Button
                variant="secondary"
                onClick={() => {
                  setSearch("");
                  setStatus("");
                }}
              >
                Show every business
              </Button>
            }
          />
        ) : capabilities.manage_businesses ? (
          <EmptyState
            icon={<BusinessIcon className="size-6" />}
            title="Create your first client business"
            description="Each client gets a ConvoNest business of its own, at its own address. Its owner is invited by email; you and your team can enter it to help."
            action={newButton}
          />
        ) : (
          <EmptyState
            icon={<BusinessIcon className="size-6" />}
            title="No client businesses yet"
            description="Your reseller's admins create businesses. They will show here, and you can enter them to help."
          />
        )
      ) : (
        <Card aria-busy={list.updating || undefined} className={list.updating ? "opacity-60" : undefined}>
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="border-b border-slate-100 text-xs uppercase tracking-wide text-slate-500">
                <tr>
                  {COLUMNS.map((h, i) => (
                    <th key={h} scope="col" className={i === 0 || i === COLUMNS.length - 1 ? "px-5 py-2 font-medium" : "px-3 py-2 font-medium"}>
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {list.items.map((business) => (
                  <BusinessRow key={business.id} business={business} />
                ))}
              </tbody>
            </table>
          </div>
          {list.error ? <Alert className="m-3">{list.error}</Alert> : null}
          {list.hasMore ? (
            <div className="border-t border-slate-100 px-5 py-3">
              <Button variant="secondary" size="sm" loading={list.loadingMore} onClick={list.loadMore}>
                Load more
              </Button>
            </div>
          ) : null}
        </Card>
      )}
    </>
  );
}
