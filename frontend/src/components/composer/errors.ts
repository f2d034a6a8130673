/**
 * Puts field errors next to the inputs that caused them. Errors are keyed by Meta path
 * (`interactive.action.buttons[1].reply.title`), whether the server sent them or `checkMessage` found
 * them; `build.ts` says which form input produced each path. A path the form doesn't know is looked up
 * by its parents (`…buttons[3]` → `…buttons`), and what still matches nothing is shown above the form.
 */
import type { FieldErrors } from "@/lib/apiClient";
import type { FieldMap } from "./build";

export interface MappedErrors {
  /** Form key → messages, ready to show under the input. */
  byField: Record<string, string[]>;
  /** Errors no input owns, as sentences ("template.components[4]: …" keeps its path). */
  general: string[];
}

/** "a.b[1].c" → ["a.b[1].c", "a.b[1]", "a.b", "a"]. */
export function parentPaths(path: string): string[] {
  const out: string[] = [];
  let current = path;
  while (current) {
    out.push(current);
    const cut = Math.max(current.lastIndexOf("."), current.lastIndexOf("["));
    current = cut > 0 ? current.slice(0, cut) : "";
  }
  return out;
}

/** "is 21 characters; at most 20 allowed" → "Is 21 characters; at most 20 allowed." */
export function sentence(message: string): string {
  const trimmed = message.trim();
  if (!trimmed) return trimmed;
  const first = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

export function mapFieldErrors(errors: FieldErrors, fields: FieldMap): MappedErrors {
  const byField: Record<string, string[]> = {};
  const general: string[] = [];
  for (const [path, messages] of Object.entries(errors)) {
    if (path === "non_field_errors") {
      general.push(...messages.map(sentence));
      continue;
    }
    const owner = parentPaths(path).find((candidate) => candidate in fields);
    if (owner === undefined) {
      general.push(...messages.map((m) => `${path}: ${m}`));
      continue;
    }
    const key = fields[owner] as string;
    // A deeper path than the input's own keeps its tail, so "…[0].image.caption" still says "caption"
    // (a bare index, like the fourth of three buttons, says nothing the message doesn't).
    const tail = path
      .slice(owner.length)
      .replace(/^\./, "")
      .replace(/^\[\d+\]$/, "");
    const list = (byField[key] ??= []);
    list.push(...messages.map((m) => (tail ? `${tail}: ${m}` : sentence(m))));
  }
  return { byField, general };
}

/** Both error sources, client checks first; the same path from both keeps every message once. */
export function mergeErrors(...sources: FieldErrors[]): FieldErrors {
  const out: FieldErrors = {};
  for (const source of sources) {
    for (const [path, messages] of Object.entries(source)) {
      const list = (out[path] ??= []);
      for (const message of messages) if (!list.includes(message)) list.push(message);
    }
  }
  return out;
}
