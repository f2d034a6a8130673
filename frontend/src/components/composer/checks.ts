/**
 * Meta's cheap limits, checked in the browser on the message object so a person sees them while
 * typing (counts, lengths, required values). The server (apps/whatsapp/builders) checks everything
 * again, with the same paths; this is a convenience, not the rule book.
 */
import type { FieldErrors } from "@/lib/apiClient";
import { META_LIMITS } from "@/lib/api/limits.gen";

/** Meta's limits, generated from the backend's (apps/whatsapp/builders/limits.py) by `make api`. */
export const LIMITS = META_LIMITS;

type Obj = Record<string, unknown>;

const isObj = (value: unknown): value is Obj => typeof value === "object" && value !== null && !Array.isArray(value);
const obj = (value: unknown): Obj => (isObj(value) ? value : {});
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** Length as Meta counts it: characters (code points), not UTF-16 units. */
export const charCount = (value: string): number => [...value].length;

class Checker {
  readonly errors: FieldErrors = {};

  add(path: string, message: string): void {
    (this.errors[path] ??= []).push(message);
  }

  /** A required string, not blank, at most `max` characters. */
  text(value: unknown, path: string, max?: number): void {
    const s = str(value);
    if (s === undefined || !s.trim()) {
      this.add(path, "Required.");
      return;
    }
    this.length(s, path, max);
  }

  /** An optional string: checked only when given. */
  optional(value: unknown, path: string, max: number): void {
    const s = str(value);
    if (s !== undefined) this.length(s, path, max);
  }

  length(value: string, path: string, max?: number): void {
    const n = charCount(value);
    if (max !== undefined && n > max) this.add(path, `${n} characters; at most ${max} allowed.`);
  }

  url(value: unknown, path: string): void {
    const s = str(value);
    if (!s?.trim()) this.add(path, "Required.");
    else if (!/^https?:\/\/\S+$/i.test(s)) this.add(path, "Must be an http(s) URL.");
  }

  /** Exactly one of `id` (uploaded media) or `link`. */
  media(value: unknown, path: string): void {
    const m = obj(value);
    if ("id" in m) this.text(m.id, `${path}.id`);
    else this.url(m.link, `${path}.link`);
  }

  count(items: unknown[], path: string, min: number, max: number, what: string): void {
    if (items.length < min) this.add(path, `Add at least ${min} ${what}.`);
    if (items.length > max) this.add(path, `At most ${max} ${what}.`);
  }

  unique(values: Array<string | undefined>, pathOf: (i: number) => string, what: string): void {
    const seen = new Set<string>();
    values.forEach((value, i) => {
      if (value === undefined || value === "") return;
      if (seen.has(value)) this.add(pathOf(i), `Duplicate ${what}.`);
      seen.add(value);
    });
  }

  coordinate(value: unknown, path: string, limit: number): void {
    const n = typeof value === "number" ? value : Number.NaN;
    if (value === "" || value === undefined) this.add(path, "Required.");
    else if (!Number.isFinite(n)) this.add(path, "Must be a number.");
    else if (Math.abs(n) > limit) this.add(path, `Must be between -${limit} and ${limit}.`);
  }
}

