"use client";

import { useState, type FormEvent } from "react";

import { listConsentEvents, recordConsent } from "@/lib/api/contacts";
import type { ConsentAction, ConsentCategory, ConsentEvent, ConsentRecordSource, Contact } from "@/lib/api/types";
import { toApiError, type ApiError } from "@/lib/apiClient";
import { contactKeys } from "@/lib/query/keys";
import { useCursorQuery } from "@/lib/query/useCursorQuery";
import { Alert, Badge, Button, Field, Select, Spinner, TextField } from "@/components/ui";
import { ConsentBadge } from "../ContactsTable";
import { formatDateTime, SOURCE_LABELS } from "../format";

const CATEGORIES: { value: ConsentCategory; label: string }[] = [
  { value: "marketing", label: "Marketing" },
  { value: "utility", label: "Utility" },
];

/** Sources people record by hand; `keyword` and Meta's preference only ever record opt-outs. */
const SOURCES: ConsentRecordSource[] = ["agent", "whatsapp", "web_form", "checkout", "offline", "api", "import", "keyword", "meta_preference"];
const OPT_OUT_ONLY = new Set<ConsentRecordSource>(["keyword", "meta_preference"]);

function RecordForm({ contact, onRecorded, onCancel }: { contact: Contact; onRecorded: (event: ConsentEvent, contact: Contact) => void; onCancel: () => void }) {
  const [category, setCategory] = useState<ConsentCategory>("marketing");
  const [action, setAction] = useState<ConsentAction>("opt_in");
  const [source, setSource] = useState<ConsentRecordSource>("agent");
  const [proof, setProof] = useState("");
  const [keyword, setKeyword] = useState("");
  const [occurredAt, setOccurredAt] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaving(true);
    setError(null);
    try {
      const result = await recordConsent(contact.id, {
        category,
        action,
        source,
        proof: proof.trim(),
        keyword: source === "keyword" ? keyword.trim() : "",
        ...(occurredAt ? { occurred_at: new Date(occurredAt).toISOString() } : {}),
      });
      onRecorded(result.event, result.contact);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setSaving(false);
    }
  }

  const fields = ["category", "action", "source", "proof", "keyword", "occurred_at"];
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Record consent" className="space-y-3 rounded-lg border border-slate-200 bg-slate-50 p-3">
      {error && !fields.some((f) => error.fieldError(f)) ? <Alert>{error.message}</Alert> : null}
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label="Category" error={error?.fieldError("category")}>
          {(control) => (
            <Select {...control} value={category} onChange={(event) => setCategory(event.target.value as ConsentCategory)}>
              {CATEGORIES.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <fieldset>
          <legend className="mb-1.5 block text-sm font-medium text-slate-800">Action</legend>
          <div className="flex h-10 items-center gap-4 text-sm">
            {(["opt_in", "opt_out"] as const).map((value) => (
              <label key={value} className="flex items-center gap-1.5">
                <input
                  type="radio"
                  name="consent-action"
                  value={value}
                  checked={action === value}
                  className="size-4 accent-brand-700"
                  onChange={() => {
                    setAction(value);
                    if (value === "opt_in" && OPT_OUT_ONLY.has(source)) setSource("agent");
                  }}
                />
                {value === "opt_in" ? "Opt-in" : "Opt-out"}
              </label>
            ))}
          </div>
        </fieldset>
        <Field label="Source" error={error?.fieldError("source")}>
          {(control) => (
            <Select {...control} value={source} onChange={(event) => setSource(event.target.value as ConsentRecordSource)}>
              {SOURCES.filter((s) => action === "opt_out" || !OPT_OUT_ONLY.has(s)).map((s) => (
                <option key={s} value={s}>
                  {SOURCE_LABELS[s]}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <TextField
          label="When (optional)"
          type="datetime-local"
          value={occurredAt}
          onChange={(event) => setOccurredAt(event.target.value)}
          error={error?.fieldError("occurred_at")}
          hint="Now if empty; never in the future."
        />
        {source === "keyword" ? (
          <TextField label="Keyword" value={keyword} onChange={(event) => setKeyword(event.target.value)} error={error?.fieldError("keyword")} placeholder="STOP" />
        ) : null}
      </div>
      <Field label="Proof" error={error?.fieldError("proof")} hint="What the person saw or did: the form's wording, their message.">
        {({ invalid, ...control }) => (
          <textarea
            {...control}
            aria-invalid={invalid || undefined}
            rows={2}
            maxLength={5000}
            value={proof}
            onChange={(event) => setProof(event.target.value)}
            className="block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-xs focus:border-brand-600 focus:outline-2 focus:outline-brand-600/30"
          />
        )}
      </Field>
      <div className="flex gap-2">
        <Button type="submit" size="sm" loading={saving} variant={action === "opt_out" ? "danger" : "primary"}>
          {action === "opt_in" ? "Record opt-in" : "Record opt-out"}
        </Button>
        <Button size="sm" variant="ghost" disabled={saving} onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

function EventItem({ event }: { event: ConsentEvent }) {
  return (
    <li className="py-2.5 text-sm">
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={event.action === "opt_in" ? "brand" : "red"}>{event.action === "opt_in" ? "Opt-in" : "Opt-out"}</Badge>
        <span className="font-medium capitalize text-slate-900">{event.category}</span>
        <span className="text-slate-500">·</span>
        <span className="text-slate-700">{SOURCE_LABELS[event.source] ?? event.source}</span>
        {event.keyword ? <code className="rounded bg-slate-100 px-1 text-xs">{event.keyword}</code> : null}
      </div>
      <p className="mt-0.5 text-xs text-slate-500">
        <time dateTime={event.occurred_at}>{formatDateTime(event.occurred_at)}</time>
        {event.actor_email ? <> · by {event.actor_email}</> : null}
      </p>
      {event.proof ? <p className="mt-1 whitespace-pre-wrap border-l-2 border-slate-200 pl-2 text-slate-600">{event.proof}</p> : null}
    </li>
  );
}

/** Current consent per category, the ledger (newest first) and recording an opt-in or opt-out. */
export function ConsentSection({ contact, onContactChanged }: { contact: Contact; onContactChanged: (contact: Contact) => void }) {
  const [recording, setRecording] = useState(false);
  const history = useCursorQuery<ConsentEvent>(contactKeys.consent(contact.id), (next) => listConsentEvents(contact.id, next));
  const { setItems } = history;

  return (
    <div className="space-y-3">
      <dl className="grid grid-cols-2 gap-3 text-sm">
        {CATEGORIES.map((c) => (
          <div key={c.value} className="rounded-lg border border-slate-200 px-3 py-2">
            <dt className="text-slate-500">{c.label}</dt>
            <dd className="mt-1">
              <ConsentBadge state={contact.consent[c.value]} />
            </dd>
          </div>
        ))}
      </dl>
      {recording ? (
        <RecordForm
          contact={contact}
          onCancel={() => setRecording(false)}
          onRecorded={(event, updated) => {
            // The ledger is ordered by when it happened, which may be earlier than the newest entry.
            setItems((list) => [...list, event].sort((a, b) => b.occurred_at.localeCompare(a.occurred_at) || b.id - a.id));
            onContactChanged(updated);
            setRecording(false);
          }}
        />
      ) : (
        <Button size="sm" variant="secondary" onClick={() => setRecording(true)}>
          Record opt-in or opt-out
        </Button>
      )}
      <div>
        <h4 className="text-xs font-semibold uppercase tracking-wide text-slate-500">History</h4>
        {history.loading ? (
          <p role="status" className="flex items-center gap-2 py-2 text-sm text-slate-500">
            <Spinner /> Loading history…
          </p>
        ) : history.items.length === 0 ? (
          <p className="py-2 text-sm text-slate-500">No consent recorded yet: both categories are unknown.</p>
        ) : (
          <ul className="divide-y divide-slate-100" aria-label="Consent history">
            {history.items.map((event) => (
              <EventItem key={event.id} event={event} />
            ))}
          </ul>
        )}
        {history.error ? <Alert>{history.error}</Alert> : null}
        {history.hasMore ? (
          <Button size="sm" variant="ghost" loading={history.loadingMore} onClick={() => void history.loadMore()}>
            Show older
          </Button>
        ) : null}
      </div>
    </div>
  );
}
