"use client";

import { useState, type FormEvent } from "react";

import { createAttribute, deleteAttribute, updateAttribute } from "@/lib/api/contacts";
import type { AttributeDefinition, AttributeType } from "@/lib/api/types";
import { toApiError, type ApiError } from "@/lib/apiClient";
import { useApiForm } from "@/hooks/useApiForm";
import { Alert, Badge, Button, Field, Select, TextField } from "@/components/ui";

export const TYPE_LABELS: Record<AttributeType, string> = {
  text: "Text",
  number: "Number",
  date: "Date",
  boolean: "Yes / no",
  choice: "Choice",
};

const TEXTAREA =
  "block w-full rounded-lg border bg-white px-3 py-2 text-sm text-slate-900 shadow-xs focus:border-brand-600 focus:outline-2 focus:outline-brand-600/30";

/** "Customer city" -> "customer_city": a key the backend accepts ([a-z][a-z0-9_]{0,49}). */
export function keyFromLabel(label: string): string {
  const key = label
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^[^a-z]+/, "")
    .replace(/_+$/, "");
  return key.slice(0, 50);
}

/** One choice per line, blanks dropped. */
function parseChoices(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
}

function ChoicesField({ value, onChange, error }: { value: string; onChange: (value: string) => void; error?: string }) {
  return (
    <Field label="Choices" error={error} hint="One per line.">
      {({ invalid, ...control }) => (
        <textarea
          {...control}
          aria-invalid={invalid || undefined}
          rows={4}
          value={value}
          onChange={(event) => onChange(event.target.value)}
          className={`${TEXTAREA} ${invalid ? "border-red-500" : "border-slate-300"}`}
        />
      )}
    </Field>
  );
}

const NEW_ATTRIBUTE = { label: "", key: "", type: "text" as AttributeType, choices: "" };

function AddAttributeForm({ onCreated }: { onCreated: (definition: AttributeDefinition) => void }) {
  // Until the key is edited by hand, it follows the label.
  const [keyTouched, setKeyTouched] = useState(false);
  const form = useApiForm({
    initial: NEW_ATTRIBUTE,
    submit: ({ label, key, type, choices }) =>
      createAttribute({ key: keyTouched ? key : keyFromLabel(label), label, type, choices: type === "choice" ? parseChoices(choices) : [] }),
    onSuccess: (created, { reset }) => {
      onCreated(created);
      reset();
      setKeyTouched(false);
    },
  });
  const { label, type } = form.values;
  const shownKey = keyTouched ? form.values.key : keyFromLabel(label);

  return (
    <form onSubmit={form.onSubmit} noValidate aria-label="Add an attribute" className="space-y-3">
      {form.generalError ? <Alert>{form.generalError}</Alert> : null}
      <div className="grid gap-3 sm:grid-cols-3">
        <TextField label="Label" required maxLength={100} {...form.bind("label")} placeholder="City" />
        <TextField
          label="Key"
          required
          maxLength={50}
          value={shownKey}
          onChange={(event) => {
            setKeyTouched(true);
            form.setValue("key", event.target.value);
          }}
          error={form.fieldError("key")}
          hint="Also the CSV column name. Can't change later."
        />
        <Field label="Type" error={form.fieldError("type")} hint="Can't change later.">
          {(control) => (
            <Select {...control} value={type} onChange={(event) => form.setValue("type", event.target.value as AttributeType)}>
              {(Object.keys(TYPE_LABELS) as AttributeType[]).map((t) => (
                <option key={t} value={t}>
                  {TYPE_LABELS[t]}
                </option>
              ))}
            </Select>
          )}
        </Field>
      </div>
      {type === "choice" ? <ChoicesField value={form.values.choices} onChange={(choices) => form.setValue("choices", choices)} error={form.fieldError("choices")} /> : null}
      <Button type="submit" loading={form.submitting}>
        Add attribute
      </Button>
    </form>
  );
}

