"use client";

import { useState } from "react";

import type { ContactImport, ContactImportStatus } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { Alert, Badge } from "@/components/ui";
import { downloadUrl } from "../download";
import { formatCount, plural } from "../format";

const STATUS: Record<ContactImportStatus, { label: string; tone: "neutral" | "blue" | "brand" | "red" }> = {
  queued: { label: "Queued", tone: "neutral" },
  running: { label: "Importing", tone: "blue" },
  done: { label: "Done", tone: "brand" },
  failed: { label: "Failed", tone: "red" },
};

export function ImportStatusBadge({ status }: { status: ContactImportStatus }) {
  const { label, tone } = STATUS[status] ?? { label: status, tone: "neutral" };
  return <Badge tone={tone}>{label}</Badge>;
}

/** Seconds between start and finish, "3 s" or "2 min 5 s". */
function duration(job: ContactImport): string | null {
  if (!job.started_at || !job.finished_at) return null;
  const seconds = Math.max(0, Math.round((new Date(job.finished_at).getTime() - new Date(job.started_at).getTime()) / 1000));
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** A link that downloads an import's error report (row, column, value, reason). */
export function ErrorReportLink({ job, className }: { job: ContactImport; className?: string }) {
  const [error, setError] = useState<string | null>(null);
  if (!job.error_report_url) return null;
  const url = job.error_report_url;
  return (
    <>
      <a
        href={url}
        className={className ?? "font-medium text-brand-700 hover:underline"}
        onClick={(event) => {
          event.preventDefault();
          setError(null);
          downloadUrl(url).catch((err: unknown) => setError(toApiError(err).message));
        }}
      >
        Download the error report ({plural(job.errors, "row")})
      </a>
      {error ? <span className="ml-2 text-sm text-red-700">{error}</span> : null}
    </>
  );
}

const COUNTERS: { key: "created" | "updated" | "skipped" | "duplicates" | "errors"; label: string }[] = [
  { key: "created", label: "Created" },
  { key: "updated", label: "Updated" },
  { key: "skipped", label: "Skipped (existing)" },
  { key: "duplicates", label: "Merged duplicates" },
  { key: "errors", label: "Errors" },
];

export interface ImportProgressProps {
  job: ContactImport;
  /** The last poll failed with this message. */
  pollError?: string | null;
  /** Polling gave up after several failures. */
  stalled?: boolean;
}

/** An import's progress bar, counters and, once it has finished, its summary. */
export function ImportProgress({ job, pollError, stalled = false }: ImportProgressProps) {
  const finished = job.status === "done" || job.status === "failed";
  const percent = job.status === "done" ? 100 : Math.max(0, Math.min(100, job.progress));
  const total = job.total_rows;
  const took = duration(job);

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
        <span className="flex items-center gap-2">
          <span className="font-medium text-slate-900">{job.file_name}</span>
          <ImportStatusBadge status={job.status} />
        </span>
        <span className="tabular-nums text-slate-600" aria-live="polite">
          {job.status === "queued"
            ? "Waiting for a worker…"
            : total
              ? `${formatCount(job.processed_rows)} of ${job.status === "done" ? "" : "about "}${formatCount(total)} rows`
              : `${formatCount(job.processed_rows)} rows`}
        </span>
      </div>
      <div
        role="progressbar"
        aria-label={`Import of ${job.file_name}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(percent)}
        aria-valuetext={`${Math.round(percent)}%`}
        className="h-3 overflow-hidden rounded-full bg-slate-100"
      >
        <div
          className={job.status === "failed" ? "h-full bg-red-500" : "h-full bg-brand-600 transition-[width] duration-500 ease-out"}
          style={{ width: `${percent}%` }}
        />
      </div>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-5">
        {COUNTERS.map(({ key, label }) => (
          <div key={key} className="rounded-lg border border-slate-200 px-3 py-2">
            <dt className="text-xs text-slate-500">{label}</dt>
            <dd className={key === "errors" && job.errors ? "text-lg font-semibold tabular-nums text-red-700" : "text-lg font-semibold tabular-nums text-slate-900"}>
              {formatCount(job[key])}
            </dd>
          </div>
        ))}
      </dl>

      {job.status === "done" ? (
        <Alert tone="success">
          Processed {plural(job.processed_rows, "row")}
          {took ? ` in ${took}` : ""}: {formatCount(job.created)} created, {formatCount(job.updated)} updated
          {job.skipped ? `, ${formatCount(job.skipped)} skipped` : ""}
          {job.duplicates ? `, ${formatCount(job.duplicates)} duplicates merged` : ""}
          {job.errors ? `, ${plural(job.errors, "row")} rejected` : ", no errors"}.
        </Alert>
      ) : null}
      {job.status === "failed" ? (
        <Alert>
          The import stopped: {job.failure || "an unexpected error"}. Rows saved before it stopped are kept
          {job.processed_rows ? ` (${plural(job.processed_rows, "row")} processed)` : ""}.
        </Alert>
      ) : null}
      {finished && job.errors ? (
        <p className="text-sm text-slate-700">
          <ErrorReportLink job={job} /> — each rejected row with its row number (as in a spreadsheet), the column, the value and the reason.
        </p>
      ) : null}
      {!finished && pollError ? (
        <Alert tone={stalled ? "error" : "info"}>
          {stalled
            ? `Lost touch with the import (${pollError}). It keeps running on the server; reload this page to check on it.`
            : `Checking again… (${pollError})`}
        </Alert>
      ) : null}
      {!finished && !pollError ? <p className="text-sm text-slate-500">You can leave this page; the import keeps running and is listed below.</p> : null}
    </div>
  );
}
