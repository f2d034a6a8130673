/**
 * Form state → Meta's message object (`{"type": "text", "text": {...}, "context"?: {...}}`), exactly as
 * POST /api/messages/ takes it. Alongside the object, every path that ends up in it is mapped to the
 * form input that produced it (`fields`), so an error the server names by path
 * (`interactive.action.buttons[1].reply.title`) can be shown next to that input.
 *
 * Required values are kept even when empty (the server and `checkMessage` then name the field);
 * optional ones are left out when empty.
 */
import { isMediaKind, type ComposerState, type HeaderForm, type LocationForm, type MediaForm, type MediaKind } from "./model";

export interface WhatsAppMessage {
  type: string;
  context?: { message_id: string };
  [key: string]: unknown;
}

/**
 * Meta path → form key. Only paths an input (or a group of inputs with its own error line) owns are
 * listed, so an error about the message as a whole (`interactive.foo: unknown field`) is shown above
 * the form rather than under some unrelated input.
 */
export type FieldMap = Record<string, string>;

export interface Built {
  message: WhatsAppMessage;
  fields: FieldMap;
  /** Problems that keep a value out of the message altogether (e.g. unparseable JSON), by form key. */
  formErrors: Record<string, string>;
}

type Obj = Record<string, unknown>;

class Paths {
  readonly fields: FieldMap = {};
  readonly formErrors: Record<string, string> = {};
  /** Map a Meta path to a form key (the same string unless the form names it differently). */
  on(path: string, key: string = path): void {
    this.fields[path] = key;
  }
}

const CAPTIONED: ReadonlySet<MediaKind> = new Set(["image", "video", "document"]);

/** A coordinate as a number when it reads as one; otherwise as typed, so the server names the field. */
function coordinate(value: string): number | string {
  const trimmed = value.trim();
  const number = Number(trimmed);
  return trimmed !== "" && Number.isFinite(number) ? number : trimmed;
}

function mediaSource(form: { source: MediaForm["source"]; link: string; id: string }): Obj {
  return form.source === "id" ? { id: form.id.trim() } : { link: form.link.trim() };
}

function media(kind: MediaKind, form: MediaForm, p: Paths): Obj {
  const obj = mediaSource(form);
  p.on(kind, "media");
  p.on(`${kind}.link`, "media.link");
  p.on(`${kind}.id`, "media.id");
  if (CAPTIONED.has(kind) && form.caption.trim()) {
    obj.caption = form.caption;
    p.on(`${kind}.caption`, "media.caption");
  }
  if (kind === "document" && form.filename.trim()) {
    obj.filename = form.filename.trim();
    p.on(`${kind}.filename`, "media.filename");
  }
  if (kind === "audio" && form.voice) {
    obj.voice = true;
    p.on(`${kind}.voice`, "media.voice");
  }
  return obj;
}

function location(form: LocationForm, path: string, key: string, p: Paths): Obj {
  const obj: Obj = { latitude: coordinate(form.latitude), longitude: coordinate(form.longitude) };
  if (form.name.trim()) obj.name = form.name;
  if (form.address.trim()) obj.address = form.address;
  for (const field of ["latitude", "longitude", "name", "address"]) p.on(`${path}.${field}`, `${key}.${field}`);
  return obj;
}

function contacts(s: ComposerState, p: Paths): Obj[] {
  const c = s.contact;
  const name: Obj = { formatted_name: c.formattedName };
  if (c.firstName.trim()) name.first_name = c.firstName;
  if (c.lastName.trim()) name.last_name = c.lastName;
  const card: Obj = { name };
  if (c.phone.trim()) {
    const phone: Obj = { phone: c.phone.trim() };
    if (c.phoneType) phone.type = c.phoneType;
    if (c.waId.trim()) phone.wa_id = c.waId.trim();
    card.phones = [phone];
  }
  if (c.email.trim()) card.emails = [{ email: c.email.trim() }];
  if (c.company.trim()) card.org = { company: c.company };
  p.on("contacts", "contact");
  p.on("contacts[0]", "contact");
  p.on("contacts[0].name", "contact.formatted_name");
  p.on("contacts[0].name.formatted_name", "contact.formatted_name");
  p.on("contacts[0].name.first_name", "contact.first_name");
  p.on("contacts[0].name.last_name", "contact.last_name");
  p.on("contacts[0].phones", "contact.phone");
  p.on("contacts[0].phones[0].phone", "contact.phone");
  p.on("contacts[0].phones[0].type", "contact.phone");
  p.on("contacts[0].phones[0].wa_id", "contact.wa_id");
  p.on("contacts[0].emails", "contact.email");
  p.on("contacts[0].org", "contact.company");
  return [card];
}

