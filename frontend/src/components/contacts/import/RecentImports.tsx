"use client";

import { useState } from "react";

import { deleteImport, listImports } from "@/lib/api/contacts";
import type { ContactImport } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { contactKeys } from "@/lib/query/keys";
import { useCursorQuery } from "@/lib/query/useCursorQuery";
import { Alert, Button, Card, CardHeader, Spinner } from "@/components/ui";
import { formatCount, formatDateTime } from "../format";
import { ErrorReportLink, ImportStatusBadge } from "./ImportProgress";
import { formatBytes } from "./mapping";

function ImportRow({ job, onWatch, onDeleted }: { job: ContactImport; onWatch: (job: ContactImport) => void; onDeleted: (job: ContactImport) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const finished = job.status === "done" || job.status === "failed";

  async function remove() {
    setBusy(true);
    setError(null);
    try {
      await deleteImport(job.id);
      onDeleted(job);
    } catch (err) {
      setError(toApiError(err).message);
      setBusy(false);
    }
  }

  return (
    <li className="flex flex-wrap items-start justify-between gap-3 px-5 py-3 text-sm">
      <div className="min-w-0">
        <p className="flex flex-wrap items-center gap-2">
          <span className="truncate font-medium text-slate-900">{job.file_name}</span>
          <ImportStatusBadge status={job.status} />
        </p>
        <p className="text-slate-500">
          <time dateTime={job.created_at}>{formatDateTime(job.created_at)}</time>
          {job.created_by_email ? <> · {job.created_by_email}</> : null} · {formatBytes(job.file_size)}
        </p>
        <p className="text-slate-700">
          {finished
            ? `${formatCount(job.total_rows ?? job.processed_rows)} rows: ${formatCount(job.created)} created, ${formatCount(job.updated)} updated, ${formatCount(job.skipped)} skipped, ${formatCount(job.duplicates)} duplicates, ${formatCount(job.errors)} errors`
            : job.status === "queued"
              ? "Waiting for a worker."
              : "In progress: open it for live counts."}
        </p>
        {job.status === "failed" && job.failure ? <p className="text-red-700">{job.failure}</p> : null}
        {finished && job.errors ? <ErrorReportLink job={job} /> : null}
        {error ? (
          <p role="alert" className="text-red-700">
            {error}
          </p>
        ) : null}
      </div>
      {finished ? (
        <Button size="sm" variant="ghost" loading={busy} onClick={() => void remove()} aria-label={`Delete import ${job.file_name} and its error report`}>
          Delete
        </Button>
      ) : (
        <Button size="sm" variant="secondary" onClick={() => onWatch(job)}>
          Show progress
        </Button>
      )}
    </li>
  );
}

/** The business's latest imports with their status; mount again (key) to refresh. */
export function RecentImports({ onWatch }: { onWatch: (job: ContactImport) => void }) {
  const imports = useCursorQuery<ContactImport>(contactKeys.imports(), listImports);
  const { setItems } = imports;

  return (
    <Card>
      <CardHeader title="Recent imports" description="Deleting an import removes its error report; the contacts it wrote stay." />
      {imports.loading ? (
        <p role="status" className="flex items-center gap-2 px-5 py-4 text-sm text-slate-500">
          <Spinner /> Loading imports…
        </p>
      ) : imports.items.length === 0 && !imports.error ? (
        <p className="px-5 py-4 text-sm text-slate-500">No imports yet.</p>
      ) : (
        <ul className="divide-y divide-slate-100">
          {imports.items.map((job) => (
            <ImportRow key={job.id} job={job} onWatch={onWatch} onDeleted={(gone) => setItems((list) => list.filter((j) => j.id !== gone.id))} />
          ))}
        </ul>
      )}
      {imports.error ? <Alert className="m-3">{imports.error}</Alert> : null}
      {imports.hasMore ? (
        <div className="border-t border-slate-100 px-5 py-3 text-center">
          <Button variant="secondary" size="sm" loading={imports.loadingMore} onClick={() => void imports.loadMore()}>
            Load more
          </Button>
        </div>
      ) : null}
    </Card>
  );
}
