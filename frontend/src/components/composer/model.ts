/**
 * The composer's form state: one slice per message type, kept while the person switches types so
 * nothing typed is lost. `build.ts` turns it into Meta's message object.
 */

export const MEDIA_KINDS = ["image", "video", "audio", "document", "sticker"] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

export type ComposerKind =
  | "text"
  | MediaKind
  | "location"
  | "contacts"
  | "reaction"
  | "template"
  | "button"
  | "list"
  | "cta_url"
  | "location_request"
  | "carousel"
  | "flow";

export const KIND_GROUPS: ReadonlyArray<{ label: string; kinds: ReadonlyArray<{ value: ComposerKind; label: string }> }> = [
  {
    label: "Basic",
    kinds: [
      { value: "text", label: "Text" },
      { value: "image", label: "Image" },
      { value: "video", label: "Video" },
      { value: "audio", label: "Audio" },
      { value: "document", label: "Document" },
      { value: "sticker", label: "Sticker" },
      { value: "location", label: "Location" },
      { value: "contacts", label: "Contact card" },
      { value: "reaction", label: "Reaction" },
    ],
  },
  { label: "Template", kinds: [{ value: "template", label: "Template" }] },
  {
    label: "Interactive",
    kinds: [
      { value: "button", label: "Reply buttons" },
      { value: "list", label: "List" },
      { value: "cta_url", label: "Call-to-action URL" },
      { value: "location_request", label: "Location request" },
      { value: "carousel", label: "Media carousel" },
      { value: "flow", label: "Flow" },
    ],
  },
];

export function isMediaKind(kind: string): kind is MediaKind {
  return (MEDIA_KINDS as readonly string[]).includes(kind);
}

export type Source = "link" | "id";

export interface MediaForm {
  source: Source;
  link: string;
  id: string;
  caption: string;
  filename: string;
  voice: boolean;
}

export interface LocationForm {
  latitude: string;
  longitude: string;
  name: string;
  address: string;
}

export interface ContactForm {
  formattedName: string;
  firstName: string;
  lastName: string;
  phone: string;
  phoneType: string;
  waId: string;
  email: string;
  company: string;
}

export type HeaderType = "none" | "text" | "image" | "video" | "document";

export interface HeaderForm {
  type: HeaderType;
  text: string;
  source: Source;
  link: string;
  id: string;
  filename: string;
}

export interface ReplyButtonForm {
  id: string;
  title: string;
}

export interface ListRowForm {
  id: string;
  title: string;
  description: string;
}

export interface ListSectionForm {
  title: string;
  rows: ListRowForm[];
}

export interface CarouselCardForm {
  source: Source;
  link: string;
  id: string;
  body: string;
  displayText: string;
  url: string;
}

export type TemplateHeaderType = "none" | "text" | "image" | "video" | "document" | "location";
export type TemplateButtonType = "quick_reply" | "url" | "copy_code";

export interface TemplateParamForm {
  name: string;
  value: string;
}

export interface TemplateButtonForm {
  subType: TemplateButtonType;
  index: string;
  value: string;
}

export interface TemplateForm {
  name: string;
  language: string;
  /** Named templates name every parameter ({{first_name}}); positional ones number them ({{1}}). */
  paramMode: "positional" | "named";
  /** The approved template's body text, for the preview only: it is never sent. */
  previewText: string;
  header: {
    type: TemplateHeaderType;
    paramName: string;
    text: string;
    source: Source;
    link: string;
    id: string;
    filename: string;
    location: LocationForm;
  };
  body: TemplateParamForm[];
  buttons: TemplateButtonForm[];
}

export interface FlowForm {
  flowId: string;
  flowCta: string;
  flowToken: string;
  mode: "" | "draft" | "published";
  screen: string;
  /** JSON object for the first screen, as typed. */
  data: string;
}

export interface ComposerState {
  kind: ComposerKind;
  /** wamid of the message this one quotes (`context.message_id`); not for reactions. */
  replyTo: string;
  text: { body: string; previewUrl: boolean };
  media: MediaForm;
  location: LocationForm;
  contact: ContactForm;
  reaction: { messageId: string; emoji: string };
  template: TemplateForm;
  /** Header, body and footer shared by the interactive types. */
  interactive: { header: HeaderForm; body: string; footer: string };
  buttons: ReplyButtonForm[];
  list: { button: string; sections: ListSectionForm[] };
  cta: { displayText: string; url: string };
  carousel: { mediaType: "image" | "video"; cards: CarouselCardForm[] };
  flow: FlowForm;
}

export const emptyRow = (n: number): ListRowForm => ({ id: `row_${n}`, title: "", description: "" });
export const emptyButton = (n: number): ReplyButtonForm => ({ id: `button_${n}`, title: "" });
export const emptyCard = (): CarouselCardForm => ({ source: "link", link: "", id: "", body: "", displayText: "", url: "" });

export function initialComposerState(): ComposerState {
  return {
    kind: "text",
    replyTo: "",
    text: { body: "", previewUrl: false },
    media: { source: "link", link: "", id: "", caption: "", filename: "", voice: false },
    location: { latitude: "", longitude: "", name: "", address: "" },
    contact: { formattedName: "", firstName: "", lastName: "", phone: "", phoneType: "CELL", waId: "", email: "", company: "" },
    reaction: { messageId: "", emoji: "👍" },
    template: {
      name: "",
      language: "en_US",
      paramMode: "positional",
      previewText: "",
      header: {
        type: "none",
        paramName: "",
        text: "",
        source: "link",
        link: "",
        id: "",
        filename: "",
        location: { latitude: "", longitude: "", name: "", address: "" },
      },
      body: [],
      buttons: [],
    },
    interactive: { header: { type: "none", text: "", source: "link", link: "", id: "", filename: "" }, body: "", footer: "" },
    buttons: [emptyButton(1), emptyButton(2)],
    list: { button: "", sections: [{ title: "", rows: [emptyRow(1)] }] },
    cta: { displayText: "", url: "" },
    carousel: { mediaType: "image", cards: [emptyCard(), emptyCard()] },
    flow: { flowId: "", flowCta: "", flowToken: "", mode: "", screen: "", data: "" },
  };
}

/** Which interactive types take which header, and whether they have a footer (Meta's rules). */
export const INTERACTIVE_PARTS: Partial<Record<ComposerKind, { headers: HeaderType[]; footer: boolean }>> = {
  button: { headers: ["none", "text", "image", "video", "document"], footer: true },
  list: { headers: ["none", "text"], footer: true },
  cta_url: { headers: ["none", "text", "image", "video", "document"], footer: true },
  flow: { headers: ["none", "text", "image", "video", "document"], footer: true },
  location_request: { headers: ["none"], footer: false },
  carousel: { headers: ["none"], footer: false },
};
