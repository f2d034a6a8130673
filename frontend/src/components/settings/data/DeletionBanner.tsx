"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";

import { daysUntil, formatDate, inDays } from "@/components/settings/billing/format";
import { getDeletion } from "@/lib/api/businessData";
import type { BusinessDeletion } from "@/lib/api/types";
import { businessDataKeys } from "@/lib/query/keys";

export const DATA_SETTINGS_PATH = "/settings#data";

/** What the app-wide banner says while the business waits out its deletion's grace period, or null. */
export function deletionBannerText(deletion: BusinessDeletion, now: number = Date.now()): string | null {
  if (!deletion.scheduled || !deletion.due_at) return null;
  const when = `${inDays(daysUntil(deletion.due_at, now))} (${formatDate(deletion.due_at)})`;
  const cancel = deletion.can_manage ? "You can cancel it in Settings → Data & deletion." : "An owner can cancel it.";
  return `This business and all its data will be deleted ${when}. ${cancel}`;
}

/** Every member, on every page: the business is scheduled for deletion. */
export function DeletionBanner() {
  // Shares the settings card's cache entry; a minute old is fresh enough for a banner.
  const deletion = useQuery({ queryKey: businessDataKeys.deletion(), queryFn: getDeletion, staleTime: 60_000 });
  const text = deletion.data ? deletionBannerText(deletion.data) : null;
  if (!text) return null;
  return (
    <div
      role="alert"
      data-testid="deletion-banner"
      className="mb-6 flex flex-wrap items-center justify-between gap-x-4 gap-y-1 rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900"
    >
      <p>{text}</p>
      {deletion.data?.can_manage ? (
        <Link href={DATA_SETTINGS_PATH} className="shrink-0 font-semibold underline underline-offset-2">
          Settings → Data & deletion
        </Link>
      ) : null}
    </div>
  );
}