// --- template -----------------------------------------------------------------------------------

const BUTTON_PARAM = { quick_reply: "payload", url: "text", copy_code: "coupon_code" } as const;

function template(s: ComposerState, p: Paths): Obj {
  const t = s.template;
  const named = t.paramMode === "named";
  const components: Obj[] = [];
  p.on("template.name");
  p.on("template.language", "template.language");
  p.on("template.language.code", "template.language");
  p.on("template.components", "template.components");

  const h = t.header;
  if (h.type !== "none") {
    const at = `template.components[${components.length}]`;
    p.on(at, "template.header");
    p.on(`${at}.parameters`, "template.header");
    p.on(`${at}.parameters[0]`, "template.header");
    let param: Obj;
    if (h.type === "text") {
      param = { type: "text", text: h.text };
      if (named) param.parameter_name = h.paramName.trim();
      p.on(`${at}.parameters[0].text`, "template.header.text");
      p.on(`${at}.parameters[0].parameter_name`, "template.header.param_name");
    } else if (h.type === "location") {
      param = { type: "location", location: location(h.location, `${at}.parameters[0].location`, "template.header.location", p) };
    } else {
      const obj = mediaSource(h);
      if (h.type === "document" && h.filename.trim()) obj.filename = h.filename.trim();
      param = { type: h.type, [h.type]: obj };
      p.on(`${at}.parameters[0].${h.type}`, "template.header");
      p.on(`${at}.parameters[0].${h.type}.link`, "template.header.link");
      p.on(`${at}.parameters[0].${h.type}.id`, "template.header.id");
      p.on(`${at}.parameters[0].${h.type}.filename`, "template.header.filename");
    }
    components.push({ type: "header", parameters: [param] });
  }

  if (t.body.length > 0) {
    const at = `template.components[${components.length}]`;
    p.on(at, "template.body");
    p.on(`${at}.parameters`, "template.body");
    const parameters = t.body.map((param, i) => {
      const out: Obj = { type: "text", text: param.value };
      if (named) out.parameter_name = param.name.trim();
      p.on(`${at}.parameters[${i}]`, `template.body[${i}].value`);
      p.on(`${at}.parameters[${i}].text`, `template.body[${i}].value`);
      p.on(`${at}.parameters[${i}].parameter_name`, `template.body[${i}].name`);
      return out;
    });
    components.push({ type: "body", parameters });
  }

  t.buttons.forEach((button, i) => {
    const at = `template.components[${components.length}]`;
    const kind = BUTTON_PARAM[button.subType];
    p.on(at, `template.buttons[${i}].value`);
    p.on(`${at}.sub_type`, `template.buttons[${i}].sub_type`);
    p.on(`${at}.index`, `template.buttons[${i}].index`);
    p.on(`${at}.parameters`, `template.buttons[${i}].value`);
    p.on(`${at}.parameters[0]`, `template.buttons[${i}].value`);
    p.on(`${at}.parameters[0].${kind}`, `template.buttons[${i}].value`);
    components.push({
      type: "button",
      sub_type: button.subType,
      index: button.index.trim(),
      parameters: [{ type: kind, [kind]: button.value }],
    });
  });

  const obj: Obj = { name: t.name.trim(), language: { code: t.language.trim() } };
  if (components.length > 0) obj.components = components;
  return obj;
}

// --- interactive --------------------------------------------------------------------------------

function header(form: HeaderForm, p: Paths): Obj | undefined {
  if (form.type === "none") return undefined;
  p.on("interactive.header", "interactive.header");
  p.on("interactive.header.type", "interactive.header");
  if (form.type === "text") {
    p.on("interactive.header.text", "interactive.header.text");
    return { type: "text", text: form.text };
  }
  const obj = mediaSource(form);
  if (form.type === "document" && form.filename.trim()) obj.filename = form.filename.trim();
  p.on(`interactive.header.${form.type}`, "interactive.header");
  p.on(`interactive.header.${form.type}.link`, "interactive.header.link");
  p.on(`interactive.header.${form.type}.id`, "interactive.header.id");
  p.on(`interactive.header.${form.type}.filename`, "interactive.header.filename");
  return { type: form.type, [form.type]: obj };
}

