"use client";

import { useCallback, useEffect, useState } from "react";

import { getMessage } from "@/lib/api/messages";
import type { Message, MessageDetail } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { SETTLED_STATUSES } from "./StatusTicks";

export const POLL_INTERVAL_MS = 1000;
export const POLL_LIMIT_MS = 30_000;

/**
 * Follows a just-sent message: GET /api/messages/{id}/ every second until it is delivered, read or
 * failed, or for at most 30 s (a message can sit at `sent` for as long as the phone is off).
 * `checkAgain` starts another round.
 */
export function useMessagePolling(initial: Message) {
  const [message, setMessage] = useState<Message | MessageDetail>(initial);
  const [polling, setPolling] = useState(!SETTLED_STATUSES.has(initial.status));
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);

  useEffect(() => {
    if (!polling) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const started = Date.now();
    const tick = async () => {
      try {
        const current = await getMessage(initial.id);
        if (cancelled) return;
        setMessage(current);
        setError(null);
        if (SETTLED_STATUSES.has(current.status) || Date.now() - started >= POLL_LIMIT_MS) {
          setPolling(false);
          return;
        }
      } catch (err) {
        if (cancelled) return;
        setError(toApiError(err).message);
        setPolling(false);
        return;
      }
      timer = setTimeout(() => void tick(), POLL_INTERVAL_MS);
    };
    timer = setTimeout(() => void tick(), POLL_INTERVAL_MS / 2);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [initial.id, polling, round]);

  const checkAgain = useCallback(() => {
    setRound((n) => n + 1);
    setPolling(true);
  }, []);

  return { message, polling, error, checkAgain };
}
