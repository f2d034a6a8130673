"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { formatCount, formatDate } from "@/components/settings/billing/format";
import { Alert, Badge, Button, Card, CardBody, CardHeader, Spinner, TextField, buttonClasses } from "@/components/ui";
import { useApiForm } from "@/hooks/useApiForm";
import { cancelDeletion, getDeletion, listExports, requestExport, scheduleDeletion } from "@/lib/api/businessData";
import type { BusinessDeletion, BusinessDeletionConfirm, BusinessExport, BusinessExportStatus } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { businessDataKeys } from "@/lib/query/keys";

/** How often the list is read again while an export is being prepared. */
export const EXPORT_POLL_MS = 3000;

const STATUS: Record<BusinessExportStatus, { label: string; tone: "neutral" | "brand" | "amber" | "red" | "blue" }> = {
  pending: { label: "Waiting", tone: "neutral" },
  running: { label: "Preparing", tone: "blue" },
  ready: { label: "Ready", tone: "brand" },
  failed: { label: "Failed", tone: "red" },
  expired: { label: "Expired", tone: "neutral" },
};

const busy = (e: BusinessExport) => e.status === "pending" || e.status === "running";

function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toLocaleString("en", { maximumFractionDigits: 1 })} MB`;
}

/** "1,204 contacts · 5,310 messages · 12 media files": the rows people recognise, written so far or in total. */
export function exportSummary(counts: Record<string, number>): string {
  const shown: [file: string, label: string][] = [
    ["contacts/contacts.jsonl", "contacts"],
    ["inbox/messages.jsonl", "messages"],
    ["media", "media files"],
  ];
  return shown.flatMap(([file, label]) => (counts[file] === undefined ? [] : [`${formatCount(counts[file])} ${label}`])).join(" · ");
}

function ExportRow({ item }: { item: BusinessExport }) {
  const status = STATUS[item.status];
  const summary = exportSummary(item.counts);
  return (
    <li className="flex flex-wrap items-center justify-between gap-3 px-3 py-2.5" data-testid="business-export">
      <div className="min-w-0 space-y-0.5">
        <p className="flex items-center gap-2 text-sm text-slate-900">
          {new Date(item.created_at).toLocaleString()} <Badge tone={status.tone}>{status.label}</Badge>
          {busy(item) ? <Spinner /> : null}
        </p>
        <p className="text-xs text-slate-500">
          {[
            `by ${item.requested_by_email || "someone no longer here"}`,
            summary,
            item.status === "ready" && item.expires_at ? `${megabytes(item.size)}, until ${new Date(item.expires_at).toLocaleString()}` : "",
          ]
            .filter(Boolean)
            .join(" · ")}
        </p>
        {item.status === "failed" && item.failure ? <p className="text-xs text-red-700">{item.failure}</p> : null}
      </div>
      {item.download_url ? (
        <a href={item.download_url} className={buttonClasses("secondary", "sm")} download>
          Download
        </a>
      ) : null}
    </li>
  );
}

/** Every table of the business, its team and its media files as one zip, prepared in the background. */
export function ExportsCard() {
  const client = useQueryClient();
  const exports = useQuery({
    queryKey: businessDataKeys.exports(),
    queryFn: listExports,
    refetchInterval: (query) => (query.state.data?.some(busy) ? EXPORT_POLL_MS : false),
  });
  const start = useMutation({
    mutationFn: requestExport,
    onSuccess: (created) => client.setQueryData<BusinessExport[]>(businessDataKeys.exports(), (list) => [created, ...(list ?? [])]),
  });
  const preparing = exports.data?.some(busy) ?? false;
  const problem = exports.error ?? start.error;

  return (
    <Card>
      <CardHeader
        title="Export the business"
        description="Contacts, consent, conversations, messages, templates, campaigns, the audit log, settings and the team, as JSON Lines files with the media files, in one zip. No password, access token or API key secret is ever in it."
        actions={
          <Button size="sm" onClick={() => start.mutate()} loading={start.isPending} disabled={preparing}>
            Request an export
          </Button>
        }
      />
      <CardBody className="space-y-3">
        {problem ? <Alert>{toApiError(problem).message}</Alert> : null}
        {exports.isPending ? (
          <p role="status" className="flex items-center gap-2 text-sm text-slate-500">
            <Spinner /> Loading exports…
          </p>
        ) : exports.data && exports.data.length > 0 ? (
          <ul aria-label="Exports" className="divide-y divide-slate-100 rounded-lg border border-slate-200">
            {exports.data.map((item) => (
              <ExportRow key={item.id} item={item} />
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-500">No exports yet. A finished export can be downloaded for a few days, then its file is deleted.</p>
        )}
      </CardBody>
    </Card>
  );
}

function ScheduledDeletion({ deletion, onCancelled }: { deletion: BusinessDeletion; onCancelled: (result: BusinessDeletion) => void }) {
  const cancel = useMutation({ mutationFn: cancelDeletion, onSuccess: onCancelled });
  return (
    <div className="space-y-3">
      <Alert>
        {`This business and all its data will be deleted on ${formatDate(deletion.due_at ?? "")}`}
        {deletion.requested_by_email ? ` (asked by ${deletion.requested_by_email})` : ""}. Until then everything keeps working, and
        an owner can cancel.
      </Alert>
      {cancel.error ? <Alert>{toApiError(cancel.error).message}</Alert> : null}
      <Button variant="secondary" onClick={() => cancel.mutate()} loading={cancel.isPending}>
        Cancel the deletion
      </Button>
    </div>
  );
}

function DeletionForm({ slug, graceDays, onScheduled }: { slug: string; graceDays: number; onScheduled: (result: BusinessDeletion) => void }) {
  const form = useApiForm<BusinessDeletionConfirm, BusinessDeletion>({
    initial: { slug: "", password: "" },
    submit: (body) => scheduleDeletion(body),
    onSuccess: (result, { reset }) => {
      reset();
      onScheduled(result);
    },
    clearErrorOnChange: true,
  });
  return (
    <form onSubmit={form.onSubmit} noValidate aria-label="Delete the business" className="space-y-3">
      <p className="text-sm text-slate-600">
        {`The business is deleted ${graceDays} days after you ask: its contacts, conversations, messages, media files, templates, campaigns, settings, team and audit log, for good. Export it first if you want to keep anything. Any owner can cancel during those ${graceDays} days.`}
      </p>
      {form.generalError ? <Alert>{form.generalError}</Alert> : null}
      <TextField label={`Type ${slug} to confirm`} autoComplete="off" {...form.bind("slug")} />
      <TextField label="Your password" type="password" autoComplete="current-password" {...form.bind("password")} />
      <Button type="submit" variant="danger" loading={form.submitting}>
        Delete this business
      </Button>
    </form>
  );
}

/** Schedule the business's deletion (after the grace period), or cancel a scheduled one. */
export function DeletionCard({ slug }: { slug: string }) {
  const client = useQueryClient();
  const deletion = useQuery({ queryKey: businessDataKeys.deletion(), queryFn: getDeletion });
  const show = (result: BusinessDeletion) => client.setQueryData(businessDataKeys.deletion(), result);

  return (
    <Card>
      <CardHeader title="Delete the business" />
      <CardBody>
        {deletion.error ? <Alert>{toApiError(deletion.error).message}</Alert> : null}
        {deletion.isPending ? (
          <p role="status" className="flex items-center gap-2 text-sm text-slate-500">
            <Spinner /> Loading…
          </p>
        ) : deletion.data?.scheduled ? (
          <ScheduledDeletion deletion={deletion.data} onCancelled={show} />
        ) : deletion.data ? (
          <DeletionForm slug={slug} graceDays={deletion.data.grace_days} onScheduled={show} />
        ) : null}
      </CardBody>
    </Card>
  );
}

/** Settings → Data & deletion (owners): the business as a download, and its deletion. */
export function DataAndDeletion({ slug }: { slug: string }) {
  return (
    <>
      <ExportsCard />
      <DeletionCard slug={slug} />
    </>
  );
}
