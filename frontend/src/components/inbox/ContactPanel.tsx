"use client";

import Link from "next/link";
import { useId, useState, type FormEvent } from "react";

import { CallContactSection } from "@/components/calls/CallContactSection";
import { CONSENT_LABELS, CONSENT_TONES } from "@/components/contacts/format";
import { Badge, Button, cx } from "@/components/ui";
import type { ConsentState, Conversation, Note } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { clockTime, conversationTitle, dayLabel } from "./format";

function consent(state: string): { label: string; tone: "brand" | "red" | "neutral" } {
  const known = state in CONSENT_LABELS ? (state as ConsentState) : "unknown";
  return { label: CONSENT_LABELS[known], tone: CONSENT_TONES[known] };
}

/** The contact at a glance and the team's internal notes (never sent to the customer). */
export function ContactPanel({
  conversation,
  notes,
  onAddNote,
  onClose,
  canSend = false,
  inCall = false,
  onCall,
  className,
}: {
  conversation: Conversation;
  notes: Note[];
  onAddNote: (body: string) => Promise<void>;
  canSend?: boolean;
  inCall?: boolean;
  /** Places a WhatsApp call to the contact (absent: no calling here). */
  onCall?: (contactId: number, phoneNumberId: string) => Promise<void>;
  onClose: () => void;
  className?: string;
}) {
  const [draft, setDraft] = useState("");
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const noteId = useId();
  const { contact } = conversation;
  const marketing = consent(contact.marketing_consent);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!draft.trim()) {
      setError("Write a note first.");
      return;
    }
    setSaving(true);
    setError(null);
    try {
      await onAddNote(draft.trim());
      setDraft("");
    } catch (err) {
      setError(toApiError(err).fieldError("body") ?? toApiError(err).message);
    } finally {
      setSaving(false);
    }
  }

  return (
    <aside aria-label="Contact and notes" className={cx("flex min-h-0 flex-col overflow-y-auto border-slate-200 bg-white", className)}>
      <div className="border-b border-slate-100 p-4">
        <div className="flex items-start justify-between gap-2">
          <h2 className="text-sm font-semibold text-slate-900">Contact</h2>
          <button type="button" onClick={onClose} className="rounded px-1.5 text-sm text-slate-500 hover:bg-slate-100 xl:hidden">
            Close
          </button>
        </div>
        <p className="mt-2 font-medium text-slate-900">{conversationTitle(conversation)}</p>
        <dl className="mt-2 grid grid-cols-[6.5rem_1fr] gap-x-2 gap-y-1 text-sm">
          <dt className="text-slate-500">Phone</dt>
          <dd className="truncate text-slate-800">{contact.phone || "—"}</dd>
          {contact.wa_user_id ? (
            <>
              <dt className="text-slate-500">WhatsApp id</dt>
              <dd className="truncate text-slate-800">{contact.wa_user_id}</dd>
            </>
          ) : null}
          <dt className="text-slate-500">Marketing</dt>
          <dd>
            <Badge tone={marketing.tone}>{marketing.label}</Badge>
          </dd>
        </dl>
        <Link href={`/contacts?contact=${contact.id}`} className="mt-3 inline-block text-sm font-medium text-brand-700 hover:underline">
          Open contact
        </Link>
      </div>

      {onCall ? <CallContactSection conversation={conversation} canSend={canSend} inCall={inCall} onCall={onCall} /> : null}

      <section aria-labelledby={`${noteId}-heading`} className="flex-1 p-4">
        <h2 id={`${noteId}-heading`} className="text-sm font-semibold text-slate-900">
          Internal notes
        </h2>
        <p className="text-xs text-slate-500">Only your team sees these.</p>
        {notes.length === 0 ? <p className="mt-3 text-sm text-slate-500">No notes yet.</p> : null}
        <ul aria-label="Notes" className="mt-3 space-y-2">
          {notes.map((note) => (
            <li key={note.id} className="rounded-lg bg-amber-50 px-3 py-2 text-sm ring-1 ring-amber-100">
              <p className="whitespace-pre-wrap break-words text-slate-800">{note.body}</p>
              <p className="mt-1 text-xs text-slate-500">
                {note.author?.name ?? "Someone"} · {dayLabel(note.created_at)} {clockTime(note.created_at)}
              </p>
            </li>
          ))}
        </ul>
        <form onSubmit={onSubmit} noValidate className="mt-3 space-y-2">
          <label htmlFor={noteId} className="text-sm font-medium text-slate-800">
            Add a note
          </label>
          <textarea
            id={noteId}
            rows={3}
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            aria-invalid={Boolean(error) || undefined}
            aria-describedby={error ? `${noteId}-error` : undefined}
            className="block w-full rounded-lg border border-slate-300 px-3 py-2 text-sm shadow-xs focus:border-brand-600 focus:outline-2 focus:outline-offset-0 focus:outline-brand-600/30"
          />
          {error ? (
            <p id={`${noteId}-error`} className="text-sm text-red-700">
              {error}
            </p>
          ) : null}
          <Button type="submit" size="sm" variant="secondary" loading={saving}>
            Add note
          </Button>
        </form>
      </section>
    </aside>
  );
}
