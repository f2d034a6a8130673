"use client";

import { useQuery } from "@tanstack/react-query";
import { useCallback, useState } from "react";

import { getMessage } from "@/lib/api/messages";
import type { Message, MessageDetail } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { messageKeys } from "@/lib/query/keys";
import { SETTLED_STATUSES } from "./StatusTicks";

export const POLL_INTERVAL_MS = 1000;
export const POLL_LIMIT_MS = 30_000;

/**
 * Follows a just-sent message: GET /api/messages/{id}/ every second until it is delivered, read or
 * failed, or for at most 30 s (a message can sit at `sent` for as long as the phone is off). An error
 * stops the round; `checkAgain` starts another. Each round is its own query, polled by the cache.
 */
export function useMessagePolling(initial: Message) {
  const [round, setRound] = useState<{ n: number; started: number } | null>(() =>
    SETTLED_STATUSES.has(initial.status) ? null : { n: 0, started: Date.now() },
  );
  const polled = useQuery({
    queryKey: [...messageKeys.detail(initial.id), "poll", round?.n ?? -1],
    queryFn: async (): Promise<{ message: Message | MessageDetail; done: boolean }> => {
      // The first look waits half an interval: the worker has rarely sent it yet.
      if (round?.n === 0) await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS / 2));
      const message = await getMessage(initial.id);
      const timedOut = round !== null && Date.now() - round.started >= POLL_LIMIT_MS;
      return { message, done: SETTLED_STATUSES.has(message.status) || timedOut };
    },
    enabled: round !== null,
    refetchInterval: (query) => (query.state.error || query.state.data?.done ? false : POLL_INTERVAL_MS),
  });

  const message = polled.data?.message ?? initial;
  const error = polled.error ? toApiError(polled.error).message : null;
  const polling = round !== null && !error && !polled.data?.done;

  const checkAgain = useCallback(() => setRound((r) => ({ n: (r?.n ?? 0) + 1, started: Date.now() })), []);

  return { message, polling, error, checkAgain };
}
