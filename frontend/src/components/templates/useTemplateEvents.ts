"use client";

import { useCallback } from "react";

import { liveLabel, useInboxEvents, type LiveState } from "@/components/inbox/useInboxEvents";
import { templateKeys } from "@/lib/query/keys";
import { useBatchedInvalidate } from "@/lib/query/useBatchedInvalidate";

const REFRESH_DEBOUNCE_MS = 250;
const ignore = () => undefined;

/**
 * Templates pages listen to the inbox's event stream for `template` events (a review result, a pause,
 * a quality or category change): the cached lists and details refetch, so "Approved" arrives without a
 * reload. The stream's slow poll refetches too, in case it is down.
 */
export function useTemplateEvents(): { state: LiveState; label: string } {
  const invalidate = useBatchedInvalidate(REFRESH_DEBOUNCE_MS);
  const onTemplate = useCallback(() => invalidate(templateKeys.all()), [invalidate]);
  const state = useInboxEvents({ onEvent: ignore, onTemplate, onResync: onTemplate });
  return { state, label: liveLabel(state) };
}
