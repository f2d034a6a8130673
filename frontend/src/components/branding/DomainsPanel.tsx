"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, useSyncExternalStore, type FormEvent } from "react";

import { domainsApi, domainStatus, type DomainScope, type DomainsApi } from "@/lib/api/domains";
import type { CustomDomain } from "@/lib/api/types";
import { toApiError, type ApiError } from "@/lib/apiClient";
import { brandingKeys } from "@/lib/query/keys";
import { Alert, Badge, Button, Card, CardBody, CardHeader, Spinner, TextField } from "@/components/ui";

export interface DomainsPanelProps {
  /** Whose domains: the business of this host (Settings → Domains) or the reseller's console (Brand). */
  scope: DomainScope;
  /** May add, check and remove domains (`manage_settings` on a business, `manage_brand` on the console). */
  canManage: boolean;
  /** The API to use instead of the scope's own (tests, another owner of domains). */
  api?: DomainsApi;
  /** Where a domain's CNAME should point; by default the address this page is on. */
  target?: string;
}

const COPY = {
  business: {
    description: "Serve this business at an address of your own, such as chat.example.com, instead of its subdomain.",
    empty: "No custom domain yet. The business is served at its own subdomain.",
    removeEffect: "The business stops answering at this address at once; its own subdomain keeps working.",
    readOnly: "Only owners and admins can add or remove domains.",
  },
  console: {
    description: "Serve your partner console at an address of your own, such as partners.example.com, in your brand.",
    empty: "No custom domain yet. Your console is served at the partner console's address.",
    removeEffect: "Your console stops answering at this address at once.",
    readOnly: "Only your reseller's admins can add or remove domains.",
  },
} satisfies Record<DomainScope, Record<string, string>>;

function dateTimeLabel(value: string | null): string {
  if (!value) return "never";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

const noSubscription = () => () => {};

/** The host of this page (after hydration; null on the server). */
function usePageHostname(): string | null {
  return useSyncExternalStore(
    noSubscription,
    () => window.location.hostname,
    () => null,
  );
}

/** A button that puts `value` on the clipboard and says so for a moment. */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => (timer.current ? clearTimeout(timer.current) : undefined), []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setState("copied");
    } catch {
      setState("failed");
    }
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => setState("idle"), 2000);
  }

  return (
    <Button size="sm" variant="secondary" className="h-7 shrink-0 px-2 text-xs" onClick={() => void copy()} aria-label={`Copy ${label}`}>
      <span aria-live="polite">{state === "copied" ? "Copied" : state === "failed" ? "Select and copy" : "Copy"}</span>
    </Button>
  );
}

/** One DNS record to add: what kind, where, what it holds, each value with a copy button. */
function DnsRecord({ type, name, value, valueLabel }: { type: string; name: string; value: string; valueLabel: string }) {
  return (
    <dl className="grid gap-x-3 gap-y-1.5 text-sm sm:grid-cols-[5rem_1fr]">
      <dt className="text-slate-500">Type</dt>
      <dd className="font-mono text-xs leading-7 text-slate-900">{type}</dd>
      <dt className="text-slate-500">Name</dt>
      <dd className="flex min-w-0 items-center gap-2">
        <code className="min-w-0 break-all rounded bg-white px-1.5 py-0.5 font-mono text-xs text-slate-900 ring-1 ring-slate-200">{name}</code>
        <CopyButton value={name} label={`${type} record name ${name}`} />
      </dd>
      <dt className="text-slate-500">{valueLabel}</dt>
      <dd className="flex min-w-0 items-center gap-2">
        <code className="min-w-0 break-all rounded bg-white px-1.5 py-0.5 font-mono text-xs text-slate-900 ring-1 ring-slate-200">{value}</code>
        <CopyButton value={value} label={`${type} record ${valueLabel.toLowerCase()} ${value}`} />
      </dd>
    </dl>
  );
}

interface DomainItemProps {
  domain: CustomDomain;
  scope: DomainScope;
  canManage: boolean;
  target: string | null;
  onVerify: (domain: CustomDomain) => Promise<void>;
  onRemove: (domain: CustomDomain) => Promise<void>;
}

