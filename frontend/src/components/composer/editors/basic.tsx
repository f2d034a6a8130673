"use client";

/** Editors for text, media, location, contact card and reaction. */
import { Segmented } from "@/components/ui";
import { LIMITS } from "../checks";
import { Checkbox, GroupError, SelectInput, TextAreaInput, TextInput } from "../controls";
import type { ComposerState, ContactForm, LocationForm, MediaForm, MediaKind, Source } from "../model";

export interface SliceProps<T> {
  value: T;
  onChange: (next: T) => void;
}

export const SOURCE_OPTIONS: ReadonlyArray<{ value: Source; label: string }> = [
  { value: "link", label: "By link" },
  { value: "id", label: "By media id" },
];

export function TextEditor({ value, onChange }: SliceProps<ComposerState["text"]>) {
  return (
    <div className="space-y-4">
      <TextAreaInput
        label="Message"
        errorKey="text.body"
        rows={5}
        max={LIMITS.TEXT_BODY}
        value={value.body}
        onChange={(body) => onChange({ ...value, body })}
        placeholder="Hello! Your order has shipped."
        hint="Line breaks are kept. WhatsApp formatting works: *bold*, _italic_, ~strike~."
      />
      <Checkbox
        label="Show a link preview"
        hint="WhatsApp previews the first URL in the message."
        checked={value.previewUrl}
        onChange={(previewUrl) => onChange({ ...value, previewUrl })}
      />
    </div>
  );
}

/** Link or uploaded media id, used by media messages, headers and carousel cards. */
export function MediaSourceInputs({
  value,
  onChange,
  keyPrefix,
  kind,
}: SliceProps<{ source: Source; link: string; id: string }> & { keyPrefix: string; kind: string }) {
  return (
    <>
      <Segmented label={`${kind.charAt(0).toUpperCase()}${kind.slice(1)} source`} value={value.source} onChange={(source) => onChange({ ...value, source })} options={SOURCE_OPTIONS} />
      {value.source === "link" ? (
        <TextInput
          label="Link"
          errorKey={`${keyPrefix}.link`}
          type="url"
          inputMode="url"
          value={value.link}
          onChange={(link) => onChange({ ...value, link })}
          placeholder={`https://example.com/file.${kind === "video" ? "mp4" : kind === "document" ? "pdf" : kind === "audio" ? "ogg" : kind === "sticker" ? "webp" : "jpg"}`}
          hint="A public HTTPS URL WhatsApp can download."
        />
      ) : (
        <TextInput
          label="Media id"
          errorKey={`${keyPrefix}.id`}
          value={value.id}
          onChange={(id) => onChange({ ...value, id })}
          placeholder="1013859600285441"
          hint="The id WhatsApp returned for an uploaded file."
        />
      )}
    </>
  );
}

export function MediaEditor({ kind, value, onChange }: SliceProps<MediaForm> & { kind: MediaKind }) {
  return (
    <div className="space-y-4">
      <GroupError errorKey="media" />
      <MediaSourceInputs kind={kind} keyPrefix="media" value={value} onChange={(source) => onChange({ ...value, ...source })} />
      {kind === "image" || kind === "video" || kind === "document" ? (
        <TextAreaInput
          label="Caption (optional)"
          errorKey="media.caption"
          rows={2}
          max={LIMITS.CAPTION}
          value={value.caption}
          onChange={(caption) => onChange({ ...value, caption })}
        />
      ) : null}
      {kind === "document" ? (
        <TextInput
          label="File name (optional)"
          errorKey="media.filename"
          value={value.filename}
          onChange={(filename) => onChange({ ...value, filename })}
          placeholder="invoice-1042.pdf"
          hint="What the customer sees; the extension sets the icon."
        />
      ) : null}
      {kind === "audio" ? (
        <Checkbox
          label="Send as a voice note"
          hint="The file must be OGG with the OPUS codec."
          checked={value.voice}
          onChange={(voice) => onChange({ ...value, voice })}
        />
      ) : null}
    </div>
  );
}

