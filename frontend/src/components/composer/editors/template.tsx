"use client";

/**
 * The template editor: an approved template picked and sent through its mapping dialog (`picker`), or
 * by hand: name and language, header, body parameters (positional or named), button parameters.
 */
import type { ReactNode } from "react";

import { Button, Segmented } from "@/components/ui";
import { LIMITS } from "../checks";
import { GroupError, ItemBox, SelectInput, TextAreaInput, TextInput } from "../controls";
import type { TemplateButtonType, TemplateForm, TemplateHeaderType } from "../model";
import { LocationInputs, MediaSourceInputs, type SliceProps } from "./basic";

const HEADER_OPTIONS: ReadonlyArray<{ value: TemplateHeaderType; label: string }> = [
  { value: "none", label: "No header parameter" },
  { value: "text", label: "Text parameter" },
  { value: "image", label: "Image" },
  { value: "video", label: "Video" },
  { value: "document", label: "Document" },
  { value: "location", label: "Location" },
];

const BUTTON_OPTIONS: ReadonlyArray<{ value: TemplateButtonType; label: string }> = [
  { value: "quick_reply", label: "Quick reply (payload)" },
  { value: "url", label: "URL (suffix)" },
  { value: "copy_code", label: "Copy code" },
];

const VALUE_LABELS: Record<TemplateButtonType, { label: string; hint: string }> = {
  quick_reply: { label: "Payload", hint: "Comes back when the customer taps the button." },
  url: { label: "URL suffix", hint: "Appended to the template's URL: https://example.com/track/{{1}}." },
  copy_code: { label: "Code", hint: "The code the customer copies (at most 20 characters)." },
};