function DomainItem({ domain, scope, canManage, target, onVerify, onRemove }: DomainItemProps) {
  const [busy, setBusy] = useState<"verify" | "remove" | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const verified = domainStatus(domain) === "verified";

  async function run(kind: "verify" | "remove", action: () => Promise<void>) {
    setBusy(kind);
    setError(null);
    try {
      await action();
      if (kind === "remove") return; // the item goes away
    } catch (err) {
      setError(toApiError(err).message);
    }
    setBusy(null);
  }

  return (
    <li className="px-5 py-4" aria-label={domain.domain}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex min-w-0 flex-wrap items-center gap-2">
          <span className="break-all font-medium text-slate-900">{domain.domain}</span>
          {verified ? <Badge tone="brand">Verified</Badge> : <Badge tone="amber">Waiting for DNS</Badge>}
        </div>
        {canManage ? (
          <div className="flex flex-wrap items-center gap-2">
            {!verified ? (
              <Button
                size="sm"
                variant="secondary"
                loading={busy === "verify"}
                disabled={busy !== null}
                onClick={() => void run("verify", () => onVerify(domain))}
                aria-label={`Check DNS now for ${domain.domain}`}
              >
                Check DNS now
              </Button>
            ) : null}
            {!confirming ? (
              <Button
                size="sm"
                variant="ghost"
                className="text-red-700"
                disabled={busy !== null}
                onClick={() => setConfirming(true)}
                aria-label={`Remove ${domain.domain}`}
              >
                Remove
              </Button>
            ) : null}
          </div>
        ) : null}
      </div>

      {verified ? (
        <p className="mt-1 text-sm text-slate-600">
          Verified <time dateTime={domain.verified_at ?? undefined}>{dateTimeLabel(domain.verified_at)}</time>.
          {target ? (
            <>
              {" "}
              Keep its CNAME record pointing at <code className="font-mono text-xs">{target}</code>.
            </>
          ) : null}
        </p>
      ) : (
        <div className="mt-3 space-y-4 rounded-lg border border-slate-200 bg-slate-50 p-4">
          <div>
            <h4 className="text-sm font-semibold text-slate-900">1. Prove it is yours</h4>
            <p className="mb-2 mt-0.5 text-sm text-slate-600">Add this TXT record at your DNS provider. Nothing is served at the domain before it is found.</p>
            <DnsRecord type="TXT" name={domain.txt_name} value={domain.txt_value} valueLabel="Value" />
          </div>
          <div>
            <h4 className="text-sm font-semibold text-slate-900">2. Point the domain at this app&apos;s address</h4>
            {target ? (
              <>
                <p className="mb-2 mt-0.5 text-sm text-slate-600">
                  Add a CNAME record for the domain to this app&apos;s address. A bare domain (example.com) can&apos;t have a CNAME: give it an A
                  record to the IP address <code className="font-mono text-xs">{target}</code> resolves to, or use your provider&apos;s ALIAS
                  or flattening.
                </p>
                <DnsRecord type="CNAME" name={domain.domain} value={target} valueLabel="Target" />
              </>
            ) : (
              <p className="mt-0.5 text-sm text-slate-600">
                Add a CNAME record for the domain to the address you use this app at (an A record to its IP address for a bare domain).
              </p>
            )}
          </div>
          <p className="text-sm text-slate-600">
            3. Then check. DNS changes can take a while to show; last checked{" "}
            <time dateTime={domain.last_checked_at ?? undefined}>{dateTimeLabel(domain.last_checked_at)}</time>.
          </p>
          {domain.last_error ? (
            <p role="status" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
              {domain.last_error}
            </p>
          ) : null}
        </div>
      )}

      {error ? (
        <p role="alert" className="mt-3 text-sm text-red-700">
          {error}
        </p>
      ) : null}

      {canManage && confirming ? (
        <div role="alertdialog" aria-label={`Remove ${domain.domain}?`} className="mt-3 rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-900">
          <p className="font-medium">Remove {domain.domain}?</p>
          <p className="mt-1 text-red-800">{COPY[scope].removeEffect} You can add it again later; it needs its TXT record checked again.</p>
          <div className="mt-3 flex flex-wrap gap-2">
            <Button size="sm" variant="danger" loading={busy === "remove"} onClick={() => void run("remove", () => onRemove(domain))}>
              Confirm remove
            </Button>
            <Button size="sm" variant="secondary" disabled={busy !== null} onClick={() => setConfirming(false)}>
              Cancel
            </Button>
          </div>
        </div>
      ) : null}
    </li>
  );
}