function interactive(s: ComposerState, p: Paths): Obj {
  const kind = s.kind;
  const type = kind === "location_request" ? "location_request_message" : kind;
  const obj: Obj = { type };
  p.on("interactive.type", "type");
  if (kind === "button" || kind === "list" || kind === "cta_url" || kind === "flow") {
    const h = header(kind === "list" && s.interactive.header.type !== "text" ? { ...s.interactive.header, type: "none" } : s.interactive.header, p);
    if (h) obj.header = h;
  }
  obj.body = { text: s.interactive.body };
  p.on("interactive.body", "interactive.body");
  p.on("interactive.body.text", "interactive.body");
  if (kind !== "location_request" && kind !== "carousel" && s.interactive.footer.trim()) {
    obj.footer = { text: s.interactive.footer };
    p.on("interactive.footer", "interactive.footer");
    p.on("interactive.footer.text", "interactive.footer");
  }

  switch (kind) {
    case "button": {
      p.on("interactive.action", "buttons");
      p.on("interactive.action.buttons", "buttons");
      obj.action = {
        buttons: s.buttons.map((b, i) => {
          const at = `interactive.action.buttons[${i}]`;
          p.on(at, `buttons[${i}].title`);
          p.on(`${at}.type`, `buttons[${i}].title`);
          p.on(`${at}.reply`, `buttons[${i}].title`);
          p.on(`${at}.reply.id`, `buttons[${i}].id`);
          p.on(`${at}.reply.title`, `buttons[${i}].title`);
          return { type: "reply", reply: { id: b.id.trim(), title: b.title } };
        }),
      };
      break;
    }
    case "list": {
      p.on("interactive.action", "list.sections");
      p.on("interactive.action.button", "list.button");
      p.on("interactive.action.sections", "list.sections");
      obj.action = {
        button: s.list.button,
        sections: s.list.sections.map((section, i) => {
          const at = `interactive.action.sections[${i}]`;
          p.on(at, `list.sections[${i}].title`);
          p.on(`${at}.title`, `list.sections[${i}].title`);
          p.on(`${at}.rows`, `list.sections[${i}].rows`);
          const out: Obj = {};
          if (section.title.trim()) out.title = section.title;
          out.rows = section.rows.map((row, j) => {
            const rowAt = `${at}.rows[${j}]`;
            const key = `list.sections[${i}].rows[${j}]`;
            p.on(rowAt, `${key}.title`);
            p.on(`${rowAt}.id`, `${key}.id`);
            p.on(`${rowAt}.title`, `${key}.title`);
            p.on(`${rowAt}.description`, `${key}.description`);
            const r: Obj = { id: row.id.trim(), title: row.title };
            if (row.description.trim()) r.description = row.description;
            return r;
          });
          return out;
        }),
      };
      break;
    }
    case "cta_url": {
      p.on("interactive.action", "cta.url");
      p.on("interactive.action.parameters", "cta.url");
      p.on("interactive.action.parameters.display_text", "cta.display_text");
      p.on("interactive.action.parameters.url", "cta.url");
      obj.action = { name: "cta_url", parameters: { display_text: s.cta.displayText, url: s.cta.url.trim() } };
      break;
    }
    case "location_request": {
      obj.action = { name: "send_location" };
      break;
    }
    case "carousel": {
      const kindOf = s.carousel.mediaType;
      p.on("interactive.action", "carousel.cards");
      p.on("interactive.action.cards", "carousel.cards");
      obj.action = {
        cards: s.carousel.cards.map((card, i) => {
          const at = `interactive.action.cards[${i}]`;
          const key = `carousel.cards[${i}]`;
          p.on(at, `${key}.url`);
          p.on(`${at}.card_index`, `${key}.url`);
          p.on(`${at}.header`, `${key}.media`);
          p.on(`${at}.header.type`, `${key}.media`);
          p.on(`${at}.header.${kindOf}`, `${key}.media`);
          p.on(`${at}.header.${kindOf}.link`, `${key}.link`);
          p.on(`${at}.header.${kindOf}.id`, `${key}.id`);
          p.on(`${at}.body`, `${key}.body`);
          p.on(`${at}.body.text`, `${key}.body`);
          p.on(`${at}.action`, `${key}.url`);
          p.on(`${at}.action.parameters`, `${key}.url`);
          p.on(`${at}.action.parameters.display_text`, `${key}.display_text`);
          p.on(`${at}.action.parameters.url`, `${key}.url`);
          const out: Obj = { card_index: i, type: "cta_url", header: { type: kindOf, [kindOf]: mediaSource(card) } };
          if (card.body.trim()) out.body = { text: card.body };
          out.action = { name: "cta_url", parameters: { display_text: card.displayText, url: card.url.trim() } };
          return out;
        }),
      };
      break;
    }
    case "flow": {
      const f = s.flow;
      const at = "interactive.action.parameters";
      p.on("interactive.action", "flow.flow_id");
      p.on(at, "flow.flow_id");
      p.on(`${at}.flow_id`, "flow.flow_id");
      p.on(`${at}.flow_name`, "flow.flow_id");
      p.on(`${at}.flow_cta`, "flow.flow_cta");
      p.on(`${at}.flow_token`, "flow.flow_token");
      p.on(`${at}.mode`, "flow.mode");
      p.on(`${at}.flow_action`, "flow.screen");
      p.on(`${at}.flow_action_payload`, "flow.screen");
      p.on(`${at}.flow_action_payload.screen`, "flow.screen");
      p.on(`${at}.flow_action_payload.data`, "flow.data");
      const parameters: Obj = { flow_message_version: "3", flow_id: f.flowId.trim(), flow_cta: f.flowCta };
      if (f.flowToken.trim()) parameters.flow_token = f.flowToken.trim();
      if (f.mode) parameters.mode = f.mode;
      if (f.screen.trim()) {
        const payload: Obj = { screen: f.screen.trim() };
        if (f.data.trim()) {
          const data = parseJsonObject(f.data);
          if (data === undefined) p.formErrors["flow.data"] = "Must be a JSON object, e.g. {\"name\": \"Ana\"}.";
          else payload.data = data;
        }
        parameters.flow_action = "navigate";
        parameters.flow_action_payload = payload;
      }
      obj.action = { name: "flow", parameters };
      break;
    }
  }
  return obj;
}