function DefinitionRow({
  definition,
  manager,
  onUpdated,
  onDeleted,
}: {
  definition: AttributeDefinition;
  manager: boolean;
  onUpdated: (definition: AttributeDefinition) => void;
  onDeleted: (definition: AttributeDefinition) => void;
}) {
  const [mode, setMode] = useState<"view" | "edit" | "delete">("view");
  const [label, setLabel] = useState(definition.label);
  const [choices, setChoices] = useState(definition.choices.join("\n"));
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const updated = await updateAttribute(definition.id, definition.type === "choice" ? { label, choices: parseChoices(choices) } : { label });
      onUpdated(updated);
      setMode("view");
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    setBusy(true);
    setError(null);
    try {
      await deleteAttribute(definition.id);
      onDeleted(definition);
    } catch (err) {
      setError(toApiError(err));
      setBusy(false);
    }
  }

  if (mode === "edit") {
    return (
      <li className="px-5 py-4">
        <form onSubmit={save} noValidate aria-label={`Edit ${definition.label}`} className="space-y-3">
          {error && !error.fieldError("label") && !error.fieldError("choices") ? <Alert>{error.message}</Alert> : null}
          <p className="text-sm text-slate-500">
            <code className="font-mono text-slate-800">{definition.key}</code> · {TYPE_LABELS[definition.type]} (key and type can&apos;t change)
          </p>
          <TextField label="Label" maxLength={100} value={label} onChange={(event) => setLabel(event.target.value)} error={error?.fieldError("label")} />
          {definition.type === "choice" ? <ChoicesField value={choices} onChange={setChoices} error={error?.fieldError("choices")} /> : null}
          <div className="flex gap-2">
            <Button type="submit" size="sm" loading={busy}>
              Save
            </Button>
            <Button
              size="sm"
              variant="ghost"
              disabled={busy}
              onClick={() => {
                setMode("view");
                setError(null);
                setLabel(definition.label);
                setChoices(definition.choices.join("\n"));
              }}
            >
              Cancel
            </Button>
          </div>
        </form>
      </li>
    );
  }

  return (
    <li className="flex flex-wrap items-start justify-between gap-3 px-5 py-3 text-sm">
      <div className="min-w-0">
        <p className="flex flex-wrap items-center gap-2">
          <span className="font-medium text-slate-900">{definition.label}</span>
          <code className="font-mono text-xs text-slate-500">{definition.key}</code>
          <Badge>{TYPE_LABELS[definition.type]}</Badge>
        </p>
        {definition.type === "choice" ? <p className="mt-0.5 text-slate-600">{definition.choices.join(" · ")}</p> : null}
        {mode === "delete" ? (
          <p className="mt-1 text-red-800">Delete {definition.label}? Every contact&apos;s value for it is removed too.</p>
        ) : null}
        {error ? (
          <p role="alert" className="mt-1 text-red-700">
            {error.message}
          </p>
        ) : null}
      </div>
      {manager ? (
        mode === "delete" ? (
          <div className="flex gap-2">
            <Button size="sm" variant="danger" loading={busy} onClick={() => void remove()}>
              Delete attribute
            </Button>
            <Button size="sm" variant="ghost" disabled={busy} onClick={() => setMode("view")}>
              Cancel
            </Button>
          </div>
        ) : (
          <div className="flex gap-1">
            <Button size="sm" variant="ghost" onClick={() => setMode("edit")} aria-label={`Edit ${definition.label}`}>
              Edit
            </Button>
            <Button size="sm" variant="ghost" className="text-red-700" onClick={() => setMode("delete")} aria-label={`Delete ${definition.label}`}>
              Delete
            </Button>
          </div>
        )
      ) : null}
    </li>
  );
}

export interface AttributeDefinitionsProps {
  definitions: AttributeDefinition[];
  manager: boolean;
  onChange: (definitions: AttributeDefinition[]) => void;
}

/** The business's custom contact fields: listed for everyone, defined and changed by managers. */
export function AttributeDefinitions({ definitions, manager, onChange }: AttributeDefinitionsProps) {
  return (
    <>
      {definitions.length ? (
        <ul className="divide-y divide-slate-100">
          {definitions.map((definition) => (
            <DefinitionRow
              key={definition.id}
              definition={definition}
              manager={manager}
              onUpdated={(updated) => onChange(definitions.map((d) => (d.id === updated.id ? updated : d)))}
              onDeleted={(gone) => onChange(definitions.filter((d) => d.id !== gone.id))}
            />
          ))}
        </ul>
      ) : (
        <p className="px-5 py-4 text-sm text-slate-500">
          No custom attributes yet.{manager ? " Add fields such as city, birthday or customer tier below." : ""}
        </p>
      )}
      {manager ? (
        <div className="border-t border-slate-100 px-5 py-4">
          <h3 className="mb-3 text-sm font-semibold text-slate-900">Add an attribute</h3>
          <AddAttributeForm onCreated={(created) => onChange([...definitions, created])} />
        </div>
      ) : null}
    </>
  );
}
