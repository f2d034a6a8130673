import { QueryClient } from "@tanstack/react-query";

/**
 * The page's query cache. Defaults keep the behaviour the hand-written effects had: a failed load
 * shows its error at once (no silent retries; the live events and the user retry), and switching
 * tabs does not refetch everything (the inbox has its live stream and slow poll for that).
 */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: false, refetchOnWindowFocus: false, staleTime: 0 },
      mutations: { retry: false },
    },
  });
}
