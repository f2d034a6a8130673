/**
 * A template's variables as "slots" (header, body, each button with a variable), and the two documents
 * built from them: the saved mapping (each slot ← a contact field or fixed text, with a fallback) and
 * the send-time `parameters` (lists for positional templates, objects for named ones).
 */
import type { MappingSource, Template, TemplateMapping, TemplateParameters } from "@/lib/api/templates";

export interface Slot {
  /** Unique within the template: "header.0", "body.first_name", "button.1.0". */
  id: string;
  part: "header" | "body" | "button";
  /** The variable as written: "1" or "first_name". */
  name: string;
  /** Position within its part (its index in the positional list). */
  position: number;
  /** Buttons: the button's index among the template's buttons. */
  button?: number;
}

type Obj = Record<string, unknown>;
const obj = (value: unknown): Obj => (typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Obj) : {});
const str = (value: unknown): string => (typeof value === "string" ? value : typeof value === "number" ? String(value) : "");
const VARIABLE = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

function namesIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(VARIABLE)) if (!out.includes(m[1]!)) out.push(m[1]!);
  return out;
}

export function isNamed(template: Pick<Template, "parameter_format">): boolean {
  return (template.parameter_format ?? "").toUpperCase() === "NAMED";
}

/** The template's variables: the backend's `variables` when present, else read from the components. */
export function slotsOf(template: Pick<Template, "variables" | "components">): Slot[] {
  let header: string[] = [];
  let body: string[] = [];
  let buttons: { index: number; names: string[] }[] = [];
  if (template.variables) {
    header = template.variables.header ?? [];
    body = template.variables.body ?? [];
    buttons = template.variables.buttons ?? [];
  } else {
    for (const component of template.components ?? []) {
      const type = str(component.type).toUpperCase();
      if (type === "HEADER" && str(component.format).toUpperCase() === "TEXT") header = namesIn(str(component.text));
      if (type === "BODY") body = namesIn(str(component.text));
      if (type === "BUTTONS" && Array.isArray(component.buttons)) {
        component.buttons.forEach((b, index) => {
          const names = namesIn(str(obj(b).url));
          if (names.length) buttons.push({ index, names });
        });
      }
    }
  }
  return [
    ...header.map((name, position) => ({ id: `header.${name}`, part: "header" as const, name, position })),
    ...body.map((name, position) => ({ id: `body.${name}`, part: "body" as const, name, position })),
    ...buttons.flatMap(({ index, names }) =>
      names.map((name, position) => ({ id: `button.${index}.${name}`, part: "button" as const, name, position, button: index })),
    ),
  ];
}

export function slotLabel(slot: Slot): string {
  if (slot.part === "header" && MEDIA_SLOT_NAMES.includes(slot.name)) return `Header ${slot.name} (link)`;
  const where = slot.part === "header" ? "Header" : slot.part === "body" ? "Body" : `Button ${(slot.button ?? 0) + 1}`;
  return `${where} {{${slot.name}}}`;
}

export const EMPTY_SOURCE: MappingSource = { field: "", value: "", fallback: "" };

function sourceOf(value: unknown): MappingSource {
  const o = obj(value);
  return { field: str(o.field), value: str(o.value), fallback: str(o.fallback) };
}

/** The saved mapping, one source per slot (empty sources for slots it doesn't cover). */
export function readMapping(mapping: TemplateMapping | undefined, slots: Slot[]): Record<string, MappingSource> {
  const out: Record<string, MappingSource> = {};
  const m = mapping ?? {};
  for (const slot of slots) {
    let raw: unknown;
    if (slot.part === "header") raw = Array.isArray(m.header) ? m.header[slot.position] : undefined;
    else if (slot.part === "body") raw = Array.isArray(m.body) ? m.body[slot.position] : obj(m.body)[slot.name];
    else {
      const list = obj(m.buttons)[String(slot.button)];
      raw = Array.isArray(list) ? list[slot.position] : undefined;
    }
    out[slot.id] = raw ? sourceOf(raw) : { ...EMPTY_SOURCE };
  }
  return out;
}

