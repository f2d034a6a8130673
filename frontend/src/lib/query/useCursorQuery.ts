"use client";

import { useInfiniteQuery, useQueryClient, type InfiniteData, type QueryKey } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";

import type { CursorPage } from "@/lib/api/pages";
import { toApiError } from "@/lib/apiClient";

export interface CursorQueryOptions {
  enabled?: boolean;
  /** Keep showing the previous key's items while a new key loads (a filter or search changed). */
  keepPrevious?: boolean;
}

export interface CursorList<T> {
  items: T[];
  /** Edit the cached items in place (after a create, update or delete) without refetching. */
  setItems: (update: (items: T[]) => T[]) => void;
  hasMore: boolean;
  loadMore: () => void;
  loading: boolean;
  /** The items are the previous key's, shown while the new key's first page loads (`keepPrevious`). */
  updating: boolean;
  loadingMore: boolean;
  /** The first failure's message (the first page, a later page, or a background refetch). */
  error: string | null;
  refetch: () => void;
}

/**
 * A cursor-paginated list as an infinite query: the first page, then "Load more" follows `next`.
 * `fetchPage(nextUrl)` is one of the `lib/api` list functions; the key names the list in the cache,
 * so invalidating it (a live event, a change elsewhere) refetches the pages that are loaded.
 */
export function useCursorQuery<T>(
  queryKey: QueryKey,
  fetchPage: (nextUrl?: string) => Promise<CursorPage<T>>,
  { enabled = true, keepPrevious = false }: CursorQueryOptions = {},
): CursorList<T> {
  const client = useQueryClient();
  const query = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => fetchPage(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
    enabled,
    placeholderData: keepPrevious ? (previous) => previous : undefined,
  });

  const pages = query.data?.pages;
  const items = useMemo(() => pages?.flatMap((page) => page.results) ?? [], [pages]);

  const setItems = (update: (items: T[]) => T[]) =>
    client.setQueryData<InfiniteData<CursorPage<T>, string | undefined>>(queryKey, (data) => {
      if (!data) return data;
      // One page holding the edited items, with the last page's cursor so "Load more" goes on from there.
      const last = data.pages[data.pages.length - 1]!;
      return {
        pages: [{ ...last, results: update(data.pages.flatMap((page) => page.results)) }],
        pageParams: [data.pageParams[0]],
      };
    });

  const { fetchNextPage, hasNextPage, isFetchingNextPage, refetch } = query;
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [fetchNextPage, hasNextPage, isFetchingNextPage]);

  return {
    items,
    setItems,
    hasMore: Boolean(hasNextPage),
    loadMore,
    loading: enabled && query.isPending,
    updating: query.isPlaceholderData,
    loadingMore: isFetchingNextPage,
    error: query.error ? toApiError(query.error).message : null,
    refetch: () => void refetch(),
  };
}
