"use client";

import { useCallback, useEffect, useState } from "react";

import { toApiError } from "@/lib/apiClient";

interface Page<T> {
  next?: string | null;
  results: T[];
}

/**
 * A cursor-paginated list: the first page on mount, then "Load more" follows `next`. Items can be
 * edited in place (setItems) after a create, update or delete, without refetching.
 */
export function useCursorList<T>(fetchPage: (nextUrl?: string | null) => Promise<Page<T>>, enabled = true) {
  const [items, setItems] = useState<T[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(enabled);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    fetchPage()
      .then((page) => {
        if (cancelled) return;
        setItems(page.results);
        setNext(page.next ?? null);
      })
      .catch((err: unknown) => !cancelled && setError(toApiError(err).message))
      .finally(() => !cancelled && setLoading(false));
    return () => {
      cancelled = true;
    };
  }, [fetchPage, enabled]);

  const loadMore = useCallback(async () => {
    if (!next) return;
    setLoadingMore(true);
    setError(null);
    try {
      const page = await fetchPage(next);
      setItems((current) => [...current, ...page.results]);
      setNext(page.next ?? null);
    } catch (err) {
      setError(toApiError(err).message);
    } finally {
      setLoadingMore(false);
    }
  }, [fetchPage, next]);

  return { items, setItems, hasMore: next !== null, loadMore, loading, loadingMore, error };
}
