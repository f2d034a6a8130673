/**
 * The template builder's form state and how it becomes Meta's creation body (reference §5.2), plus the
 * way back: a server field key (`components[1].text`, `components[3].buttons[0].url`) to the builder
 * input that produced it, so the preview's problems and a refused submit land at the right field.
 */
import type { TemplateCategory, TemplateComponent, TemplateCreate } from "@/lib/api/templates";

export type HeaderFormat = "NONE" | "TEXT" | "IMAGE" | "VIDEO" | "DOCUMENT" | "LOCATION";
export type ButtonKind = "QUICK_REPLY" | "URL" | "PHONE_NUMBER" | "COPY_CODE";
export type ParamFormat = "POSITIONAL" | "NAMED";

export const MEDIA_FORMATS: ReadonlyArray<HeaderFormat> = ["IMAGE", "VIDEO", "DOCUMENT"];

export interface BuilderButton {
  type: ButtonKind;
  text: string;
  url: string;
  /** The example value of the URL's variable (Meta requires one when the URL has a variable). */
  urlExample: string;
  phone: string;
  /** COPY_CODE: the example code. */
  code: string;
}

export interface BuilderState {
  name: string;
  language: string;
  category: TemplateCategory;
  parameterFormat: ParamFormat;
  header: {
    format: HeaderFormat;
    text: string;
    /** Examples by variable name ("1" or "first_name"). */
    examples: Record<string, string>;
    /** The uploaded sample's handle (`example.header_handle`) and what it was. */
    handle: string;
    filename: string;
    mimeType: string;
  };
  body: { text: string; examples: Record<string, string> };
  footer: string;
  buttons: BuilderButton[];
  wabaId: string;
}

export function initialBuilderState(): BuilderState {
  return {
    name: "",
    language: "en_US",
    category: "MARKETING",
    parameterFormat: "POSITIONAL",
    header: { format: "NONE", text: "", examples: {}, handle: "", filename: "", mimeType: "" },
    body: { text: "", examples: {} },
    footer: "",
    buttons: [],
    wabaId: "",
  };
}

export function emptyButton(type: ButtonKind): BuilderButton {
  return { type, text: "", url: "", urlExample: "", phone: "", code: "" };
}

const VARIABLE = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** The variables of a text, in order of first appearance: ["1", "2"] or ["first_name"]. */
export function variablesOf(text: string): string[] {
  const seen: string[] = [];
  for (const match of text.matchAll(VARIABLE)) {
    const name = match[1]!;
    if (!seen.includes(name)) seen.push(name);
  }
  return seen;
}

/** The next positional variable for a text ({{1}} when there is none). */
export function nextPositional(texts: string[]): string {
  const numbers = texts.flatMap(variablesOf).map(Number).filter((n) => Number.isInteger(n) && n > 0);
  return String(numbers.length ? Math.max(...numbers) + 1 : 1);
}

/** Inserts `{{name}}` into `text` at the cursor (or the end). Returns the new text and where the cursor goes. */
export function insertVariable(text: string, name: string, at?: number): { text: string; cursor: number } {
  const position = at === undefined || at < 0 || at > text.length ? text.length : at;
  const token = `{{${name}}}`;
  return { text: text.slice(0, position) + token + text.slice(position), cursor: position + token.length };
}

/** Suggested names for named parameters: the contact fields a mapping can fill them from. */
export const NAMED_SUGGESTIONS = ["first_name", "last_name", "name", "phone", "email", "order_id"];

function examples(format: ParamFormat, names: string[], values: Record<string, string>, positionalKey: string, namedKey: string, nest: boolean) {
  if (names.length === 0) return undefined;
  if (format === "NAMED") return { [namedKey]: names.map((name) => ({ param_name: name, example: values[name] ?? "" })) };
  const list = names.map((name) => values[name] ?? "");
  return { [positionalKey]: nest ? [list] : list };
}

/** Which component sits at which index of `components`, to read server keys back. */
export interface ComponentIndex {
  header?: number;
  body?: number;
  footer?: number;
  buttons?: number;
}

