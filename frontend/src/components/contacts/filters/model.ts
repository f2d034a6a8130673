/**
 * The filter builder's state and its translation into the backend's filter language
 * (docs/contacts.md §3, apps/contacts/filters.py). The builder edits one flat group of conditions;
 * `buildFilter` turns the complete ones into `{"all"|"any": [...]}` and says why the others were left
 * out, so a half-typed condition never reaches the API and never silently changes the list.
 */
import type { AttributeDefinition, AttributeType, ConsentCategory, ConsentState, FilterCondition, FilterDocument } from "@/lib/api/types";

export type Match = "all" | "any";
export type TagOp = "any" | "all" | "none";
export type ConsentOp = "is" | "is_not";
export type AttributeOp = "eq" | "neq" | "gt" | "gte" | "lt" | "lte" | "contains" | "in" | "is_set" | "is_not_set";
export type TimeField = "first_seen_at" | "last_seen_at" | "last_inbound_at" | "last_outbound_at" | "created_at";
export type TimeOp = "within_days" | "not_within_days" | "before" | "after" | "never" | "ever";

export type Condition =
  | { id: string; kind: "tags"; op: TagOp; tags: string[] }
  | { id: string; kind: "consent"; category: ConsentCategory; op: ConsentOp; value: ConsentState }
  /** `value` for single-value ops (as typed; "true"/"false" for booleans), `values` for `in`. */
  | { id: string; kind: "attribute"; key: string; op: AttributeOp; value: string; values: string[] }
  /** `value`: a number of days for within/not within, a YYYY-MM-DD date for before/after. */
  | { id: string; kind: "time"; field: TimeField; op: TimeOp; value: string };

export interface FilterState {
  match: Match;
  conditions: Condition[];
}

export const EMPTY_FILTER: FilterState = { match: "all", conditions: [] };

export const TAG_OPS: { value: TagOp; label: string }[] = [
  { value: "any", label: "has any of" },
  { value: "all", label: "has all of" },
  { value: "none", label: "has none of" },
];

export const CONSENT_OPS: { value: ConsentOp; label: string }[] = [
  { value: "is", label: "is" },
  { value: "is_not", label: "is not" },
];

export const CONSENT_STATES: { value: ConsentState; label: string }[] = [
  { value: "opted_in", label: "opted in" },
  { value: "opted_out", label: "opted out" },
  { value: "unknown", label: "unknown" },
];

export const TIME_FIELDS: { value: TimeField; label: string }[] = [
  { value: "first_seen_at", label: "First seen" },
  { value: "last_seen_at", label: "Last seen" },
  { value: "last_inbound_at", label: "Last message from them" },
  { value: "last_outbound_at", label: "Last message to them" },
  { value: "created_at", label: "Added" },
];

export const TIME_OPS: { value: TimeOp; label: string }[] = [
  { value: "within_days", label: "in the last" },
  { value: "not_within_days", label: "not in the last" },
  { value: "before", label: "before" },
  { value: "after", label: "after" },
  { value: "never", label: "never" },
  { value: "ever", label: "at any time" },
];

/** The operators the backend accepts per attribute type (filters.ATTRIBUTE_OPS), in menu order. */
export const ATTRIBUTE_OPS: Record<AttributeType, AttributeOp[]> = {
  text: ["eq", "neq", "contains", "in", "is_set", "is_not_set"],
  number: ["eq", "neq", "gt", "gte", "lt", "lte", "in", "is_set", "is_not_set"],
  date: ["eq", "neq", "gt", "gte", "lt", "lte", "is_set", "is_not_set"],
  boolean: ["eq", "neq", "is_set", "is_not_set"],
  choice: ["eq", "neq", "in", "is_set", "is_not_set"],
};

const OP_LABELS: Record<AttributeOp, string> = {
  eq: "is",
  neq: "is not",
  gt: "is more than",
  gte: "is at least",
  lt: "is less than",
  lte: "is at most",
  contains: "contains",
  in: "is any of",
  is_set: "has a value",
  is_not_set: "has no value",
};

const DATE_OP_LABELS: Partial<Record<AttributeOp, string>> = {
  eq: "is on",
  neq: "is not on",
  gt: "is after",
  gte: "is on or after",
  lt: "is before",
  lte: "is on or before",
};

export function attributeOpLabel(type: AttributeType, op: AttributeOp): string {
  return (type === "date" ? DATE_OP_LABELS[op] : undefined) ?? OP_LABELS[op];
}

