/** Cursor pages as the API returns them (DRF CursorPagination): `next` is a link, or null on the last page. */
export interface CursorPage<T> {
  next?: string | null;
  previous?: string | null;
  results: T[];
}

/** Every item of a short list, following `next` links (a handful of pages at most). */
export async function collectPages<T>(fetchPage: (nextUrl?: string | null) => Promise<CursorPage<T>>): Promise<T[]> {
  const items: T[] = [];
  let next: string | null | undefined = null;
  do {
    const page: CursorPage<T> = await fetchPage(next);
    items.push(...page.results);
    next = page.next;
  } while (next);
  return items;
}
