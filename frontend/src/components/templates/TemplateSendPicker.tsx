"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { Button, Field, Select } from "@/components/ui";
import { listApproved, type Template, type TemplateParameters } from "@/lib/api/templates";
import type { Message } from "@/lib/api/types";
import { templateKeys } from "@/lib/query/keys";
import { SendTemplateDialog } from "./SendTemplateDialog";

export interface TemplateSendPickerProps {
  contactId?: number | null;
  to?: string;
  recipientLabel?: string;
  businessName?: string;
  /** Why it can't be sent yet (no recipient), shown instead of opening the dialog. */
  blocked?: string | null;
  onSend: (template: Template, parameters: TemplateParameters | undefined) => Promise<Message>;
  onSent: (message: Message) => void;
}

/**
 * Pick one of the business's approved templates, then fill in its variables in the mapping dialog and
 * send it. Without approved templates it says so (and nothing else).
 */
export function TemplateSendPicker({ contactId, to, recipientLabel, businessName, blocked, onSend, onSent }: TemplateSendPickerProps) {
  const approved = useQuery({ queryKey: templateKeys.approved(), queryFn: listApproved });
  const templates = approved.data ?? [];
  const [chosenId, setChosenId] = useState("");
  const [open, setOpen] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const chosen = templates.find((t) => String(t.id) === chosenId);

  if (approved.isPending) return <p className="text-sm text-slate-500">Loading approved templates…</p>;
  if (templates.length === 0) return <p className="text-sm text-slate-500">No approved templates yet. Write one on the Templates page.</p>;

  return (
    <div className="space-y-2 rounded-lg border border-slate-200 bg-slate-50/60 p-3">
      <div className="flex flex-wrap items-end gap-2">
        <Field label="Approved template" className="min-w-56 flex-1">
          {(control) => (
            <Select {...control} value={chosenId} onChange={(event) => setChosenId(event.target.value)}>
              <option value="">Choose a template…</option>
              {templates.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name} · {t.language}
                  {t.category ? ` · ${t.category.toLowerCase()}` : ""}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Button
          disabled={!chosen}
          onClick={() => {
            setNotice(blocked ?? null);
            if (!blocked) setOpen(true);
          }}
        >
          Fill in and send…
        </Button>
      </div>
      {notice ? <p className="text-sm text-red-700">{notice}</p> : null}
      {open && chosen ? (
        <SendTemplateDialog
          template={chosen}
          contactId={contactId}
          to={to}
          recipientLabel={recipientLabel}
          businessName={businessName}
          onSend={(parameters) => onSend(chosen, parameters)}
          onSent={(message) => {
            setOpen(false);
            onSent(message);
          }}
          onClose={() => setOpen(false)}
        />
      ) : null}
    </div>
  );
}