/** Meta's creation body for the form as it is now (the server judges it; nothing here refuses). */
export function toCreationBody(state: BuilderState): { body: TemplateCreate; index: ComponentIndex } {
  const components: TemplateComponent[] = [];
  const index: ComponentIndex = {};
  const format = state.parameterFormat;
  const { header } = state;

  if (header.format !== "NONE") {
    index.header = components.length;
    if (header.format === "TEXT") {
      const example = examples(format, variablesOf(header.text), header.examples, "header_text", "header_text_named_params", false);
      components.push({ type: "HEADER", format: "TEXT", text: header.text, ...(example ? { example } : {}) });
    } else if (header.format === "LOCATION") {
      components.push({ type: "HEADER", format: "LOCATION" });
    } else {
      components.push({ type: "HEADER", format: header.format, ...(header.handle ? { example: { header_handle: [header.handle] } } : {}) });
    }
  }

  index.body = components.length;
  const bodyExample = examples(format, variablesOf(state.body.text), state.body.examples, "body_text", "body_text_named_params", true);
  components.push({ type: "BODY", text: state.body.text, ...(bodyExample ? { example: bodyExample } : {}) });

  if (state.footer) {
    index.footer = components.length;
    components.push({ type: "FOOTER", text: state.footer });
  }

  if (state.buttons.length) {
    index.buttons = components.length;
    components.push({ type: "BUTTONS", buttons: state.buttons.map(buttonBody) });
  }

  const body: TemplateCreate = {
    name: state.name.trim(),
    language: state.language.trim(),
    category: state.category,
    parameter_format: format === "NAMED" ? "named" : "positional",
    components,
  };
  if (state.wabaId) body.waba_id = state.wabaId;
  return { body, index };
}

function buttonBody(button: BuilderButton): Record<string, unknown> {
  switch (button.type) {
    case "QUICK_REPLY":
      return { type: "QUICK_REPLY", text: button.text };
    case "URL":
      return {
        type: "URL",
        text: button.text,
        url: button.url,
        ...(variablesOf(button.url).length ? { example: [button.urlExample] } : {}),
      };
    case "PHONE_NUMBER":
      return { type: "PHONE_NUMBER", text: button.text, phone_number: button.phone };
    case "COPY_CODE":
      return { type: "COPY_CODE", example: button.code };
  }
}

/** Field ids of the builder's inputs (what a problem is shown under). */
export const TOP_FIELDS = ["name", "language", "category", "parameter_format", "waba_id"] as const;

/**
 * The builder field a server key names, or null when no input owns it (shown above the form).
 * Ids: "name", "header.text", "header.example.<var>", "header.handle", "body.text", "body.example.<var>",
 * "footer", "buttons", "buttons.<i>", "buttons.<i>.text|url|example|phone|code".
 */
export function fieldFor(key: string, state: BuilderState, index: ComponentIndex): string | null {
  if ((TOP_FIELDS as readonly string[]).includes(key)) return key === "parameter_format" ? "parameter_format" : key;
  const parameter = /^parameters\.(header|body|buttons)(?:\[(\d+)\])?/.exec(key);
  if (parameter) {
    const [, part, position] = parameter;
    if (part === "buttons") return position !== undefined ? `buttons.${position}` : "buttons";
    const names = variablesOf(part === "header" ? state.header.text : state.body.text);
    const name = position !== undefined ? names[Number(position)] : undefined;
    return name ? `${part}.example.${name}` : `${part}.text`;
  }
  const match = /^components\[(\d+)\](.*)$/.exec(key);
  if (!match) return null;
  const position = Number(match[1]);
  const rest = match[2] ?? "";
  if (position === index.header) return headerField(rest, state);
  if (position === index.body) return textField("body", rest, state.body.text);
  if (position === index.footer) return "footer";
  if (position === index.buttons) return buttonField(rest);
  return null;
}

