"use client";

import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";

import { Badge, Button, Card, EmptyState, Input, Select } from "@/components/ui";
import { useDebounced } from "@/hooks/useDebounced";
import { listPlatformBusinesses, listPlatformResellers, type PlatformBusiness, type PlatformBusinessQuery } from "@/lib/api/platform";
import { staffKeys } from "@/lib/query/keys";
import { useCursorQuery } from "@/lib/query/useCursorQuery";
import { CursorListFrame, ROW, TABLE, THEAD, Th } from "@/components/ui/CursorListFrame";
import { formatCount, formatWhen, subscriptionInfo } from "./format";

const RESELLER_CHOICES = 200;

function BusinessRow({ business }: { business: PlatformBusiness }) {
  const payment = subscriptionInfo(business.subscription_status);
  return (
    <tr className={ROW} data-testid="business-row" aria-label={business.name}>
      <td className="px-5 py-3">
        <div className="font-medium text-slate-900">{business.name}</div>
        <div className="font-mono text-xs text-slate-500">{business.host}</div>
        {business.is_active ? null : (
          <Badge tone="red" className="mt-1">
            Deactivated
          </Badge>
        )}
      </td>
      <td className="px-3 py-3">{business.reseller ? business.reseller.name : <span className="text-slate-500">Direct</span>}</td>
      <td className="px-3 py-3">
        <div className="font-mono text-xs">{business.plan ?? "—"}</div>
        <Badge tone={payment.tone} className="mt-1">
          {payment.label}
        </Badge>
      </td>
      <td className="px-3 py-3 text-right tabular-nums">{formatCount(business.member_count)}</td>
      <td className="px-3 py-3 text-right tabular-nums">{formatCount(business.number_count)}</td>
      <td className="px-3 py-3 text-right tabular-nums">{formatCount(business.messages_sent_this_month)}</td>
      <td className="px-5 py-3 text-xs text-slate-500">{formatWhen(business.created_at)}</td>
    </tr>
  );
}

/**
 * Every business, newest first: reseller, plan and payment state, members, connected numbers and this month's sent
 * messages. Search by slug or name; filter by reseller (or direct) and by active. `reseller` starts a filter (the
 * Resellers tab links here with one).
 */
export function BusinessesTab({ reseller = "" }: { reseller?: string }) {
  const [filters, setFilters] = useState<PlatformBusinessQuery>({ q: "", reseller, active: "" });
  const q = useDebounced(filters.q.trim(), 300);
  const query = useMemo<PlatformBusinessQuery>(() => ({ ...filters, q }), [filters, q]);
  const list = useCursorQuery<PlatformBusiness>(staffKeys.businesses(query), (next) => listPlatformBusinesses(query, next), { keepPrevious: true });
  const resellers = useQuery({ queryKey: staffKeys.resellerChoices(), queryFn: () => listPlatformResellers("", null, RESELLER_CHOICES) });
  const set = (patch: Partial<PlatformBusinessQuery>) => setFilters((current) => ({ ...current, ...patch }));
  const filtered = Boolean(query.q || query.reseller || query.active);

  return (
    <>
      <Card className="mb-4">
        <div className="grid gap-3 px-5 py-3 sm:grid-cols-[minmax(0,1fr)_14rem_11rem]">
          <Input type="search" aria-label="Search businesses" placeholder="Search by name or address" value={filters.q} onChange={(e) => set({ q: e.target.value })} />
          <Select aria-label="Reseller" value={filters.reseller} onChange={(e) => set({ reseller: e.target.value })}>
            <option value="">All resellers</option>
            <option value="none">Direct (no reseller)</option>
            {(resellers.data?.results ?? []).map((r) => (
              <option key={r.id} value={String(r.id)}>
                {r.name}
              </option>
            ))}
            {/* A reseller from a link that isn't among the choices (yet) still shows as chosen. */}
            {filters.reseller && filters.reseller !== "none" && !resellers.data?.results.some((r) => String(r.id) === filters.reseller) ? (
              <option value={filters.reseller}>Reseller #{filters.reseller}</option>
            ) : null}
          </Select>
          <Select aria-label="Status" value={filters.active} onChange={(e) => set({ active: e.target.value as PlatformBusinessQuery["active"] })}>
            <option value="">Active and deactivated</option>
            <option value="true">Active</option>
            <option value="false">Deactivated</option>
          </Select>
        </div>
      </Card>
      <CursorListFrame
        list={list}
        what="businesses"
        empty={
          <EmptyState
            title={filtered ? "No business matches" : "No businesses yet"}
            description={filtered ? "Try another search or filter." : "Businesses appear here as soon as they sign up."}
            action={
              filtered ? (
                <Button variant="secondary" onClick={() => setFilters({ q: "", reseller: "", active: "" })}>
                  Clear search and filters
                </Button>
              ) : undefined
            }
          />
        }
      >
        <table className={TABLE}>
          <thead className={THEAD}>
            <tr>
              <Th className="px-5">Business</Th>
              <Th>Reseller</Th>
              <Th>Plan</Th>
              <Th className="px-3 text-right">Members</Th>
              <Th className="px-3 text-right">Numbers</Th>
              <Th className="px-3 text-right">Sent this month</Th>
              <Th className="px-5">Signed up</Th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((business) => (
              <BusinessRow key={business.id} business={business} />
            ))}
          </tbody>
        </table>
      </CursorListFrame>
    </>
  );
}
