/**
 * The import wizard's column mapping: each CSV column -> a contact field, an attribute key or
 * "ignore". The backend checks the same rules (docs/contacts.md §4); checking them here lets the
 * wizard point at the column at fault before anything is uploaded.
 */
import type { ContactImportLayout, ImportTarget } from "@/lib/api/types";

export const IGNORE = "ignore";
/** Several columns may feed the tags (they are united); every other target takes one column. */
const MULTI_TARGETS = new Set(["tags", IGNORE]);
const IDENTITY_TARGETS = new Set(["phone", "wa_user_id"]);

export type Mapping = Record<string, string>;

export interface MappingCheck {
  valid: boolean;
  /** Problems of the mapping as a whole. */
  general: string[];
  /** Column -> its problem. */
  columns: Record<string, string>;
}

/** The server's suggestion for every column; columns it has no idea about are not imported. */
export function initialMapping(layout: Pick<ContactImportLayout, "headers" | "suggested_mapping">): Mapping {
  return Object.fromEntries(layout.headers.map((header) => [header, layout.suggested_mapping[header] ?? IGNORE]));
}

export function validateMapping(mapping: Mapping, targets: ImportTarget[]): MappingCheck {
  const labels = new Map(targets.map((t) => [t.value, t.label]));
  const general: string[] = [];
  const columns: Record<string, string> = {};
  const firstColumnOf = new Map<string, string>();

  for (const [column, target] of Object.entries(mapping)) {
    if (!labels.has(target)) {
      columns[column] = "Choose what this column is.";
      continue;
    }
    if (MULTI_TARGETS.has(target)) continue;
    const earlier = firstColumnOf.get(target);
    if (earlier !== undefined) {
      columns[column] = `${labels.get(target)} is already imported from “${earlier}”. Pick one column for it.`;
    } else {
      firstColumnOf.set(target, column);
    }
  }

  if (![...IDENTITY_TARGETS].some((target) => firstColumnOf.has(target))) {
    general.push("Map a column to Phone or WhatsApp user id: every contact needs one of them.");
  }
  return { valid: general.length === 0 && Object.keys(columns).length === 0, general, columns };
}

export function delimiterName(delimiter: string): string {
  if (delimiter === ",") return "comma";
  if (delimiter === ";") return "semicolon";
  if (delimiter === "\t") return "tab";
  return `“${delimiter}”`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
