"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { Alert, Badge, Button, EmptyState, Segmented } from "@/components/ui";
import { listWebhookChanges, replayWebhookChange, type WebhookChange, type WebhookChangeStatus } from "@/lib/api/platform";
import type { WebhookChangeReplay } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { staffKeys } from "@/lib/query/keys";
import { useCursorQuery } from "@/lib/query/useCursorQuery";
import { CursorListFrame, ROW, TABLE, THEAD, Th } from "@/components/ui/CursorListFrame";
import { changeStatusInfo, formatWhen } from "./format";

type Filter = WebhookChangeStatus | "";

const FILTERS: ReadonlyArray<{ value: Filter | "all"; label: string }> = [
  { value: "unroutable", label: "Unroutable" },
  { value: "failed", label: "Failed" },
  { value: "rejected", label: "Rejected" },
  { value: "all", label: "All" },
];

const EMPTY: Record<string, { title: string; description: string }> = {
  unroutable: { title: "No unroutable changes", description: "Every change Meta sent was for a number or account a business has connected." },
  failed: { title: "No failed changes", description: "No handler has failed on a webhook change." },
  rejected: { title: "No rejected changes", description: "Nothing arrived that Meta never sends." },
  "": { title: "No webhook changes yet", description: "Changes appear here as Meta's webhooks arrive." },
};

function replayOutcome({ requeued, change }: WebhookChangeReplay): { tone: "success" | "info"; text: string } {
  if (requeued) return { tone: "success", text: `Change ${change.id} was routed again to ${change.tenant ?? "its business"}: ${changeStatusInfo(change.status).label.toLowerCase()}.` };
  const key = change.phone_number_id || change.waba_id;
  return { tone: "info", text: `Change ${change.id} is still unroutable: no business has connected ${key || "its number"} yet.` };
}

function ChangeRow({ change, replaying, onReplay }: { change: WebhookChange; replaying: boolean; onReplay: () => void }) {
  const status = changeStatusInfo(change.status);
  return (
    <tr className={ROW} data-testid="change-row" aria-label={`Change ${change.id}`}>
      <td className="px-5 py-3 text-xs text-slate-600">
        {formatWhen(change.received_at)}
        <div className="text-slate-400">
          event {change.event_id} · #{change.position}
        </div>
      </td>
      <td className="px-3 py-3 font-mono text-xs">{change.field || "—"}</td>
      <td className="px-3 py-3 font-mono text-xs">
        {change.phone_number_id ? <div>number {change.phone_number_id}</div> : null}
        {change.waba_id ? <div className="text-slate-500">account {change.waba_id}</div> : null}
      </td>
      <td className="px-3 py-3">{change.tenant ?? <span className="text-slate-400">—</span>}</td>
      <td className="px-3 py-3">
        <Badge tone={status.tone}>{status.label}</Badge>
        {change.error ? <div className="mt-1 max-w-72 break-words text-xs text-red-700">{change.error}</div> : null}
        <div className="mt-1 text-xs text-slate-400">
          event {change.event_status}, {change.event_attempts} attempt{change.event_attempts === 1 ? "" : "s"}
        </div>
      </td>
      <td className="px-5 py-3 text-right">
        {change.replayable ? (
          <Button size="sm" variant="secondary" loading={replaying} onClick={onReplay} aria-label={`Replay change ${change.id}`}>
            Replay
          </Button>
        ) : null}
      </td>
    </tr>
  );
}

/**
 * The webhook inbox's changes (unroutable first: no business owns their number yet), with their errors; an unroutable
 * or failed change whose body is still stored can be replayed (routed again now), which the server logs.
 */
export function WebhooksTab() {
  const client = useQueryClient();
  const [filter, setFilter] = useState<Filter | "all">("unroutable");
  const status: Filter = filter === "all" ? "" : filter;
  const list = useCursorQuery<WebhookChange>(staffKeys.webhookChanges(status), (next) => listWebhookChanges(status, next), { keepPrevious: true });
  const replay = useMutation({
    mutationFn: replayWebhookChange,
    onSuccess: () => void client.invalidateQueries({ queryKey: staffKeys.webhooks() }),
  });
  const outcome = replay.data ? replayOutcome(replay.data) : null;

  return (
    <>
      <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
        <Segmented label="Show changes" hideLabel value={filter} onChange={setFilter} options={FILTERS} />
      </div>
      {replay.error ? <Alert className="mb-4">{toApiError(replay.error).message}</Alert> : null}
      {outcome ? (
        <Alert tone={outcome.tone} className="mb-4">
          {outcome.text}
        </Alert>
      ) : null}
      <CursorListFrame list={list} what="webhook changes" empty={<EmptyState {...EMPTY[status]!} />}>
        <table className={TABLE}>
          <thead className={THEAD}>
            <tr>
              <Th className="px-5">Received</Th>
              <Th>Field</Th>
              <Th>Number / account</Th>
              <Th>Business</Th>
              <Th>State</Th>
              <Th className="px-5">
                <span className="sr-only">Actions</span>
              </Th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((change) => (
              <ChangeRow
                key={change.id}
                change={change}
                replaying={replay.isPending && replay.variables === change.id}
                onReplay={() => replay.mutate(change.id)}
              />
            ))}
          </tbody>
        </table>
      </CursorListFrame>
    </>
  );
}