function checkInteractive(c: Checker, value: unknown): void {
  const i = obj(value);
  const type = str(i.type);
  const header = obj(i.header);
  if (header.type === "text") c.text(header.text, "interactive.header.text", LIMITS.HEADER_TEXT);
  else if (typeof header.type === "string") c.media(header[header.type], `interactive.header.${header.type}`);
  c.text(obj(i.body).text, "interactive.body.text", type === "list" ? LIMITS.LIST_BODY : LIMITS.INTERACTIVE_BODY);
  if ("footer" in i) c.text(obj(i.footer).text, "interactive.footer.text", LIMITS.FOOTER_TEXT);
  const action = obj(i.action);

  if (type === "button") {
    const buttons = arr(action.buttons);
    c.count(buttons, "interactive.action.buttons", 1, LIMITS.REPLY_BUTTONS_MAX, "buttons");
    const replies = buttons.map((b) => obj(obj(b).reply));
    replies.forEach((reply, n) => {
      c.text(reply.id, `interactive.action.buttons[${n}].reply.id`, LIMITS.REPLY_BUTTON_ID);
      c.text(reply.title, `interactive.action.buttons[${n}].reply.title`, LIMITS.REPLY_BUTTON_TITLE);
    });
    c.unique(replies.map((r) => str(r.id)), (n) => `interactive.action.buttons[${n}].reply.id`, "button id");
    c.unique(replies.map((r) => str(r.title)), (n) => `interactive.action.buttons[${n}].reply.title`, "button title");
  } else if (type === "list") {
    c.text(action.button, "interactive.action.button", LIMITS.LIST_BUTTON);
    const sections = arr(action.sections);
    c.count(sections, "interactive.action.sections", 1, LIMITS.LIST_SECTIONS_MAX, "sections");
    const rowIds: Array<string | undefined> = [];
    const rowPaths: string[] = [];
    sections.forEach((section, s) => {
      const sec = obj(section);
      const at = `interactive.action.sections[${s}]`;
      if (sections.length > 1 || "title" in sec) c.text(sec.title, `${at}.title`, LIMITS.LIST_SECTION_TITLE);
      const rows = arr(sec.rows);
      if (rows.length === 0) c.add(`${at}.rows`, "Add at least 1 row.");
      rows.forEach((row, r) => {
        const rowObj = obj(row);
        const rowAt = `${at}.rows[${r}]`;
        if (rowIds.length === LIMITS.LIST_ROWS_MAX) c.add(rowAt, `At most ${LIMITS.LIST_ROWS_MAX} rows across all sections.`);
        c.text(rowObj.id, `${rowAt}.id`, LIMITS.LIST_ROW_ID);
        c.text(rowObj.title, `${rowAt}.title`, LIMITS.LIST_ROW_TITLE);
        c.optional(rowObj.description, `${rowAt}.description`, LIMITS.LIST_ROW_DESCRIPTION);
        rowIds.push(str(rowObj.id));
        rowPaths.push(`${rowAt}.id`);
      });
    });
    c.unique(rowIds, (n) => rowPaths[n] ?? "interactive.action.sections", "row id");
  } else if (type === "cta_url") {
    const params = obj(action.parameters);
    c.text(params.display_text, "interactive.action.parameters.display_text", LIMITS.CTA_DISPLAY_TEXT);
    c.url(params.url, "interactive.action.parameters.url");
  } else if (type === "carousel") {
    const cards = arr(action.cards);
    c.count(cards, "interactive.action.cards", LIMITS.CAROUSEL_CARDS_MIN, LIMITS.CAROUSEL_CARDS_MAX, "cards");
    cards.forEach((card, n) => {
      const k = obj(card);
      const at = `interactive.action.cards[${n}]`;
      const h = obj(k.header);
      if (typeof h.type === "string") c.media(h[h.type], `${at}.header.${h.type}`);
      if ("body" in k) c.text(obj(k.body).text, `${at}.body.text`, LIMITS.CAROUSEL_CARD_BODY);
      const params = obj(obj(k.action).parameters);
      c.text(params.display_text, `${at}.action.parameters.display_text`, LIMITS.CTA_DISPLAY_TEXT);
      c.url(params.url, `${at}.action.parameters.url`);
    });
  } else if (type === "flow") {
    const params = obj(action.parameters);
    const at = "interactive.action.parameters";
    if (!("flow_name" in params)) c.text(params.flow_id, `${at}.flow_id`, 256);
    c.text(params.flow_cta, `${at}.flow_cta`, LIMITS.FLOW_CTA);
  }
}

function checkTemplate(c: Checker, value: unknown): void {
  const t = obj(value);
  const name = str(t.name) ?? "";
  if (!name.trim()) c.add("template.name", "Required.");
  else if (!/^[a-z0-9_]+$/.test(name)) c.add("template.name", "Lowercase letters, digits and underscores only.");
  c.text(obj(t.language).code, "template.language.code", 16);
  arr(t.components).forEach((component, n) => {
    const comp = obj(component);
    const at = `template.components[${n}]`;
    arr(comp.parameters).forEach((param, j) => {
      const p = obj(param);
      const pAt = `${at}.parameters[${j}]`;
      if ("parameter_name" in p) c.text(p.parameter_name, `${pAt}.parameter_name`, 256);
      if (p.type === "text") {
        c.text(p.text, `${pAt}.text`, comp.type === "header" ? LIMITS.TEMPLATE_HEADER_TEXT_PARAM : LIMITS.TEMPLATE_TEXT_PARAM);
        if (/[\n\t]| {5,}/.test(str(p.text) ?? "")) c.add(`${pAt}.text`, "No new lines, tabs or more than 4 spaces in a row.");
      } else if (p.type === "payload" || p.type === "coupon_code") {
        c.text(p[p.type], `${pAt}.${p.type}`);
      } else if (p.type === "image" || p.type === "video" || p.type === "document") {
        c.media(p[p.type], `${pAt}.${p.type}`);
      }
    });
    if (comp.type === "button" && !/^\d+$/.test(String(comp.index ?? ""))) c.add(`${at}.index`, "A button position: 0, 1, 2…");
  });
}

/** Field errors keyed by Meta path, like the server's; {} when nothing is wrong. */
export function checkMessage(message: unknown): FieldErrors {
  const c = new Checker();
  const m = obj(message);
  const type = str(m.type);
  const body = m[type ?? ""];
  switch (type) {
    case "text":
      c.text(obj(body).body, "text.body", LIMITS.TEXT_BODY);
      break;
    case "image":
    case "video":
    case "audio":
    case "document":
    case "sticker":
      c.media(body, type);
      c.optional(obj(body).caption, `${type}.caption`, LIMITS.CAPTION);
      break;
    case "location":
      c.coordinate(obj(body).latitude, "location.latitude", 90);
      c.coordinate(obj(body).longitude, "location.longitude", 180);
      break;
    case "contacts":
      arr(body).forEach((card, n) => c.text(obj(obj(card).name).formatted_name, `contacts[${n}].name.formatted_name`));
      break;
    case "reaction":
      c.text(obj(body).message_id, "reaction.message_id");
      break;
    case "template":
      checkTemplate(c, body);
      break;
    case "interactive":
      checkInteractive(c, body);
      break;
    default:
      c.add("type", "Choose a message type.");
  }
  if ("context" in m) c.text(obj(m.context).message_id, "context.message_id", 256);
  return c.errors;
}
