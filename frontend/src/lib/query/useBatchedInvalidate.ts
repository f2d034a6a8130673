"use client";

import { useQueryClient, type QueryKey } from "@tanstack/react-query";
import { useCallback, useEffect, useRef } from "react";

/**
 * `invalidate(key)` gathered over a burst: the queries are invalidated (and the shown ones refetched)
 * once, `ms` after the last call. Live events come in bursts (a message, then its status, then the
 * conversation), and one refetch answers them all. `exact` leaves the keys under `key` alone.
 */
export function useBatchedInvalidate(ms: number): (key: QueryKey, exact?: boolean) => void {
  const client = useQueryClient();
  const pending = useRef(new Map<string, { queryKey: QueryKey; exact: boolean }>());
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  return useCallback(
    (queryKey: QueryKey, exact = false) => {
      const id = JSON.stringify([queryKey, exact]);
      pending.current.set(id, { queryKey, exact });
      clearTimeout(timer.current);
      timer.current = setTimeout(() => {
        const batch = [...pending.current.values()];
        pending.current.clear();
        // A failed background refetch keeps what is shown; the next event or the poll tries again.
        for (const filters of batch) void client.invalidateQueries(filters).catch(() => undefined);
      }, ms);
    },
    [client, ms],
  );
}