function exampleName(rest: string, text: string): string | null {
  // example.body_text[0][2], example.header_text[0], example.body_text_named_params[1]
  const positions = [...rest.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
  const at = rest.includes("body_text") && !rest.includes("named") ? positions[1] : positions[0];
  if (at === undefined) return null;
  return variablesOf(text)[at] ?? null;
}

function textField(part: "header" | "body", rest: string, text: string): string {
  if (rest.startsWith(".example")) {
    const name = exampleName(rest, text);
    return name ? `${part}.example.${name}` : `${part}.text`;
  }
  return `${part}.text`;
}

function headerField(rest: string, state: BuilderState): string {
  const format = state.header.format;
  if (MEDIA_FORMATS.includes(format)) return "header.handle";
  if (format === "TEXT") return textField("header", rest, state.header.text);
  return "header.format";
}

function buttonField(rest: string): string {
  const match = /^\.buttons\[(\d+)\](?:\.(\w+))?/.exec(rest);
  if (!match) return "buttons";
  const [, i, attribute] = match;
  const known: Record<string, string> = { text: "text", url: "url", example: "example", phone_number: "phone", type: "type" };
  return attribute && known[attribute] ? `buttons.${i}.${known[attribute]}` : `buttons.${i}`;
}

/** Server errors or problems, gathered by builder field; what no field owns goes to `general`. */
export function groupProblems(
  entries: Iterable<[key: string, message: string]>,
  state: BuilderState,
  index: ComponentIndex,
): { byField: Record<string, string[]>; general: string[] } {
  const byField: Record<string, string[]> = {};
  const general: string[] = [];
  for (const [key, message] of entries) {
    const field = fieldFor(key, state, index);
    if (field) (byField[field] ??= []).push(message);
    else general.push(key && key !== "non_field_errors" && key !== "components" ? `${key}: ${message}` : message);
  }
  return { byField, general };
}

type Obj = Record<string, unknown>;
const obj = (value: unknown): Obj => (typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Obj) : {});
const str = (value: unknown): string => (typeof value === "string" ? value : typeof value === "number" ? String(value) : "");

function examplesFrom(text: string, example: Obj, positionalKey: string, namedKey: string): Record<string, string> {
  const out: Record<string, string> = {};
  const named = example[namedKey];
  if (Array.isArray(named)) for (const item of named) out[str(obj(item).param_name)] = str(obj(item).example);
  const positional = example[positionalKey];
  if (Array.isArray(positional)) {
    const values = Array.isArray(positional[0]) ? (positional[0] as unknown[]) : positional;
    variablesOf(text).forEach((name, i) => (out[name] = str(values[i])));
  }
  return out;
}

/** The builder's state for an existing template (to edit it): Meta's components read back. */
export function fromTemplate(template: {
  name: string;
  language: string;
  category: string;
  parameter_format?: string;
  components?: Array<Record<string, unknown>>;
  waba_id?: string;
}): BuilderState {
  const state = initialBuilderState();
  state.name = template.name;
  state.language = template.language;
  const category = template.category.toUpperCase();
  if (category === "MARKETING" || category === "UTILITY" || category === "AUTHENTICATION") state.category = category;
  state.parameterFormat = (template.parameter_format ?? "").toUpperCase() === "NAMED" ? "NAMED" : "POSITIONAL";
  state.wabaId = template.waba_id ?? "";
  for (const component of template.components ?? []) {
    const type = str(component.type).toUpperCase();
    const example = obj(component.example);
    if (type === "HEADER") {
      const format = str(component.format).toUpperCase() as HeaderFormat;
      const text = str(component.text);
      const handle = Array.isArray(example.header_handle) ? str(example.header_handle[0]) : "";
      state.header = {
        format: ["TEXT", "IMAGE", "VIDEO", "DOCUMENT", "LOCATION"].includes(format) ? format : "NONE",
        text,
        examples: examplesFrom(text, example, "header_text", "header_text_named_params"),
        handle,
        filename: handle ? "Current sample" : "",
        mimeType: "",
      };
    } else if (type === "BODY") {
      const text = str(component.text);
      state.body = { text, examples: examplesFrom(text, example, "body_text", "body_text_named_params") };
    } else if (type === "FOOTER") {
      state.footer = str(component.text);
    } else if (type === "BUTTONS" && Array.isArray(component.buttons)) {
      state.buttons = component.buttons.map((raw) => {
        const b = obj(raw);
        const kind = str(b.type).toUpperCase();
        const examples = Array.isArray(b.example) ? b.example : [b.example];
        return {
          type: (["QUICK_REPLY", "URL", "PHONE_NUMBER", "COPY_CODE"].includes(kind) ? kind : "QUICK_REPLY") as ButtonKind,
          text: str(b.text),
          url: str(b.url),
          urlExample: kind === "URL" ? str(examples[0]) : "",
          phone: str(b.phone_number),
          code: kind === "COPY_CODE" ? str(examples[0]) : "",
        };
      });
    }
  }
  return state;
}