export const NO_VALUE_OPS = new Set<string>(["is_set", "is_not_set", "never", "ever"]);

let counter = 0;
export function newConditionId(): string {
  counter += 1;
  return `c${counter}`;
}

export type NewConditionKind = "tags" | "consent:marketing" | "consent:utility" | `time:${TimeField}` | `attribute:${string}`;

/** A fresh condition with sensible defaults, for the "Add condition" menu. */
export function newCondition(kind: NewConditionKind, definitions: AttributeDefinition[]): Condition {
  const id = newConditionId();
  if (kind === "tags") return { id, kind: "tags", op: "any", tags: [] };
  if (kind.startsWith("consent:")) {
    return { id, kind: "consent", category: kind.slice(8) as ConsentCategory, op: "is", value: "opted_in" };
  }
  if (kind.startsWith("time:")) return { id, kind: "time", field: kind.slice(5) as TimeField, op: "within_days", value: "30" };
  const key = kind.slice(10);
  const definition = definitions.find((d) => d.key === key);
  return resetAttribute({ id, kind: "attribute", key, op: "eq", value: "", values: [] }, definition);
}

/** After the attribute changes: the first operator its type allows and an empty value. */
export function resetAttribute(condition: Extract<Condition, { kind: "attribute" }>, definition: AttributeDefinition | undefined) {
  const ops = definition ? ATTRIBUTE_OPS[definition.type] : ATTRIBUTE_OPS.text;
  const op = ops.includes(condition.op) ? condition.op : ops[0]!;
  const value = definition?.type === "boolean" ? "true" : definition?.type === "choice" ? (definition.choices[0] ?? "") : "";
  return { ...condition, key: definition?.key ?? condition.key, op, value, values: [] };
}

// --- UI state -> filter document -------------------------------------------------------------------

export interface BuiltFilter {
  filter: FilterDocument;
  /** Condition id -> why it was left out (incomplete or invalid). */
  problems: Record<string, string>;
}

const NUMBER = /^-?\d+(\.\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  const parsed = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(text);
}

/** Tags as the backend stores them: trimmed and lowercase, without blanks or repeats. */
export function cleanTags(tags: string[]): string[] {
  return [...new Set(tags.map((t) => t.replace(/\s+/g, " ").trim().toLowerCase()).filter(Boolean))];
}

/** Splits "vip, lead" into ["vip", "lead"]; blanks dropped. */
export function splitList(text: string): string[] {
  return text
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
}

type Built = { ok: true; condition: FilterCondition } | { ok: false; problem: string };

function typedValue(definition: AttributeDefinition, raw: string): { ok: true; value: unknown } | { ok: false; problem: string } {
  const text = raw.trim();
  if (!text) return { ok: false, problem: "Enter a value." };
  switch (definition.type) {
    case "number":
      return NUMBER.test(text) ? { ok: true, value: Number(text) } : { ok: false, problem: `“${text}” is not a number.` };
    case "date":
      return isDate(text) ? { ok: true, value: text } : { ok: false, problem: "Pick a date." };
    case "boolean":
      return text === "true" || text === "false" ? { ok: true, value: text === "true" } : { ok: false, problem: "Pick yes or no." };
    case "choice": {
      const choice = definition.choices.find((c) => c.toLowerCase() === text.toLowerCase());
      return choice ? { ok: true, value: choice } : { ok: false, problem: `“${text}” is not one of the choices.` };
    }
    default:
      return { ok: true, value: text };
  }
}

function buildAttribute(condition: Extract<Condition, { kind: "attribute" }>, definitions: AttributeDefinition[]): Built {
  const definition = definitions.find((d) => d.key === condition.key);
  if (!definition) return { ok: false, problem: "This attribute no longer exists." };
  if (!ATTRIBUTE_OPS[definition.type].includes(condition.op)) {
    return { ok: false, problem: `“${attributeOpLabel(definition.type, condition.op)}” doesn't apply to ${definition.label}.` };
  }
  const { op } = condition;
  if (op === "is_set" || op === "is_not_set") return { ok: true, condition: { field: "attribute", key: definition.key, op } };
  const base = { field: "attribute", key: definition.key, op } as const;
  if (op === "in") {
    if (condition.values.length === 0) return { ok: false, problem: "Add at least one value." };
    const list: unknown[] = [];
    for (const raw of condition.values) {
      const typed = typedValue(definition, raw);
      if (!typed.ok) return typed;
      list.push(typed.value);
    }
    return { ok: true, condition: { ...base, value: list } };
  }
  const typed = typedValue(definition, condition.value);
  return typed.ok ? { ok: true, condition: { ...base, value: typed.value } } : typed;
}

