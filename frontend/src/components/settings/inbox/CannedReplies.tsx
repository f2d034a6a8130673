"use client";

import { useState } from "react";

import { useApiForm } from "@/hooks/useApiForm";
import { inboxKeys } from "@/lib/query/keys";
import { useCursorQuery } from "@/lib/query/useCursorQuery";
import { Alert, Button, Field, Input, Spinner, TextField } from "@/components/ui";
import { createCannedReply, deleteCannedReply, listCannedReplies, updateCannedReply } from "@/lib/api/inbox";
import type { CannedReply, CannedReplyWrite } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";

const EMPTY: CannedReplyWrite = { shortcut: "", title: "", body: "" };

function ReplyForm({ initial, onSave, onCancel, submitLabel }: { initial: CannedReplyWrite; onSave: (body: CannedReplyWrite) => Promise<void>; onCancel?: () => void; submitLabel: string }) {
  const form = useApiForm({ initial, submit: onSave, onSuccess: (_result, { reset }) => reset() });
  const value = form.values;

  return (
    <form onSubmit={form.onSubmit} noValidate aria-label={submitLabel} className="space-y-3">
      {form.generalError ? <Alert>{form.generalError}</Alert> : null}
      <div className="grid gap-3 sm:grid-cols-[10rem_1fr]">
        <TextField label="Shortcut" {...form.bind("shortcut")} placeholder="hours" hint="Agents type /hours." />
        <TextField label="Title" {...form.bind("title")} placeholder="Opening hours" />
      </div>
      <Field label="Reply text" error={form.fieldError("body")}>
        {({ invalid, ...control }) => (
          <textarea
            {...control}
            aria-invalid={invalid || undefined}
            rows={3}
            value={value.body}
            onChange={(e) => form.setValue("body", e.target.value)}
            className={`block w-full rounded-lg border bg-white px-3 py-2 text-sm shadow-xs ${invalid ? "border-red-500" : "border-slate-300"}`}
          />
        )}
      </Field>
      <div className="flex gap-2">
        <Button type="submit" size="sm" loading={form.submitting}>
          {submitLabel}
        </Button>
        {onCancel ? (
          <Button size="sm" variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
        ) : null}
      </div>
    </form>
  );
}

/** Canned replies: everyone uses them in the inbox (type "/"); owners and admins write them here. */
export function CannedReplies({ manager }: { manager: boolean }) {
  const [search, setSearch] = useState("");
  const { items, setItems, hasMore, loadMore, loading, loadingMore, error } = useCursorQuery(inboxKeys.cannedReplies(), (next) => listCannedReplies("", next));
  const [editing, setEditing] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const shown = search.trim() ? items.filter((r) => `${r.shortcut} ${r.title} ${r.body}`.toLowerCase().includes(search.trim().toLowerCase())) : items;

  const sorted = (list: CannedReply[]) => [...list].sort((a, b) => a.shortcut.localeCompare(b.shortcut));

  async function remove(reply: CannedReply) {
    setProblem(null);
    try {
      await deleteCannedReply(reply.id);
      setItems((list) => list.filter((r) => r.id !== reply.id));
    } catch (err) {
      setProblem(toApiError(err).message);
    }
  }

  return (
    <div className="space-y-4">
      {error || problem ? <Alert>{error ?? problem}</Alert> : null}
      <Input type="search" aria-label="Search canned replies" placeholder="Search canned replies" value={search} onChange={(e) => setSearch(e.target.value)} className="max-w-72" />
      {loading ? (
        <p role="status" className="flex items-center gap-2 text-sm text-slate-500">
          <Spinner /> Loading canned replies…
        </p>
      ) : shown.length === 0 ? (
        <p className="text-sm text-slate-500">{items.length === 0 ? "No canned replies yet." : "None matches the search."}</p>
      ) : (
        <ul aria-label="Canned replies" className="divide-y divide-slate-100 rounded-lg border border-slate-200">
          {shown.map((reply) => (
            <li key={reply.id} className="px-3 py-2.5">
              {editing === reply.id ? (
                <ReplyForm
                  initial={{ shortcut: reply.shortcut, title: reply.title, body: reply.body }}
                  submitLabel="Save reply"
                  onCancel={() => setEditing(null)}
                  onSave={async (body) => {
                    const updated = await updateCannedReply(reply.id, body);
                    setItems((list) => sorted(list.map((r) => (r.id === updated.id ? updated : r))));
                    setEditing(null);
                  }}
                />
              ) : (
                <div className="flex items-start justify-between gap-3">
                  <div className="min-w-0">
                    <p className="text-sm">
                      <span className="font-mono text-brand-800">/{reply.shortcut}</span> <span className="font-medium text-slate-900">{reply.title}</span>
                    </p>
                    <p className="whitespace-pre-wrap break-words text-sm text-slate-600">{reply.body}</p>
                  </div>
                  {manager ? (
                    <div className="flex shrink-0 gap-1">
                      <Button size="sm" variant="ghost" onClick={() => setEditing(reply.id)} aria-label={`Edit /${reply.shortcut}`}>
                        Edit
                      </Button>
                      <Button size="sm" variant="ghost" onClick={() => void remove(reply)} aria-label={`Delete /${reply.shortcut}`} className="text-red-700">
                        Delete
                      </Button>
                    </div>
                  ) : null}
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {hasMore ? (
        <Button size="sm" variant="secondary" onClick={() => void loadMore()} loading={loadingMore}>
          Load more
        </Button>
      ) : null}
      {manager ? (
        <div className="rounded-lg border border-dashed border-slate-300 p-3">
          <h3 className="mb-2 text-sm font-semibold text-slate-900">New canned reply</h3>
          <ReplyForm
            initial={EMPTY}
            submitLabel="Add canned reply"
            onSave={async (body) => {
              const created = await createCannedReply(body);
              setItems((list) => sorted([...list, created]));
            }}
          />
        </div>
      ) : (
        <p className="text-sm text-slate-500">Only owners and admins can add or change canned replies.</p>
      )}
    </div>
  );
}
