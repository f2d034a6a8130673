"use client";

import Link from "next/link";
import { useState } from "react";

import { Card, EmptyState, Input } from "@/components/ui";
import { useDebounced } from "@/hooks/useDebounced";
import { listPlatformResellers, type PlatformReseller } from "@/lib/api/platform";
import { staffKeys } from "@/lib/query/keys";
import { useCursorQuery } from "@/lib/query/useCursorQuery";
import { CursorListFrame, ROW, TABLE, THEAD, Th } from "@/components/ui/CursorListFrame";
import { formatCount, formatWhen } from "./format";

/** Every reseller, newest first, with its businesses (a link to them on the Businesses tab) and its people. */
export function ResellersTab() {
  const [search, setSearch] = useState("");
  const q = useDebounced(search.trim(), 300);
  const list = useCursorQuery<PlatformReseller>(staffKeys.resellers(q), (next) => listPlatformResellers(q, next), { keepPrevious: true });

  return (
    <>
      <Card className="mb-4">
        <div className="px-5 py-3">
          <Input type="search" aria-label="Search resellers" placeholder="Search by name or slug" value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
      </Card>
      <CursorListFrame
        list={list}
        what="resellers"
        empty={
          <EmptyState
            title={q ? "No reseller matches" : "No resellers yet"}
            description={q ? "Try another search." : "Resellers appear here when an agency signs up for the partner console."}
          />
        }
      >
        <table className={TABLE}>
          <thead className={THEAD}>
            <tr>
              <Th className="px-5">Reseller</Th>
              <Th className="px-3 text-right">Businesses</Th>
              <Th className="px-3 text-right">People</Th>
              <Th className="px-5">Since</Th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((reseller) => (
              <tr key={reseller.id} className={ROW} data-testid="reseller-row" aria-label={reseller.name}>
                <td className="px-5 py-3">
                  <div className="font-medium text-slate-900">{reseller.name}</div>
                  <div className="font-mono text-xs text-slate-500">{reseller.slug}</div>
                </td>
                <td className="px-3 py-3 text-right tabular-nums">
                  {reseller.business_count ? (
                    <Link
                      href={`/staff?tab=businesses&reseller=${reseller.id}`}
                      className="font-medium text-brand-700 hover:underline"
                      aria-label={`${reseller.name}'s ${reseller.business_count} businesses`}
                    >
                      {formatCount(reseller.business_count)}
                    </Link>
                  ) : (
                    "0"
                  )}
                </td>
                <td className="px-3 py-3 text-right tabular-nums">{formatCount(reseller.member_count)}</td>
                <td className="px-5 py-3 text-xs text-slate-500">{formatWhen(reseller.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </CursorListFrame>
    </>
  );
}
