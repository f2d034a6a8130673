"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";

import { listTemplates } from "@/lib/api/templates";
import { templateKeys } from "@/lib/query/keys";

const SHOWN = 3;

/**
 * The inbox's notice when templates need attention (rejected, paused, disabled, quality dropped, category
 * changed): a line per template, linking to it, until someone acknowledges it. Refetched on template events.
 */
export function AttentionBanner() {
  const attention = useQuery({ queryKey: templateKeys.attention(), queryFn: () => listTemplates({ attention: true }, null, 20) });
  const items = attention.data?.results ?? [];
  if (items.length === 0) return null;
  const more = items.length - SHOWN;
  return (
    <div role="status" aria-label="Templates need attention" className="border-b border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-900">
      <strong>{items.length === 1 ? "A template needs attention:" : `${items.length}${attention.data?.next ? "+" : ""} templates need attention:`}</strong>{" "}
      {items.slice(0, SHOWN).map((t, i) => (
        <span key={t.id}>
          {i > 0 ? "; " : ""}
          <Link href={`/templates/${t.id}`} className="font-medium underline">
            {t.name} ({t.language})
          </Link>{" "}
          {t.attention}
        </span>
      ))}
      {more > 0 ? (
        <>
          {" "}
          <Link href="/templates" className="underline">
            and {more} more
          </Link>
        </>
      ) : null}
    </div>
  );
}
