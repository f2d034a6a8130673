"use client";

/** Editors for interactive messages: header/body/footer, reply buttons, list, CTA URL, carousel, flow. */
import { Button, Segmented } from "@/components/ui";
import { LIMITS } from "../checks";
import { GroupError, ItemBox, SelectInput, TextAreaInput, TextInput } from "../controls";
import {
  emptyButton,
  emptyCard,
  emptyRow,
  INTERACTIVE_PARTS,
  type CarouselCardForm,
  type ComposerKind,
  type ComposerState,
  type FlowForm,
  type HeaderType,
  type ListSectionForm,
} from "../model";
import { MediaSourceInputs, type SliceProps } from "./basic";

const HEADER_LABELS: Record<HeaderType, string> = { none: "None", text: "Text", image: "Image", video: "Video", document: "Document" };

/** Header (where the type has one), body and footer. */
export function InteractiveCommonEditor({ kind, value, onChange }: SliceProps<ComposerState["interactive"]> & { kind: ComposerKind }) {
  const parts = INTERACTIVE_PARTS[kind] ?? { headers: ["none"], footer: false };
  const header = parts.headers.includes(value.header.type) ? value.header : { ...value.header, type: "none" as const };
  const setHeader = (patch: Partial<typeof header>) => onChange({ ...value, header: { ...header, ...patch } });
  return (
    <div className="space-y-4">
      {parts.headers.length > 1 ? (
        <div className="space-y-3">
          <Segmented label="Header" value={header.type} onChange={(type) => setHeader({ type })} options={parts.headers.map((h) => ({ value: h, label: HEADER_LABELS[h] }))} />
          <GroupError errorKey="interactive.header" />
          {header.type === "text" ? (
            <TextInput label="Header text" errorKey="interactive.header.text" max={LIMITS.HEADER_TEXT} value={header.text} onChange={(text) => setHeader({ text })} />
          ) : null}
          {header.type === "image" || header.type === "video" || header.type === "document" ? (
            <MediaSourceInputs kind={header.type} keyPrefix="interactive.header" value={header} onChange={(source) => setHeader(source)} />
          ) : null}
          {header.type === "document" ? (
            <TextInput label="File name (optional)" errorKey="interactive.header.filename" value={header.filename} onChange={(filename) => setHeader({ filename })} />
          ) : null}
        </div>
      ) : null}
      <TextAreaInput
        label="Body"
        errorKey="interactive.body"
        rows={3}
        max={kind === "list" ? LIMITS.LIST_BODY : LIMITS.INTERACTIVE_BODY}
        value={value.body}
        onChange={(body) => onChange({ ...value, body })}
        placeholder={kind === "location_request" ? "Where should we deliver your order?" : "How can we help?"}
      />
      {parts.footer ? (
        <TextInput label="Footer (optional)" errorKey="interactive.footer" max={LIMITS.FOOTER_TEXT} value={value.footer} onChange={(footer) => onChange({ ...value, footer })} />
      ) : null}
    </div>
  );
}

export function ButtonsEditor({ value, onChange }: SliceProps<ComposerState["buttons"]>) {
  const set = (i: number, patch: Partial<(typeof value)[number]>) => onChange(value.map((b, n) => (n === i ? { ...b, ...patch } : b)));
  return (
    <fieldset className="space-y-3">
      <legend className="text-sm font-semibold text-slate-900">Reply buttons (1–3)</legend>
      <GroupError errorKey="buttons" />
      {value.map((button, i) => (
        <ItemBox key={i} title={`Button ${i + 1}`} onRemove={value.length > 1 ? () => onChange(value.filter((_, n) => n !== i)) : undefined}>
          <GroupError errorKey={`buttons[${i}]`} />
          <div className="grid gap-3 sm:grid-cols-2">
            <TextInput label="Title" errorKey={`buttons[${i}].title`} max={LIMITS.REPLY_BUTTON_TITLE} value={button.title} onChange={(title) => set(i, { title })} placeholder="Yes, please" />
            <TextInput label="Reply id" errorKey={`buttons[${i}].id`} value={button.id} onChange={(id) => set(i, { id })} hint="Comes back in the customer's reply." />
          </div>
        </ItemBox>
      ))}
      <Button size="sm" variant="secondary" disabled={value.length >= LIMITS.REPLY_BUTTONS_MAX} onClick={() => onChange([...value, emptyButton(value.length + 1)])}>
        Add button
      </Button>
    </fieldset>
  );
}

