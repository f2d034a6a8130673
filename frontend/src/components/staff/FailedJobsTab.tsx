"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { Alert, Badge, Button, Card, EmptyState, Segmented, Select } from "@/components/ui";
import { listFailedJobs, replayWebhookEvent, type FailedJob, type FailedJobQuery } from "@/lib/api/platform";
import type { WebhookEventReplay } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { staffKeys } from "@/lib/query/keys";
import { useCursorQuery } from "@/lib/query/useCursorQuery";
import { CursorListFrame, ROW, TABLE, THEAD, Th } from "@/components/ui/CursorListFrame";
import { formatWhen, JOB_KINDS, jobKindLabel, jobStateInfo } from "./format";

const STATES: ReadonlyArray<{ value: FailedJobQuery["state"] | "all"; label: string }> = [
  { value: "all", label: "All" },
  { value: "dead", label: "Needs a person" },
  { value: "retrying", label: "Retrying" },
];

function replayOutcome({ requeued, event }: WebhookEventReplay): { tone: "success" | "info"; text: string } {
  return requeued
    ? { tone: "success", text: `Webhook event ${event.id} was routed again: ${event.status}.` }
    : { tone: "info", text: `Webhook event ${event.id} still has no business to go to: its numbers are not connected yet.` };
}

function JobRow({ job, replaying, onReplay }: { job: FailedJob; replaying: boolean; onReplay: () => void }) {
  const state = jobStateInfo(job.state);
  const label = `${jobKindLabel(job.kind)} ${job.id}`;
  return (
    <tr className={ROW} data-testid="job-row" aria-label={label}>
      <td className="px-5 py-3 text-xs text-slate-600">{formatWhen(job.occurred_at)}</td>
      <td className="px-3 py-3">
        <Badge>{jobKindLabel(job.kind)}</Badge>
        <div className="mt-1 text-slate-900">{job.summary}</div>
        {job.tenant ? <div className="text-xs text-slate-500">{job.tenant.name}</div> : null}
      </td>
      <td className="px-3 py-3">
        <Badge tone={state.tone}>{state.label}</Badge>
        {job.attempts !== null ? (
          <div className="mt-1 text-xs text-slate-500">
            {job.attempts} attempt{job.attempts === 1 ? "" : "s"}
          </div>
        ) : null}
        {job.next_attempt_at ? <div className="text-xs text-slate-500">next try {formatWhen(job.next_attempt_at)}</div> : null}
      </td>
      <td className="max-w-80 break-words px-3 py-3 text-xs text-red-700">{job.error}</td>
      <td className="px-5 py-3 text-right">
        {job.replayable ? (
          <Button size="sm" variant="secondary" loading={replaying} onClick={onReplay} aria-label={`Replay ${label}`}>
            Replay
          </Button>
        ) : null}
      </td>
    </tr>
  );
}

/**
 * Background work that failed and left a record in the platform's tables: webhook events retrying or out of attempts
 * (replayable when they have changes to route and their body is still stored), and overage charges Stripe hasn't
 * taken (the daily billing run retries them). A business's own failures (campaigns, sends) are on its pages.
 */
export function FailedJobsTab() {
  const client = useQueryClient();
  const [kind, setKind] = useState<FailedJobQuery["kind"]>("");
  const [state, setState] = useState<FailedJobQuery["state"] | "all">("all");
  const query: FailedJobQuery = { kind, state: state === "all" ? "" : state };
  const list = useCursorQuery<FailedJob>(staffKeys.failedJobs(query), (next) => listFailedJobs(query, next), { keepPrevious: true });
  const replay = useMutation({
    mutationFn: replayWebhookEvent,
    onSuccess: () => void client.invalidateQueries({ queryKey: staffKeys.webhooks() }),
  });
  const outcome = replay.data ? replayOutcome(replay.data) : null;
  const filtered = Boolean(query.kind || query.state);

  return (
    <>
      <Card className="mb-4">
        <div className="flex flex-wrap items-end gap-4 px-5 py-3">
          <div className="w-56">
            <Select aria-label="Kind" value={kind} onChange={(e) => setKind(e.target.value as FailedJobQuery["kind"])}>
              <option value="">Every kind</option>
              {JOB_KINDS.map((k) => (
                <option key={k.value} value={k.value}>
                  {k.label}s
                </option>
              ))}
            </Select>
          </div>
          <Segmented label="State" hideLabel value={state} onChange={setState} options={STATES} />
        </div>
      </Card>
      {replay.error ? <Alert className="mb-4">{toApiError(replay.error).message}</Alert> : null}
      {outcome ? (
        <Alert tone={outcome.tone} className="mb-4">
          {outcome.text}
        </Alert>
      ) : null}
      <CursorListFrame
        list={list}
        what="failed jobs"
        empty={
          <EmptyState
            title={filtered ? "No failed jobs of this kind" : "No failed jobs"}
            description="Webhook events that keep failing and overage charges Stripe hasn't taken show up here."
          />
        }
      >
        <table className={TABLE}>
          <thead className={THEAD}>
            <tr>
              <Th className="px-5">When</Th>
              <Th>What</Th>
              <Th>State</Th>
              <Th>Last error</Th>
              <Th className="px-5">
                <span className="sr-only">Actions</span>
              </Th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((job) => (
              <JobRow
                key={`${job.kind}:${job.id}`}
                job={job}
                replaying={replay.isPending && replay.variables === job.id}
                onReplay={() => replay.mutate(job.id)}
              />
            ))}
          </tbody>
        </table>
      </CursorListFrame>
    </>
  );
}
