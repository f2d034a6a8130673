"use client";

import { useQuery } from "@tanstack/react-query";

import { getInboxSettings } from "@/lib/api/inbox";
import { inboxKeys } from "@/lib/query/keys";

/**
 * The business's time zone (Settings → Inbox), in which a campaign's schedule is given and shown; undefined while
 * it loads. The server reads a schedule without an offset in this zone, so the wizard's time means the same thing
 * whatever the browser's own zone is.
 */
export function useBusinessTimeZone(): string | undefined {
  const settings = useQuery({ queryKey: inboxKeys.settings(), queryFn: getInboxSettings, staleTime: 5 * 60_000 });
  if (settings.isError) return "UTC";
  return settings.data ? settings.data.timezone || "UTC" : undefined;
}
