"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { listContacts, mergeContacts } from "@/lib/api/contacts";
import type { Contact } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { contactKeys } from "@/lib/query/keys";
import { Alert, Button, Input, Spinner } from "@/components/ui";
import { contactLabel } from "../format";
import { Overlay } from "../Overlay";
import { useDebounced } from "@/hooks/useDebounced";

type Side = "survivor" | "merged";
const FIELDS = [
  { key: "name", label: "Name" },
  { key: "phone", label: "Phone" },
  { key: "wa_user_id", label: "WhatsApp user id" },
  { key: "email", label: "Email" },
  { key: "language", label: "Language" },
] as const;

function Search({ contact, onPick }: { contact: Contact; onPick: (other: Contact) => void }) {
  const [text, setText] = useState("");
  const q = useDebounced(text.trim(), 300);
  const search = useQuery({ queryKey: contactKeys.search(q), queryFn: () => listContacts({ q }, null, 8), enabled: Boolean(q) });
  const current = q && (search.data || search.error)
    ? { results: (search.data?.results ?? []).filter((c) => c.id !== contact.id), error: search.error ? toApiError(search.error).message : undefined }
    : null;
  return (
    <div className="space-y-3">
      <Input
        aria-label="Find the other contact"
        value={text}
        onChange={(event) => setText(event.target.value)}
        placeholder="Name, phone or email"
        data-autofocus
      />
      {q && !current ? (
        <p role="status" className="flex items-center gap-2 text-sm text-slate-500">
          <Spinner /> Searching…
        </p>
      ) : null}
      {current?.error ? <Alert>{current.error}</Alert> : null}
      {current && !current.error && current.results.length === 0 ? <p className="text-sm text-slate-500">No other contact matches.</p> : null}
      {current?.results.length ? (
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200" aria-label="Matching contacts">
          {current.results.map((other) => (
            <li key={other.id}>
              <button type="button" onClick={() => onPick(other)} className="w-full px-3 py-2 text-left text-sm hover:bg-slate-50">
                <span className="font-medium text-slate-900">{contactLabel(other)}</span>
                <span className="block text-slate-500">{[other.phone, other.email].filter(Boolean).join(" · ") || "—"}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/**
 * Folds another contact into this one (owners and admins): pick it by search, choose which side wins
 * where both have a value, then merge. The other contact is deleted; tags are united and the consent
 * ledgers joined (a later STOP on either side stays a STOP).
 */
export function MergeDialog({ contact, onMerged, onClose }: { contact: Contact; onMerged: (survivor: Contact) => void; onClose: () => void }) {
  const [other, setOther] = useState<Contact | null>(null);
  const [prefer, setPrefer] = useState<Record<string, Side>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const clashes = other ? FIELDS.filter((f) => contact[f.key] && other[f.key] && contact[f.key] !== other[f.key]) : [];
  const attributeClash = other ? Object.keys(other.attributes).some((k) => k in contact.attributes && contact.attributes[k] !== other.attributes[k]) : false;

  async function merge() {
    if (!other) return;
    setBusy(true);
    setError(null);
    try {
      const result = await mergeContacts(contact.id, { merge_id: other.id, prefer });
      onMerged(result.contact);
    } catch (err) {
      setError(toApiError(err).message);
      setBusy(false);
    }
  }

  const choice = (field: string, side: Side, text: string) => (
    <label className="flex items-start gap-2">
      <input
        type="radio"
        name={`prefer-${field}`}
        className="mt-0.5 size-4 accent-brand-700"
        checked={(prefer[field] ?? "survivor") === side}
        onChange={() => setPrefer((p) => ({ ...p, [field]: side }))}
      />
      <span className="break-all">{text}</span>
    </label>
  );

  return (
    <Overlay
      title={`Merge into ${contactLabel(contact)}`}
      description="The other contact is folded into this one and deleted."
      onClose={onClose}
      footer={
        other ? (
          <>
            <Button variant="secondary" disabled={busy} onClick={() => setOther(null)}>
              Back
            </Button>
            <Button loading={busy} onClick={() => void merge()}>
              Merge {contactLabel(other)} into this contact
            </Button>
          </>
        ) : undefined
      }
    >
      {other ? (
        <div className="space-y-4 text-sm">
          {error ? <Alert>{error}</Alert> : null}
          {clashes.length || attributeClash ? (
            <>
              <p className="text-slate-700">Both contacts have a value here. Which one should stay?</p>
              <dl className="space-y-3">
                {clashes.map((f) => (
                  <div key={f.key}>
                    <dt className="font-medium text-slate-900">{f.label}</dt>
                    <dd className="mt-1 grid gap-1 sm:grid-cols-2">
                      {choice(f.key, "survivor", String(contact[f.key]))}
                      {choice(f.key, "merged", String(other[f.key]))}
                    </dd>
                  </div>
                ))}
                {attributeClash ? (
                  <div>
                    <dt className="font-medium text-slate-900">Attributes both have</dt>
                    <dd className="mt-1 grid gap-1 sm:grid-cols-2">
                      {choice("attributes", "survivor", "This contact's values")}
                      {choice("attributes", "merged", `${contactLabel(other)}'s values`)}
                    </dd>
                  </div>
                ) : null}
              </dl>
            </>
          ) : (
            <p className="text-slate-700">No field differs: empty fields here are filled from {contactLabel(other)}.</p>
          )}
          <p className="text-slate-500">Tags are combined, the consent histories joined, first seen is the earliest and last seen the latest.</p>
        </div>
      ) : (
        <Search contact={contact} onPick={(picked) => setOther(picked)} />
      )}
    </Overlay>
  );
}
