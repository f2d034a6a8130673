"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";

import { updateContact } from "@/lib/api/contacts";
import type { AttributeDefinition, Contact } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { Alert, Button, Field, Input, Select } from "@/components/ui";

/** The stored value as an input's text: booleans "true"/"false", numbers and dates as written. */
export function toInput(value: unknown): string {
  if (value === null || value === undefined) return "";
  return String(value);
}

/** An input's text as the API value: null clears it; numbers and booleans typed; the rest as text. */
export function fromInput(definition: AttributeDefinition, text: string): unknown {
  const trimmed = text.trim();
  if (!trimmed) return null;
  if (definition.type === "number" && /^-?\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  if (definition.type === "boolean") return trimmed === "true";
  return trimmed; // the backend validates and says what's wrong
}

/** The backend reports attribute errors as "key: reason." lines under `attributes`. */
function errorsByKey(messages: string[]): { byKey: Record<string, string>; other: string[] } {
  const byKey: Record<string, string> = {};
  const other: string[] = [];
  for (const message of messages) {
    const match = /^([a-z][a-z0-9_]*): (.+)$/.exec(message);
    if (match) byKey[match[1]!] = match[2]!.charAt(0).toUpperCase() + match[2]!.slice(1);
    else other.push(message);
  }
  return { byKey, other };
}

function AttributeInput({ definition, value, onChange, error }: { definition: AttributeDefinition; value: string; onChange: (value: string) => void; error?: string }) {
  return (
    <Field label={definition.label} error={error} hint={<span className="font-mono text-xs">{definition.key}</span>}>
      {(control) => {
        switch (definition.type) {
          case "boolean":
            return (
              <Select {...control} value={value} onChange={(event) => onChange(event.target.value)}>
                <option value="">—</option>
                <option value="true">Yes</option>
                <option value="false">No</option>
              </Select>
            );
          case "choice":
            return (
              <Select {...control} value={value} onChange={(event) => onChange(event.target.value)}>
                <option value="">—</option>
                {/* A value stored before its choice was renamed still shows. */}
                {value && !definition.choices.includes(value) ? <option value={value}>{value}</option> : null}
                {definition.choices.map((choice) => (
                  <option key={choice} value={choice}>
                    {choice}
                  </option>
                ))}
              </Select>
            );
          case "date":
            return <Input {...control} type="date" value={value} onChange={(event) => onChange(event.target.value)} />;
          case "number":
            return <Input {...control} inputMode="decimal" value={value} onChange={(event) => onChange(event.target.value)} />;
          default:
            return <Input {...control} value={value} onChange={(event) => onChange(event.target.value)} />;
        }
      }}
    </Field>
  );
}

/** Custom attributes with the input their type needs; changed values are saved together. */
export function AttributesForm({
  contact,
  definitions,
  manager,
  onSaved,
}: {
  contact: Contact;
  definitions: AttributeDefinition[];
  manager: boolean;
  onSaved: (contact: Contact) => void;
}) {
  // Only what was typed is kept here; everything else shows the contact's stored value.
  const [edits, setEdits] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<{ byKey: Record<string, string>; other: string[] }>({ byKey: {}, other: [] });
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);

  if (definitions.length === 0) {
    return (
      <p className="text-sm text-slate-500">
        No custom attributes are defined.{" "}
        {manager ? (
          <Link href="/settings/contacts" className="font-medium text-brand-700 hover:underline">
            Define them in Settings → Contacts
          </Link>
        ) : (
          "Owners and admins define them in settings."
        )}
      </p>
    );
  }

  const valueOf = (key: string) => edits[key] ?? toInput(contact.attributes[key]);
  const changed = definitions.filter((d) => valueOf(d.key) !== toInput(contact.attributes[d.key]));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!changed.length) return;
    setSaving(true);
    setSaved(false);
    setErrors({ byKey: {}, other: [] });
    try {
      const attributes = Object.fromEntries(changed.map((d) => [d.key, fromInput(d, valueOf(d.key))]));
      const updated = await updateContact(contact.id, { attributes });
      setEdits({});
      setSaved(true);
      onSaved(updated);
    } catch (err) {
      const apiError = toApiError(err);
      const messages = apiError.fieldErrors.attributes;
      setErrors(messages ? errorsByKey(messages) : { byKey: {}, other: [apiError.message] });
    } finally {
      setSaving(false);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Attributes" className="space-y-3">
      {errors.other.length ? <Alert>{errors.other.join(" ")}</Alert> : null}
      <div className="grid gap-3 sm:grid-cols-2">
        {definitions.map((definition) => (
          <AttributeInput
            key={definition.key}
            definition={definition}
            value={valueOf(definition.key)}
            error={errors.byKey[definition.key]}
            onChange={(value) => {
              setSaved(false);
              setEdits((v) => ({ ...v, [definition.key]: value }));
            }}
          />
        ))}
      </div>
      <div className="flex items-center gap-3">
        <Button type="submit" size="sm" loading={saving} disabled={!changed.length}>
          Save attributes
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
