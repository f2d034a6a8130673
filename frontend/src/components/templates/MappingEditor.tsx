"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";

import { Alert, Button, Card, CardBody, CardHeader, Input, Select } from "@/components/ui";
import { useApiForm } from "@/hooks/useApiForm";
import { listAllAttributes } from "@/lib/api/contacts";
import { saveMapping, type MappingSource, type Template } from "@/lib/api/templates";
import { contactKeys, templateKeys } from "@/lib/query/keys";
import { CONTACT_FIELDS, isNamed, readMapping, slotLabel, slotsOf, writeMapping, type Slot } from "./mapping";

/** The contact fields and the business's attributes, as choices for a variable's source. */
export function useFieldChoices(): ReadonlyArray<{ value: string; label: string }> {
  const attributes = useQuery({ queryKey: contactKeys.attributes(), queryFn: listAllAttributes });
  return [...CONTACT_FIELDS, ...(attributes.data ?? []).map((a) => ({ value: `attributes.${a.key}`, label: `Attribute: ${a.label}` }))];
}

function SourceRow({
  slot,
  source,
  choices,
  onChange,
  disabled,
  error,
}: {
  slot: Slot;
  source: MappingSource;
  choices: ReadonlyArray<{ value: string; label: string }>;
  onChange: (source: MappingSource) => void;
  disabled: boolean;
  error?: string;
}) {
  const label = slotLabel(slot);
  const fixed = source.field === "";
  return (
    <tr className="border-b border-slate-50 align-top last:border-0">
      <th scope="row" className="px-5 py-2 text-left font-mono text-xs font-normal text-slate-700">
        {label}
        {error ? <span className="mt-1 block font-sans text-red-700">{error}</span> : null}
      </th>
      <td className="px-2 py-2">
        <Select aria-label={`${label} comes from`} value={source.field} disabled={disabled} onChange={(event) => onChange({ ...source, field: event.target.value })}>
          {choices.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </Select>
      </td>
      <td className="px-2 py-2">
        {fixed ? (
          <Input aria-label={`${label} text`} value={source.value} disabled={disabled} onChange={(event) => onChange({ ...source, value: event.target.value })} />
        ) : (
          <Input
            aria-label={`${label} fallback`}
            placeholder="When the field is empty"
            value={source.fallback}
            disabled={disabled}
            onChange={(event) => onChange({ ...source, fallback: event.target.value })}
          />
        )}
      </td>
    </tr>
  );
}

/**
 * How each variable is filled when the template goes to a contact without typed parameters: a contact
 * field or attribute (with a fallback for contacts who lack it) or fixed text. PUT /api/templates/{id}/mapping/.
 */
export function MappingEditor({ template, canManage }: { template: Template; canManage: boolean }) {
  const client = useQueryClient();
  const choices = useFieldChoices();
  const slots = slotsOf(template);
  const named = isNamed(template);
  const form = useApiForm<Record<string, MappingSource>, Template>({
    initial: readMapping(template.mapping, slots),
    fields: [],
    submit: (sources) => saveMapping(template.id, writeMapping(sources, slots, named)),
    onSuccess: (saved) => {
      client.setQueryData(templateKeys.detail(template.id), (old: object | undefined) => (old ? { ...old, ...saved } : old));
      void client.invalidateQueries({ queryKey: templateKeys.detail(template.id) });
    },
  });

  if (slots.length === 0) {
    return (
      <Card>
        <CardHeader title="Variables" />
        <CardBody className="text-sm text-slate-500">This template has no variables: it is sent as it is.</CardBody>
      </Card>
    );
  }

  /** A server error for a slot: keyed like `body[0]`, `body.first_name`, `buttons.0[0]`. */
  const slotError = (slot: Slot) => {
    const keys =
      slot.part === "button"
        ? [`buttons.${slot.button}[${slot.position}]`, `buttons.${slot.button}`]
        : [`${slot.part}[${slot.position}]`, `${slot.part}.${slot.name}`, slot.part];
    for (const key of keys) if (form.fieldError(key)) return form.fieldError(key);
    return undefined;
  };

  return (
    <Card>
      <CardHeader
        title="Variables"
        description="When this template goes to a contact, each variable is filled from the contact (or a fallback) or with fixed text."
      />
      <form onSubmit={form.onSubmit} aria-label="Variable mapping">
        <table className="w-full text-sm">
          <thead className="border-b border-slate-100 text-left text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="px-5 py-2 font-medium">
                Variable
              </th>
              <th scope="col" className="px-2 py-2 font-medium">
                Comes from
              </th>
              <th scope="col" className="px-2 py-2 font-medium">
                Text / fallback
              </th>
            </tr>
          </thead>
          <tbody>
            {slots.map((slot) => (
              <SourceRow
                key={slot.id}
                slot={slot}
                choices={choices}
                source={form.values[slot.id]!}
                disabled={!canManage}
                error={slotError(slot)}
                onChange={(source) => form.setValues((v) => ({ ...v, [slot.id]: source }))}
              />
            ))}
          </tbody>
        </table>
        {canManage ? (
          <div className="flex flex-wrap items-center gap-3 border-t border-slate-100 px-5 py-3">
            <Button type="submit" size="sm" loading={form.submitting}>
              Save mapping
            </Button>
            {form.done ? (
              <span role="status" className="text-sm text-brand-800">
                Saved.
              </span>
            ) : null}
            {form.error ? <Alert className="w-full">{form.error.message}</Alert> : null}
          </div>
        ) : null}
      </form>
    </Card>
  );
}
