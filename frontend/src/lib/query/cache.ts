import type { InfiniteData, QueryClient, QueryKey } from "@tanstack/react-query";

import type { CursorPage } from "@/lib/api/pages";

/**
 * Edits the items of every cached cursor list under `queryKey` (e.g. a contact saved in the drawer
 * shows in every loaded list at once, without a refetch). `edit` returns the item as it is now, or
 * null to drop it.
 */
export function editListItems<T>(client: QueryClient, queryKey: QueryKey, edit: (item: T) => T | null): void {
  client.setQueriesData<InfiniteData<CursorPage<T>>>({ queryKey }, (data) =>
    data
      ? {
          ...data,
          pages: data.pages.map((page) => ({ ...page, results: page.results.map(edit).filter((item): item is T => item !== null) })),
        }
      : data,
  );
}

/** Replaces the cached copies of one item (matched by id) in every cursor list under `queryKey`. */
export function replaceListItem<T extends { id: unknown }>(client: QueryClient, queryKey: QueryKey, fresh: T): void {
  editListItems<T>(client, queryKey, (item) => (item.id === fresh.id ? fresh : item));
}