export function ListEditor({ value, onChange }: SliceProps<ComposerState["list"]>) {
  const rowCount = value.sections.reduce((n, s) => n + s.rows.length, 0);
  const setSection = (i: number, patch: Partial<ListSectionForm>) =>
    onChange({ ...value, sections: value.sections.map((s, n) => (n === i ? { ...s, ...patch } : s)) });
  return (
    <div className="space-y-4">
      <TextInput label="List button text" errorKey="list.button" max={LIMITS.LIST_BUTTON} value={value.button} onChange={(button) => onChange({ ...value, button })} placeholder="See options" />
      <fieldset className="space-y-3">
        <legend className="text-sm font-semibold text-slate-900">
          Sections and rows <span className="font-normal text-slate-500">({rowCount}/{LIMITS.LIST_ROWS_MAX} rows)</span>
        </legend>
        <GroupError errorKey="list.sections" />
        {value.sections.map((section, i) => (
          <ItemBox
            key={i}
            title={`Section ${i + 1}`}
            onRemove={value.sections.length > 1 ? () => onChange({ ...value, sections: value.sections.filter((_, n) => n !== i) }) : undefined}
          >
            <TextInput
              label={value.sections.length > 1 ? "Section title" : "Section title (optional with one section)"}
              errorKey={`list.sections[${i}].title`}
              max={LIMITS.LIST_SECTION_TITLE}
              value={section.title}
              onChange={(title) => setSection(i, { title })}
            />
            <GroupError errorKey={`list.sections[${i}].rows`} />
            {section.rows.map((row, j) => {
              const key = `list.sections[${i}].rows[${j}]`;
              const setRow = (patch: Partial<typeof row>) => setSection(i, { rows: section.rows.map((r, n) => (n === j ? { ...r, ...patch } : r)) });
              return (
                <div key={j} className="rounded-md border border-slate-200 bg-white p-3">
                  <div className="mb-2 flex items-center justify-between">
                    <p className="text-xs font-medium text-slate-500">Row {j + 1}</p>
                    {section.rows.length > 1 ? (
                      <button
                        type="button"
                        className="rounded px-1.5 text-sm text-red-700 hover:bg-red-50"
                        onClick={() => setSection(i, { rows: section.rows.filter((_, n) => n !== j) })}
                        aria-label={`Remove row ${j + 1} of section ${i + 1}`}
                      >
                        Remove
                      </button>
                    ) : null}
                  </div>
                  <div className="grid gap-3 sm:grid-cols-2">
                    <TextInput label="Title" errorKey={`${key}.title`} max={LIMITS.LIST_ROW_TITLE} value={row.title} onChange={(title) => setRow({ title })} />
                    <TextInput label="Row id" errorKey={`${key}.id`} value={row.id} onChange={(id) => setRow({ id })} />
                    <TextInput
                      label="Description (optional)"
                      errorKey={`${key}.description`}
                      max={LIMITS.LIST_ROW_DESCRIPTION}
                      value={row.description}
                      onChange={(description) => setRow({ description })}
                      className="sm:col-span-2"
                    />
                  </div>
                </div>
              );
            })}
            <Button size="sm" variant="secondary" disabled={rowCount >= LIMITS.LIST_ROWS_MAX} onClick={() => setSection(i, { rows: [...section.rows, emptyRow(rowCount + 1)] })}>
              Add row
            </Button>
          </ItemBox>
        ))}
        <Button
          size="sm"
          variant="secondary"
          disabled={rowCount >= LIMITS.LIST_ROWS_MAX || value.sections.length >= LIMITS.LIST_SECTIONS_MAX}
          onClick={() => onChange({ ...value, sections: [...value.sections, { title: "", rows: [emptyRow(rowCount + 1)] }] })}
        >
          Add section
        </Button>
      </fieldset>
    </div>
  );
}

export function CtaEditor({ value, onChange }: SliceProps<ComposerState["cta"]>) {
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <TextInput label="Button text" errorKey="cta.display_text" max={LIMITS.CTA_DISPLAY_TEXT} value={value.displayText} onChange={(displayText) => onChange({ ...value, displayText })} placeholder="See dates" />
      <TextInput label="URL" errorKey="cta.url" type="url" inputMode="url" value={value.url} onChange={(url) => onChange({ ...value, url })} placeholder="https://example.com/book" />
      <div className="sm:col-span-2">
        <GroupError errorKey="cta" />
      </div>
    </div>
  );
}

