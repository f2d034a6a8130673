"use client";

/**
 * The mapping dialog wherever a template is sent (composer, inbox): the template's variables prefilled
 * from the saved mapping and the contact (the server fills them: POST /api/templates/{id}/preview/ with
 * contact_id), editable, with the rendered message and its problems. Untouched, the send carries no
 * parameters and the server's mapping fills them exactly as previewed; edited, the typed values go.
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { Overlay } from "@/components/contacts/Overlay";
import { Alert, Button, TextField } from "@/components/ui";
import { useDebounced } from "@/hooks/useDebounced";
import { listContacts } from "@/lib/api/contacts";
import { previewTemplate, type Problem, type Template, type TemplateParameters } from "@/lib/api/templates";
import type { Message } from "@/lib/api/types";
import { toApiError, type ApiError } from "@/lib/apiClient";
import { templateKeys } from "@/lib/query/keys";
import { isNamed, slotLabel, slotsOf, toParameters, valuesFromPayload, type Slot } from "./mapping";
import { RenderedPreview } from "./RenderedPreview";

/** The slot a problem or error key names (`parameters.body[1]`, `body.first_name`, `buttons[0]`), if any. */
export function slotForKey(key: string, slots: Slot[]): Slot | undefined {
  const k = key.replace(/^parameters\./, "");
  const positional = /^(header|body)\[(\d+)\]/.exec(k);
  if (positional) return slots.find((s) => s.part === positional[1] && s.position === Number(positional[2]));
  const named = /^(header|body)\.(\w+)/.exec(k);
  if (named) return slots.find((s) => s.part === named[1] && s.name === named[2]);
  const button = /^buttons(?:\.|\[)(\d+)\]?(?:\[(\d+)\]|\.parameters\[(\d+)\])?/.exec(k);
  if (button) {
    const list = slots.filter((s) => s.part === "button");
    const byIndex = list.filter((s) => s.button === Number(button[1]));
    // `buttons[0]` may name the first button with a variable rather than the button at index 0.
    return (byIndex.length ? byIndex : list.slice(Number(button[1]), Number(button[1]) + 1))[Number(button[2] ?? button[3] ?? 0)];
  }
  return undefined;
}

export interface SendTemplateDialogProps {
  template: Template;
  /** The contact it goes to (the inbox knows it); else `to` is looked up among the contacts. */
  contactId?: number | null;
  to?: string;
  recipientLabel?: string;
  businessName?: string;
  /** Sends it: parameters undefined means "the saved mapping fills them from the contact". */
  onSend: (parameters: TemplateParameters | undefined) => Promise<Message>;
  onSent: (message: Message) => void;
  onClose: () => void;
}

export function SendTemplateDialog({ template, contactId, to, recipientLabel, businessName, onSend, onSent, onClose }: SendTemplateDialogProps) {
  const slots = slotsOf(template);
  const named = isNamed(template);

  // The contact: given, or the first one whose phone matches `to`.
  const lookup = useQuery({
    queryKey: templateKeys.recipient(to ?? ""),
    queryFn: () => listContacts({ q: to }, null, 1),
    enabled: contactId == null && Boolean(to?.trim()),
  });
  const contact = contactId ?? lookup.data?.results[0]?.id ?? null;

  // What the saved mapping makes of this contact (or of nobody: the examples and fallbacks).
  const mapped = useQuery({
    queryKey: templateKeys.preview(template.id, { contact_id: contact }),
    queryFn: () => previewTemplate(template.id, contact !== null ? { contact_id: contact } : { parameters: {} }),
    enabled: contactId != null || !to?.trim() || !lookup.isPending,
  });
  const prefilled = valuesFromPayload(mapped.data?.payload, slots);

  const [edited, setEdited] = useState<Record<string, string> | null>(null);
  const values = edited ?? prefilled;
  const parameters = toParameters(values, slots, named);
  const typedJson = useDebounced(edited ? JSON.stringify(parameters) : null, 300);
  const typed = useQuery({
    queryKey: templateKeys.preview(template.id, typedJson),
    queryFn: () => previewTemplate(template.id, { parameters: JSON.parse(typedJson!) as TemplateParameters }),
    enabled: typedJson !== null,
    placeholderData: keepPreviousData,
  });
  const shown = edited ? (typed.data ?? mapped.data) : mapped.data;
  const problems: Problem[] = shown?.problems ?? [];

  const [sending, setSending] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const slotErrors: Record<string, string[]> = {};
  const general: string[] = [];
  const notes = [
    ...problems.map((p) => [p.field, p.message] as const),
    ...Object.entries(error?.fieldErrors ?? {}).flatMap(([key, messages]) => messages.map((m) => [key, m] as const)),
  ];
  for (const [key, message] of notes) {
    const slot = slotForKey(key, slots);
    if (slot) (slotErrors[slot.id] ??= []).push(message);
    else general.push(message);
  }

  async function send() {
    setSending(true);
    setError(null);
    try {
      // Untouched with a contact: the server's mapping fills the variables (what the preview showed).
      const sent = await onSend(edited || contact === null ? (slots.length ? parameters : undefined) : undefined);
      onSent(sent);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setSending(false);
    }
  }

  return (
    <Overlay
      title={`Send ${template.name}`}
      description={`${template.language}${recipientLabel ? ` · to ${recipientLabel}` : ""}`}
      onClose={onClose}
      className="sm:max-w-3xl"
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={() => void send()} loading={sending} disabled={mapped.isPending && contact !== null}>
            Send template
          </Button>
        </>
      }
    >
      <div className="grid gap-5 md:grid-cols-[minmax(0,1fr)_17rem]">
        <div className="space-y-3">
          {error && !Object.keys(error.fieldErrors).length ? <Alert>{error.message}</Alert> : null}
          {slots.length === 0 ? <p className="text-sm text-slate-600">This template has no variables.</p> : null}
          {slots.length && contact !== null && !edited ? (
            <p className="text-sm text-slate-600">Filled in from the contact by the template&apos;s mapping. Change any value to send your own.</p>
          ) : null}
          {slots.map((slot) => (
            <TextField
              key={slot.id}
              label={slotLabel(slot)}
              value={values[slot.id] ?? ""}
              error={slotErrors[slot.id]?.join(" ")}
              onChange={(event) => setEdited({ ...values, [slot.id]: event.target.value })}
            />
          ))}
          {general.length ? (
            <ul className="list-disc space-y-0.5 pl-4 text-sm text-red-700" data-testid="send-problems">
              {general.map((text, i) => (
                <li key={i}>{text}</li>
              ))}
            </ul>
          ) : null}
        </div>
        <RenderedPreview rendered={shown?.rendered} businessName={businessName} loading={mapped.isFetching || typed.isFetching} />
      </div>
    </Overlay>
  );
}
