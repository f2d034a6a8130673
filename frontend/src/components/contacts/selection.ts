/**
 * Which contacts a bulk action is about. Hand-picked rows are sent as `ids`; "select all N matching"
 * sends the list's own query (`filter`, `q`, `segment`) so the backend applies the action to every
 * matching contact, not only the rows loaded on screen.
 */
import type { ContactQuery } from "@/lib/api/contacts";
import type { ContactBulk, ContactBulkAction } from "@/lib/api/types";

export type Selection = { mode: "ids"; ids: ReadonlySet<number> } | { mode: "all" };

export const NO_SELECTION: Selection = { mode: "ids", ids: new Set() };

export function selectedCount(selection: Selection, total: number | null): number {
  return selection.mode === "all" ? (total ?? 0) : selection.ids.size;
}

export function isSelected(selection: Selection, id: number): boolean {
  return selection.mode === "all" || selection.ids.has(id);
}

/** Toggles one row. Unticking a row while "all matching" is selected keeps the rest of the loaded rows. */
export function toggleRow(selection: Selection, id: number, loadedIds: number[]): Selection {
  const ids = new Set(selection.mode === "all" ? loadedIds : selection.ids);
  if (selection.mode === "ids" && !ids.has(id)) ids.add(id);
  else ids.delete(id);
  return { mode: "ids", ids };
}

export function bulkRequest(action: ContactBulkAction, tags: string[], selection: Selection, query: ContactQuery): ContactBulk {
  // Tag and untag name their tags; delete sends none. The body is ids or the query, never both.
  const what = action === "delete" ? { action } : { action, tags };
  if (selection.mode === "ids") return { ...what, ids: [...selection.ids] };
  const q = query.q?.trim();
  return {
    ...what,
    filter: query.filter ?? {},
    ...(q ? { q } : {}),
    ...(query.segment != null ? { segment: query.segment } : {}),
  };
}
