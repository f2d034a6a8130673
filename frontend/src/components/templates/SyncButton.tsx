"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";

import { Alert, Button } from "@/components/ui";
import { listSyncs, startSync, type TemplateSync } from "@/lib/api/templates";
import { toApiError } from "@/lib/apiClient";
import { templateKeys } from "@/lib/query/keys";

const POLL_MS = 1_000;

function summary(sync: TemplateSync): string {
  if (sync.status === "running") return `Syncing with Meta… ${sync.seen} templates seen so far.`;
  if (sync.status === "failed") return `The last sync failed${sync.error ? `: ${sync.error}` : "."}`;
  return `Synced with Meta: ${sync.seen} seen, ${sync.added} added, ${sync.updated} updated, ${sync.removed} removed.`;
}

/**
 * "Sync with Meta": starts a sync (202) and follows the latest syncs until none is running; the list
 * refetches when one finishes. A sync started elsewhere (another tab, the periodic one) shows here too.
 */
export function SyncButton({ canSync }: { canSync: boolean }) {
  const client = useQueryClient();
  const start = useMutation({ mutationFn: () => startSync(), onSuccess: () => void client.invalidateQueries({ queryKey: templateKeys.syncs() }) });
  const syncs = useQuery({
    queryKey: templateKeys.syncs(),
    queryFn: listSyncs,
    refetchInterval: (query) => (query.state.data?.results.some((s) => s.status === "running") || start.isPending ? POLL_MS : false),
  });
  const latest = syncs.data?.results[0];
  const running = latest?.status === "running";

  // A sync finishing changes the list: refetch it once, when running turns into done or failed.
  const wasRunning = useRef(false);
  useEffect(() => {
    if (wasRunning.current && !running) void client.invalidateQueries({ queryKey: templateKeys.lists() });
    wasRunning.current = running;
  }, [running, client]);

  const error = start.error ? toApiError(start.error).message : null;
  return (
    <div className="flex flex-col items-end gap-1">
      {canSync ? (
        <Button variant="secondary" loading={start.isPending || running} onClick={() => start.mutate()}>
          {running ? "Syncing…" : "Sync with Meta"}
        </Button>
      ) : null}
      {latest ? (
        <p role="status" data-testid="sync-status" className={latest.status === "failed" ? "text-xs text-red-700" : "text-xs text-slate-500"}>
          {summary(latest)}
        </p>
      ) : null}
      {error ? <Alert className="mt-1">{error}</Alert> : null}
    </div>
  );
}
