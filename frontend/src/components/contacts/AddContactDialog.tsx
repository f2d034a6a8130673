"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";

import { createContact } from "@/lib/api/contacts";
import type { Contact } from "@/lib/api/types";
import { toApiError, type ApiError } from "@/lib/apiClient";
import { Alert, Button, TextField } from "@/components/ui";
import { cleanTags, splitList } from "./filters/model";
import { Overlay } from "./Overlay";
import { CALLING_CODES, regionName } from "./settings/regions";

const FIELDS = ["phone", "wa_user_id", "name", "email", "language", "tags"] as const;

/** What a number typed without "+" means for this business. */
export function PhoneHint({ region, manager }: { region: string | null; manager: boolean }) {
  if (region === null) return <>With + and the country code, e.g. +44 7700 900123.</>;
  if (!region) {
    return (
      <>
        Start with + and the country code: no default country is set
        {manager ? (
          <>
            {" "}
            (
            <Link href="/settings/contacts" className="font-medium text-brand-700 hover:underline">
              set one
            </Link>
            )
          </>
        ) : null}
        .
      </>
    );
  }
  return (
    <>
      With + and the country code, or a national number of {regionName(region)} (+{CALLING_CODES[region] ?? "?"}), the default country.
    </>
  );
}

export interface AddContactDialogProps {
  /** The business's default region ("" for none; null while loading). */
  region: string | null;
  manager: boolean;
  onCreated: (contact: Contact) => void;
  onClose: () => void;
}

export function AddContactDialog({ region, manager, onCreated, onClose }: AddContactDialogProps) {
  const [phone, setPhone] = useState("");
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [language, setLanguage] = useState("");
  const [tags, setTags] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaving(true);
    setError(null);
    try {
      const contact = await createContact({ phone, name, email, language, tags: cleanTags(splitList(tags)) });
      onCreated(contact);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setSaving(false);
    }
  }

  const unplaced = error && !FIELDS.some((f) => error.fieldError(f));
  const formId = "add-contact-form";
  return (
    <Overlay
      title="Add a contact"
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form={formId} loading={saving}>
            Add contact
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Add a contact">
        {unplaced ? <Alert>{error.nonFieldErrors[0] ?? error.message}</Alert> : null}
        {error?.fieldError("wa_user_id") ? <Alert>{error.fieldError("wa_user_id")}</Alert> : null}
        <TextField
          label="Phone"
          type="tel"
          autoComplete="off"
          required
          value={phone}
          onChange={(event) => setPhone(event.target.value)}
          error={error?.fieldError("phone")}
          hint={<PhoneHint region={region} manager={manager} />}
          placeholder={region ? undefined : "+91 98765 43210"}
        />
        <TextField label="Name" maxLength={200} value={name} onChange={(event) => setName(event.target.value)} error={error?.fieldError("name")} />
        <TextField label="Email" type="email" value={email} onChange={(event) => setEmail(event.target.value)} error={error?.fieldError("email")} />
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            label="Language"
            value={language}
            onChange={(event) => setLanguage(event.target.value)}
            error={error?.fieldError("language")}
            hint="e.g. en, hi, pt_BR"
          />
          <TextField
            label="Tags"
            value={tags}
            onChange={(event) => setTags(event.target.value)}
            error={error?.fieldError("tags")}
            hint="Separated by commas"
          />
        </div>
      </form>
    </Overlay>
  );
}