export function CarouselEditor({ value, onChange }: SliceProps<ComposerState["carousel"]>) {
  const setCard = (i: number, patch: Partial<CarouselCardForm>) => onChange({ ...value, cards: value.cards.map((c, n) => (n === i ? { ...c, ...patch } : c)) });
  return (
    <div className="space-y-4">
      <Segmented
        label="Card media (the same for every card)"
        value={value.mediaType}
        onChange={(mediaType) => onChange({ ...value, mediaType })}
        options={[
          { value: "image", label: "Images" },
          { value: "video", label: "Videos" },
        ]}
      />
      <fieldset className="space-y-3">
        <legend className="text-sm font-semibold text-slate-900">
          Cards <span className="font-normal text-slate-500">({value.cards.length}, 2–10)</span>
        </legend>
        <GroupError errorKey="carousel.cards" />
        {value.cards.map((card, i) => {
          const key = `carousel.cards[${i}]`;
          return (
            <ItemBox
              key={i}
              title={`Card ${i + 1}`}
              onRemove={value.cards.length > LIMITS.CAROUSEL_CARDS_MIN ? () => onChange({ ...value, cards: value.cards.filter((_, n) => n !== i) }) : undefined}
            >
              <GroupError errorKey={`${key}.media`} />
              <MediaSourceInputs kind={value.mediaType} keyPrefix={key} value={card} onChange={(source) => setCard(i, source)} />
              <TextAreaInput label="Card text (optional)" errorKey={`${key}.body`} rows={2} max={LIMITS.CAROUSEL_CARD_BODY} value={card.body} onChange={(body) => setCard(i, { body })} hint="At most 2 line breaks." />
              <div className="grid gap-3 sm:grid-cols-2">
                <TextInput label="Button text" errorKey={`${key}.display_text`} max={LIMITS.CTA_DISPLAY_TEXT} value={card.displayText} onChange={(displayText) => setCard(i, { displayText })} />
                <TextInput label="Button URL" errorKey={`${key}.url`} type="url" value={card.url} onChange={(url) => setCard(i, { url })} placeholder="https://example.com/item" />
              </div>
            </ItemBox>
          );
        })}
        <Button size="sm" variant="secondary" disabled={value.cards.length >= LIMITS.CAROUSEL_CARDS_MAX} onClick={() => onChange({ ...value, cards: [...value.cards, emptyCard()] })}>
          Add card
        </Button>
      </fieldset>
    </div>
  );
}

export function FlowEditor({ value, onChange }: SliceProps<FlowForm>) {
  const set = (patch: Partial<FlowForm>) => onChange({ ...value, ...patch });
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <TextInput label="Flow id" errorKey="flow.flow_id" inputMode="numeric" value={value.flowId} onChange={(flowId) => set({ flowId })} placeholder="1234567890123456" />
      <TextInput label="Button text (CTA)" errorKey="flow.flow_cta" max={LIMITS.FLOW_CTA} value={value.flowCta} onChange={(flowCta) => set({ flowCta })} placeholder="Book now" />
      <TextInput label="Flow token (optional)" errorKey="flow.flow_token" value={value.flowToken} onChange={(flowToken) => set({ flowToken })} hint="Comes back with the customer's answers." />
      <SelectInput
        label="Mode"
        errorKey="flow.mode"
        value={value.mode}
        onChange={(mode) => set({ mode })}
        options={[
          { value: "", label: "Published (default)" },
          { value: "draft", label: "Draft (testing)" },
          { value: "published", label: "Published" },
        ]}
      />
      <TextInput label="First screen (optional)" errorKey="flow.screen" value={value.screen} onChange={(screen) => set({ screen })} placeholder="WELCOME" hint="Opens the flow at this screen (navigate)." />
      <TextAreaInput
        label="Screen data (optional JSON)"
        errorKey="flow.data"
        rows={2}
        mono
        value={value.data}
        onChange={(data) => set({ data })}
        placeholder='{"customer_name": "Ana"}'
        hint={value.screen.trim() ? undefined : "Used only with a first screen."}
      />
    </div>
  );
}