export function parseJsonObject(text: string): Obj | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Obj) : undefined;
  } catch {
    return undefined;
  }
}

// --- the message --------------------------------------------------------------------------------

export function buildMessage(s: ComposerState): Built {
  const p = new Paths();
  let message: WhatsAppMessage;
  const kind = s.kind;
  if (kind === "text") {
    const text: Obj = { body: s.text.body };
    if (s.text.previewUrl) text.preview_url = true;
    p.on("text.body");
    p.on("text.preview_url");
    message = { type: "text", text };
  } else if (isMediaKind(kind)) {
    message = { type: kind, [kind]: media(kind, s.media, p) };
  } else if (kind === "location") {
    message = { type: "location", location: location(s.location, "location", "location", p) };
  } else if (kind === "contacts") {
    message = { type: "contacts", contacts: contacts(s, p) };
  } else if (kind === "reaction") {
    p.on("reaction.message_id");
    p.on("reaction.emoji");
    message = { type: "reaction", reaction: { message_id: s.reaction.messageId.trim(), emoji: s.reaction.emoji } };
  } else if (kind === "template") {
    message = { type: "template", template: template(s, p) };
  } else {
    message = { type: "interactive", interactive: interactive(s, p) };
  }

  // A reply quotes an earlier message; WhatsApp refuses a reaction sent as a reply.
  if (kind !== "reaction" && s.replyTo.trim()) {
    message.context = { message_id: s.replyTo.trim() };
    p.on("context", "context.message_id");
    p.on("context.message_id");
  }
  return { message, fields: p.fields, formErrors: p.formErrors };
}

// --- the request --------------------------------------------------------------------------------

const E164 = /^\+[1-9]\d{6,14}$/;

/** "+1 (650) 555-0101" → "+16505550101"; a leading 00 becomes +. Anything else is left for the check. */
export function normalizePhone(value: string): string {
  const compact = value.trim().replace(/[\s().-]/g, "");
  return compact.startsWith("00") ? `+${compact.slice(2)}` : compact;
}

/** A light E.164 check; the server does the real one (libphonenumber). */
export function checkRecipient(value: string): string | undefined {
  const phone = normalizePhone(value);
  if (!phone) return "Enter the recipient's WhatsApp number.";
  if (!phone.startsWith("+")) return "Start with + and the country code, e.g. +14155550123.";
  if (!E164.test(phone)) return "Use international format: + then 7 to 15 digits, e.g. +14155550123.";
  return undefined;
}

/** The body of POST /api/messages/: recipient, sending number, and the message object's keys. */
export function buildSendBody(message: WhatsAppMessage, to: string, phoneNumberId?: string) {
  const body: { to: string; phone_number_id?: string; type: string; [key: string]: unknown } = { ...message, to: normalizePhone(to) };
  if (phoneNumberId) body.phone_number_id = phoneNumberId;
  return body;
}

/** Form keys the composer shows outside the message editors. */
export const REQUEST_FIELDS: FieldMap = { to: "to", phone_number_id: "phone_number_id", type: "type" };