function buildTime(condition: Extract<Condition, { kind: "time" }>): Built {
  const { field, op } = condition;
  if (op === "never" || op === "ever") return { ok: true, condition: { field, op } };
  const text = condition.value.trim();
  if (op === "within_days" || op === "not_within_days") {
    const days = Number(text);
    if (!/^\d+$/.test(text) || days < 1 || days > 36500) return { ok: false, problem: "Enter a number of days (1 to 36500)." };
    return { ok: true, condition: { field, op, value: days } };
  }
  return isDate(text) ? { ok: true, condition: { field, op, value: text } } : { ok: false, problem: "Pick a date." };
}

function buildCondition(condition: Condition, definitions: AttributeDefinition[]): Built {
  switch (condition.kind) {
    case "tags": {
      const tags = cleanTags(condition.tags);
      return tags.length ? { ok: true, condition: { field: "tags", op: condition.op, value: tags } } : { ok: false, problem: "Add at least one tag." };
    }
    case "consent":
      return { ok: true, condition: { field: "consent", category: condition.category, op: condition.op, value: condition.value } };
    case "attribute":
      return buildAttribute(condition, definitions);
    case "time":
      return buildTime(condition);
  }
}

/** The backend filter for the builder's complete conditions; `{}` (everyone) when there are none. */
export function buildFilter(state: FilterState, definitions: AttributeDefinition[]): BuiltFilter {
  const parts: FilterCondition[] = [];
  const problems: Record<string, string> = {};
  for (const condition of state.conditions) {
    const built = buildCondition(condition, definitions);
    if (built.ok) parts.push(built.condition);
    else problems[condition.id] = built.problem;
  }
  if (parts.length === 0) return { filter: {}, problems };
  return { filter: state.match === "all" ? { all: parts } : { any: parts }, problems };
}

// --- Filter document -> UI state (a saved segment, to refine it) ----------------------------------

const TIME_FIELD_SET = new Set<string>(TIME_FIELDS.map((f) => f.value));

function asString(value: unknown): string {
  return typeof value === "boolean" ? String(value) : value == null ? "" : String(value);
}

function parseCondition(node: Record<string, unknown>): Condition | null {
  const id = newConditionId();
  const { field, op, value } = node;
  if (field === "tags" && Array.isArray(value)) return { id, kind: "tags", op: op as TagOp, tags: value.map(String) };
  if (field === "consent") {
    return { id, kind: "consent", category: node.category as ConsentCategory, op: op as ConsentOp, value: value as ConsentState };
  }
  if (field === "attribute" && typeof node.key === "string") {
    return {
      id,
      kind: "attribute",
      key: node.key,
      op: op as AttributeOp,
      value: Array.isArray(value) ? "" : asString(value),
      values: Array.isArray(value) ? value.map(asString) : [],
    };
  }
  if (typeof field === "string" && TIME_FIELD_SET.has(field)) {
    // Saved documents hold before/after as ISO date-times; the builder edits the date.
    const text = asString(value);
    return { id, kind: "time", field: field as TimeField, op: op as TimeOp, value: op === "before" || op === "after" ? text.slice(0, 10) : text };
  }
  return null;
}

/**
 * A saved filter as builder state, or null if it uses what the builder can't show (nested groups,
 * presence or language conditions): such a segment is still applied, just not editable here.
 */
export function parseFilter(document: unknown): FilterState | null {
  if (document == null || (typeof document === "object" && Object.keys(document).length === 0)) return EMPTY_FILTER;
  if (typeof document !== "object") return null;
  const entries = Object.entries(document as Record<string, unknown>);
  if (entries.length !== 1) return null;
  const [kind, items] = entries[0]!;
  if ((kind !== "all" && kind !== "any") || !Array.isArray(items)) return null;
  const conditions: Condition[] = [];
  for (const item of items) {
    if (typeof item !== "object" || item === null || !("field" in item)) return null;
    const condition = parseCondition(item as Record<string, unknown>);
    if (!condition) return null;
    conditions.push(condition);
  }
  return { match: kind, conditions };
}