function AddDomainForm({ onAdd }: { onAdd: (domain: string) => Promise<void> }) {
  const [value, setValue] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      await onAdd(value.trim());
      setValue("");
    } catch (err) {
      setError(toApiError(err));
    }
    setPending(false);
  }

  const fieldError = error?.fieldError("domain");
  const formError = error && !fieldError ? (error.nonFieldErrors[0] ?? error.message) : null;
  return (
    <form onSubmit={(event) => void submit(event)} aria-label="Add a domain" className="space-y-3" noValidate>
      <div className="flex flex-wrap items-start gap-3">
        <TextField
          label="Domain"
          name="domain"
          className="min-w-0 flex-1 basis-64"
          placeholder="chat.example.com"
          autoComplete="off"
          spellCheck={false}
          inputMode="url"
          required
          value={value}
          onChange={(event) => setValue(event.target.value)}
          error={fieldError}
          hint="A domain or subdomain you control. You'll get the DNS records to add next."
        />
        <Button type="submit" loading={pending} disabled={!value.trim()} className="sm:mt-7">
          Add domain
        </Button>
      </div>
      {formError ? <Alert>{formError}</Alert> : null}
    </form>
  );
}

/**
 * Custom domains with DNS proof, for a business (Settings → Domains) or a reseller's console (Brand): each domain's
 * status, the TXT record that proves it and the CNAME that points it here (with copy buttons), "Check DNS now"
 * (which says why the record wasn't found yet), adding and removing. Read-only without `canManage`.
 */
export function DomainsPanel({ scope, canManage, api, target }: DomainsPanelProps) {
  const calls = api ?? domainsApi(scope);
  const queryClient = useQueryClient();
  const key = brandingKeys.domains(scope);
  const domains = useQuery({ queryKey: key, queryFn: calls.list });
  const pageHost = usePageHostname();
  const pointAt = target ?? pageHost;

  const replace = (fresh: CustomDomain) => {
    queryClient.setQueryData<CustomDomain[]>(key, (list = []) =>
      list.some((d) => d.id === fresh.id) ? list.map((d) => (d.id === fresh.id ? fresh : d)) : [...list, fresh],
    );
  };

  const onAdd = async (domain: string) => replace(await calls.create(domain));
  const onVerify = async (domain: CustomDomain) => replace(await calls.verify(domain.id));
  const onRemove = async (domain: CustomDomain) => {
    await calls.remove(domain.id);
    queryClient.setQueryData<CustomDomain[]>(key, (list = []) => list.filter((d) => d.id !== domain.id));
  };

  const list = domains.data ?? [];
  return (
    <Card>
      <CardHeader
        title="Custom domains"
        description={
          <>
            {COPY[scope].description}
            {canManage ? null : ` ${COPY[scope].readOnly}`}
          </>
        }
      />
      {domains.isPending ? (
        <p role="status" className="flex items-center gap-2 px-5 py-4 text-sm text-slate-500">
          <Spinner /> Loading domains…
        </p>
      ) : domains.error ? (
        <CardBody>
          <Alert>{toApiError(domains.error).message}</Alert>
        </CardBody>
      ) : list.length === 0 ? (
        <p className="px-5 py-6 text-center text-sm text-slate-500">{COPY[scope].empty}</p>
      ) : (
        <ul className="divide-y divide-slate-100" aria-label="Custom domains">
          {list.map((domain) => (
            <DomainItem key={domain.id} domain={domain} scope={scope} canManage={canManage} target={pointAt} onVerify={onVerify} onRemove={onRemove} />
          ))}
        </ul>
      )}
      {canManage ? (
        <div className="border-t border-slate-100 px-5 py-4">
          <AddDomainForm onAdd={onAdd} />
        </div>
      ) : null}
    </Card>
  );
}