/** The mapping document PUT /api/templates/{id}/mapping/ takes. */
export function writeMapping(sources: Record<string, MappingSource>, slots: Slot[], named: boolean): TemplateMapping {
  const get = (slot: Slot) => sources[slot.id] ?? { ...EMPTY_SOURCE };
  const header = slots.filter((s) => s.part === "header").map(get);
  const bodySlots = slots.filter((s) => s.part === "body");
  const mapping: TemplateMapping = {};
  if (header.length) mapping.header = header;
  if (bodySlots.length) mapping.body = named ? Object.fromEntries(bodySlots.map((s) => [s.name, get(s)])) : bodySlots.map(get);
  const buttons: Record<string, MappingSource[]> = {};
  for (const slot of slots.filter((s) => s.part === "button")) (buttons[String(slot.button)] ??= []).push(get(slot));
  if (Object.keys(buttons).length) mapping.buttons = buttons;
  return mapping;
}

/**
 * Send-time parameters from typed values (slot id → text): header and body as lists (positional) or
 * objects (named); buttons as `[{index, value}]` by the button's position (apps/templates/rendering.py).
 * A media header's value is its link.
 */
export function toParameters(values: Record<string, string>, slots: Slot[], named: boolean): TemplateParameters {
  const parameters: TemplateParameters = {};
  for (const part of ["header", "body"] as const) {
    const partSlots = slots.filter((s) => s.part === part);
    if (!partSlots.length) continue;
    parameters[part] = named ? Object.fromEntries(partSlots.map((s) => [s.name, values[s.id] ?? ""])) : partSlots.map((s) => values[s.id] ?? "");
  }
  const buttons = slots.filter((s) => s.part === "button").map((slot) => ({ index: slot.button!, value: values[slot.id] ?? "" }));
  if (buttons.length) parameters.buttons = buttons;
  return parameters;
}

/** Media and location headers have one unnamed variable named after their kind. */
export const MEDIA_SLOT_NAMES = ["image", "video", "document", "location", "product"];

/** Values per slot read back from a send payload (Meta's template message object) the server built. */
export function valuesFromPayload(payload: unknown, slots: Slot[]): Record<string, string> {
  const out: Record<string, string> = {};
  const components = (obj(payload).components ?? obj(obj(payload).template).components) as unknown;
  if (!Array.isArray(components)) return out;
  const textOf = (p: unknown) => {
    const o = obj(p);
    return str(o.text) || str(o.payload) || str(o.coupon_code);
  };
  for (const raw of components) {
    const c = obj(raw);
    const type = str(c.type).toLowerCase();
    const params = Array.isArray(c.parameters) ? c.parameters : [];
    if (type === "header" || type === "body") {
      const partSlots = slots.filter((s) => s.part === type);
      params.forEach((p, i) => {
        const named = str(obj(p).parameter_name);
        const slot = named ? partSlots.find((s) => s.name === named) : partSlots[i];
        const kind = str(obj(p).type);
        if (slot && kind === "text") out[slot.id] = textOf(p);
        else if (slot && MEDIA_SLOT_NAMES.includes(kind)) out[slot.id] = str(obj(obj(p)[kind]).link) || str(obj(obj(p)[kind]).id);
      });
    } else if (type === "button") {
      const index = Number(c.index);
      const buttonSlots = slots.filter((s) => s.part === "button" && s.button === index);
      params.forEach((p, i) => {
        if (buttonSlots[i]) out[buttonSlots[i].id] = textOf(p);
      });
    }
  }
  return out;
}

/** The contact fields a variable can come from (attributes are added from the business's definitions). */
export const CONTACT_FIELDS: ReadonlyArray<{ value: string; label: string }> = [
  { value: "", label: "Fixed text" },
  { value: "first_name", label: "First name" },
  { value: "last_name", label: "Last name" },
  { value: "name", label: "Full name" },
  { value: "phone", label: "Phone" },
  { value: "email", label: "Email" },
];
