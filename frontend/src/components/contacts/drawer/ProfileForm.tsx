"use client";

import { useState, type FormEvent } from "react";

import { updateContact } from "@/lib/api/contacts";
import type { Contact, ContactPatch } from "@/lib/api/types";
import { toApiError, type ApiError } from "@/lib/apiClient";
import { Alert, Button, TextField } from "@/components/ui";
import { PhoneHint } from "../AddContactDialog";

const FIELDS = ["name", "email", "language", "phone"] as const;
type Field = (typeof FIELDS)[number];

/** Name, email, language and phone; only changed fields are sent. */
export function ProfileForm({ contact, region, manager, onSaved }: { contact: Contact; region: string | null; manager: boolean; onSaved: (contact: Contact) => void }) {
  // Only what was typed is kept here; the rest shows the contact as stored (it may be refreshed).
  const [edits, setEdits] = useState<Partial<Record<Field, string>>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);

  const original: Record<Field, string> = { name: contact.name, email: contact.email, language: contact.language, phone: contact.phone ?? "" };
  const values: Record<Field, string> = { ...original, ...edits };
  const changed = FIELDS.filter((f) => values[f].trim() !== original[f]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!changed.length) return;
    setSaving(true);
    setError(null);
    setSaved(false);
    try {
      const body: ContactPatch = {};
      for (const field of changed) {
        if (field === "phone") body.phone = values.phone.trim() || null;
        else body[field] = values[field].trim();
      }
      const updated = await updateContact(contact.id, body);
      setEdits({}); // show the stored form (E.164, lowercase email)
      setSaved(true);
      onSaved(updated);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setSaving(false);
    }
  }

  const set = (field: Field) => (event: { target: { value: string } }) => {
    setSaved(false);
    setEdits((v) => ({ ...v, [field]: event.target.value }));
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Profile" className="space-y-3">
      {error && !FIELDS.some((f) => error.fieldError(f)) ? <Alert>{error.fieldError("wa_user_id") ?? error.message}</Alert> : null}
      <TextField label="Name" maxLength={200} value={values.name} onChange={set("name")} error={error?.fieldError("name")} />
      <TextField
        label="Phone"
        type="tel"
        value={values.phone}
        onChange={set("phone")}
        error={error?.fieldError("phone")}
        hint={values.phone !== original.phone ? <PhoneHint region={region} manager={manager} /> : undefined}
      />
      <div className="grid gap-3 sm:grid-cols-[1fr_8rem]">
        <TextField label="Email" type="email" value={values.email} onChange={set("email")} error={error?.fieldError("email")} />
        <TextField label="Language" value={values.language} onChange={set("language")} error={error?.fieldError("language")} placeholder="en" />
      </div>
      <div className="flex items-center gap-3">
        <Button type="submit" size="sm" loading={saving} disabled={!changed.length}>
          Save profile
        </Button>
        {saved ? (
          <span role="status" className="text-sm text-brand-800">
            Saved.
          </span>
        ) : null}
      </div>
    </form>
  );
}