export function TemplateEditor({ value, onChange, picker }: SliceProps<TemplateForm> & { picker?: ReactNode }) {
  const named = value.paramMode === "named";
  const set = (patch: Partial<TemplateForm>) => onChange({ ...value, ...patch });
  const setHeader = (patch: Partial<TemplateForm["header"]>) => set({ header: { ...value.header, ...patch } });
  const setParam = (i: number, patch: Partial<TemplateForm["body"][number]>) => set({ body: value.body.map((p, n) => (n === i ? { ...p, ...patch } : p)) });
  const setButton = (i: number, patch: Partial<TemplateForm["buttons"][number]>) =>
    set({ buttons: value.buttons.map((b, n) => (n === i ? { ...b, ...patch } : b)) });

  return (
    <div className="space-y-5">
      {picker ? (
        <>
          {picker}
          <p className="text-sm font-medium text-slate-700">Or send by name, typing the parameters:</p>
        </>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <TextInput label="Template name" errorKey="template.name" value={value.name} onChange={(name) => set({ name })} placeholder="order_shipped" hint="As approved by Meta." />
        <TextInput label="Language" errorKey="template.language" value={value.language} onChange={(language) => set({ language })} placeholder="en_US" hint="The approved translation, e.g. en_US or pt_BR." />
      </div>
      <GroupError errorKey="template.components" />
      <Segmented
        label="Parameters"
        value={value.paramMode}
        onChange={(paramMode) => set({ paramMode })}
        options={[
          { value: "positional", label: "Positional {{1}}" },
          { value: "named", label: "Named {{first_name}}" },
        ]}
      />
      <TextAreaInput
        label="Template text (for the preview only)"
        errorKey="template.preview_text"
        rows={2}
        value={value.previewText}
        onChange={(previewText) => set({ previewText })}
        placeholder={named ? "Hi {{first_name}}, your order {{order_id}} has shipped." : "Hi {{1}}, your order {{2}} has shipped."}
        hint="Paste the approved body to see it filled in. It is not sent: WhatsApp uses the approved text."
      />

      <fieldset className="space-y-3">
        <legend className="text-sm font-semibold text-slate-900">Header</legend>
        <GroupError errorKey="template.header" />
        <SelectInput label="Header parameter" errorKey="template.header.type" value={value.header.type} onChange={(type) => setHeader({ type })} options={HEADER_OPTIONS} />
        {value.header.type === "text" ? (
          <div className="grid gap-3 sm:grid-cols-2">
            {named ? (
              <TextInput label="Parameter name" errorKey="template.header.param_name" value={value.header.paramName} onChange={(paramName) => setHeader({ paramName })} placeholder="order_id" />
            ) : null}
            <TextInput label="Header value" errorKey="template.header.text" max={LIMITS.TEMPLATE_HEADER_TEXT_PARAM} value={value.header.text} onChange={(text) => setHeader({ text })} />
          </div>
        ) : null}
        {value.header.type === "image" || value.header.type === "video" || value.header.type === "document" ? (
          <MediaSourceInputs kind={value.header.type} keyPrefix="template.header" value={value.header} onChange={(source) => setHeader(source)} />
        ) : null}
        {value.header.type === "document" ? (
          <TextInput label="File name (optional)" errorKey="template.header.filename" value={value.header.filename} onChange={(filename) => setHeader({ filename })} />
        ) : null}
        {value.header.type === "location" ? (
          <LocationInputs keyPrefix="template.header.location" value={value.header.location} onChange={(location) => setHeader({ location })} />
        ) : null}
      </fieldset>

      <fieldset className="space-y-3">
        <legend className="text-sm font-semibold text-slate-900">Body parameters</legend>
        <GroupError errorKey="template.body" />
        {value.body.length === 0 ? <p className="text-sm text-slate-500">None: the template&apos;s body has no variables.</p> : null}
        {value.body.map((param, i) => (
          <div key={i} className="flex items-start gap-2">
            <span className="mt-9 w-14 shrink-0 font-mono text-xs text-slate-500">{named ? `{{${param.name || "…"}}}` : `{{${i + 1}}}`}</span>
            <div className="grid flex-1 gap-3 sm:grid-cols-2">
              {named ? (
                <TextInput label="Name" errorKey={`template.body[${i}].name`} value={param.name} onChange={(name) => setParam(i, { name })} placeholder="first_name" />
              ) : null}
              <TextInput
                label={`Value ${i + 1}`}
                errorKey={`template.body[${i}].value`}
                value={param.value}
                onChange={(v) => setParam(i, { value: v })}
                className={named ? undefined : "sm:col-span-2"}
              />
            </div>
            <button
              type="button"
              onClick={() => set({ body: value.body.filter((_, n) => n !== i) })}
              className="mt-8 rounded px-1.5 py-1 text-sm text-red-700 hover:bg-red-50"
              aria-label={`Remove body parameter ${i + 1}`}
            >
              Remove
            </button>
          </div>
        ))}
        <Button size="sm" variant="secondary" onClick={() => set({ body: [...value.body, { name: "", value: "" }] })}>
          Add body parameter
        </Button>
      </fieldset>

      <fieldset className="space-y-3">
        <legend className="text-sm font-semibold text-slate-900">Button parameters</legend>
        {value.buttons.length === 0 ? <p className="text-sm text-slate-500">None: only buttons with a variable part need one.</p> : null}
        {value.buttons.map((button, i) => (
          <ItemBox key={i} title={`Button parameter ${i + 1}`} onRemove={() => set({ buttons: value.buttons.filter((_, n) => n !== i) })}>
            <div className="grid gap-3 sm:grid-cols-[1fr_6rem]">
              <SelectInput
                label="Button type"
                errorKey={`template.buttons[${i}].sub_type`}
                value={button.subType}
                onChange={(subType) => setButton(i, { subType })}
                options={BUTTON_OPTIONS}
              />
              <TextInput
                label="Position"
                errorKey={`template.buttons[${i}].index`}
                inputMode="numeric"
                value={button.index}
                onChange={(index) => setButton(i, { index })}
                hint="0 = first"
              />
            </div>
            <TextInput
              label={VALUE_LABELS[button.subType].label}
              errorKey={`template.buttons[${i}].value`}
              value={button.value}
              onChange={(v) => setButton(i, { value: v })}
              hint={VALUE_LABELS[button.subType].hint}
            />
          </ItemBox>
        ))}
        <Button
          size="sm"
          variant="secondary"
          disabled={value.buttons.length >= 10}
          onClick={() => set({ buttons: [...value.buttons, { subType: "quick_reply", index: String(value.buttons.length), value: "" }] })}
        >
          Add button parameter
        </Button>
      </fieldset>
    </div>
  );
}