export function LocationInputs({ value, onChange, keyPrefix }: SliceProps<LocationForm> & { keyPrefix: string }) {
  const set = (patch: Partial<LocationForm>) => onChange({ ...value, ...patch });
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <TextInput label="Latitude" errorKey={`${keyPrefix}.latitude`} inputMode="decimal" value={value.latitude} onChange={(latitude) => set({ latitude })} placeholder="37.4847" />
      <TextInput label="Longitude" errorKey={`${keyPrefix}.longitude`} inputMode="decimal" value={value.longitude} onChange={(longitude) => set({ longitude })} placeholder="-122.1485" />
      <TextInput label="Name (optional)" errorKey={`${keyPrefix}.name`} value={value.name} onChange={(name) => set({ name })} placeholder="Philz Coffee" />
      <TextInput label="Address (optional)" errorKey={`${keyPrefix}.address`} value={value.address} onChange={(address) => set({ address })} placeholder="101 Forest Ave, Palo Alto" />
    </div>
  );
}

const PHONE_TYPES = [
  { value: "", label: "No type" },
  { value: "CELL", label: "Mobile" },
  { value: "MAIN", label: "Main" },
  { value: "IPHONE", label: "iPhone" },
  { value: "HOME", label: "Home" },
  { value: "WORK", label: "Work" },
] as const;

export function ContactEditor({ value, onChange }: SliceProps<ContactForm>) {
  const set = (patch: Partial<ContactForm>) => onChange({ ...value, ...patch });
  return (
    <div className="space-y-4">
      <GroupError errorKey="contact" />
      <TextInput
        label="Name as shown"
        errorKey="contact.formatted_name"
        value={value.formattedName}
        onChange={(formattedName) => set({ formattedName })}
        placeholder="Ana Souza"
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextInput label="First name (optional)" errorKey="contact.first_name" value={value.firstName} onChange={(firstName) => set({ firstName })} />
        <TextInput label="Last name (optional)" errorKey="contact.last_name" value={value.lastName} onChange={(lastName) => set({ lastName })} />
        <TextInput label="Phone (optional)" errorKey="contact.phone" type="tel" inputMode="tel" value={value.phone} onChange={(phone) => set({ phone })} placeholder="+1 650 555 0101" />
        <SelectInput label="Phone type" errorKey="contact.phone_type" value={value.phoneType} onChange={(phoneType) => set({ phoneType })} options={PHONE_TYPES} />
        <TextInput
          label="WhatsApp id (optional)"
          errorKey="contact.wa_id"
          inputMode="numeric"
          value={value.waId}
          onChange={(waId) => set({ waId })}
          hint="Adds a “Message” button on the card."
          placeholder="16505550101"
        />
        <TextInput label="Email (optional)" errorKey="contact.email" type="email" value={value.email} onChange={(email) => set({ email })} />
        <TextInput label="Company (optional)" errorKey="contact.company" value={value.company} onChange={(company) => set({ company })} />
      </div>
    </div>
  );
}

const QUICK_EMOJI = ["👍", "❤️", "😂", "😮", "😢", "🙏"];

export function ReactionEditor({ value, onChange }: SliceProps<ComposerState["reaction"]>) {
  return (
    <div className="space-y-4">
      <TextInput
        label="Message to react to"
        errorKey="reaction.message_id"
        value={value.messageId}
        onChange={(messageId) => onChange({ ...value, messageId })}
        placeholder="wamid.HBgLMTY1MDU1NTAxMDE…"
        hint="The wamid of a message in this chat."
      />
      <div className="flex flex-wrap items-end gap-3">
        <TextInput label="Emoji" errorKey="reaction.emoji" value={value.emoji} onChange={(emoji) => onChange({ ...value, emoji })} className="w-28" />
        <div className="flex flex-wrap gap-1 pb-0.5" role="group" aria-label="Pick an emoji">
          {QUICK_EMOJI.map((emoji) => (
            <button
              key={emoji}
              type="button"
              onClick={() => onChange({ ...value, emoji })}
              className="grid size-9 place-items-center rounded-lg border border-slate-200 bg-white text-lg hover:bg-slate-50"
              aria-label={`React with ${emoji}`}
            >
              {emoji}
            </button>
          ))}
          <button type="button" onClick={() => onChange({ ...value, emoji: "" })} className="h-9 rounded-lg border border-slate-200 bg-white px-2 text-sm text-slate-700 hover:bg-slate-50">
            Remove reaction
          </button>
        </div>
      </div>
    </div>
  );
}
