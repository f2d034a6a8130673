"use client";

import Link from "next/link";

import { createContact } from "@/lib/api/contacts";
import type { Contact } from "@/lib/api/types";
import { useApiForm } from "@/hooks/useApiForm";
import { Alert, Button, TextField } from "@/components/ui";
import { cleanTags, splitList } from "./filters/model";
import { Overlay } from "./Overlay";
import { CALLING_CODES, regionName } from "./settings/regions";

// wa_user_id has no input: its error shows on top by itself (below), not as the general one.
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
  const form = useApiForm({
    initial: { phone: "", name: "", email: "", language: "", tags: "" },
    submit: ({ tags, ...values }) => createContact({ ...values, tags: cleanTags(splitList(tags)) }),
    onSuccess: (contact) => onCreated(contact),
    fields: FIELDS,
  });

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
          <Button type="submit" form={formId} loading={form.submitting}>
            Add contact
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={form.onSubmit} noValidate className="space-y-4" aria-label="Add a contact">
        {form.generalError ? <Alert>{form.generalError}</Alert> : null}
        {form.fieldError("wa_user_id") ? <Alert>{form.fieldError("wa_user_id")}</Alert> : null}
        <TextField
          label="Phone"
          type="tel"
          autoComplete="off"
          required
          {...form.bind("phone")}
          hint={<PhoneHint region={region} manager={manager} />}
          placeholder={region ? undefined : "+91 98765 43210"}
        />
        <TextField label="Name" maxLength={200} {...form.bind("name")} />
        <TextField label="Email" type="email" {...form.bind("email")} />
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            label="Language"
            {...form.bind("language")}
            hint="e.g. en, hi, pt_BR"
          />
          <TextField
            label="Tags"
            {...form.bind("tags")}
            hint="Separated by commas"
          />
        </div>
      </form>
    </Overlay>
  );
}
