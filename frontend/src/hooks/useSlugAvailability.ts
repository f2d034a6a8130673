"use client";

import { useEffect, useState } from "react";

import { checkSlug } from "@/lib/api/signup";
import type { SlugCheck } from "@/lib/api/types";

export type SlugAvailability =
  | { state: "idle" }
  | { state: "checking" }
  | { state: "available" }
  | { state: "unavailable"; reason: string }
  | { state: "error" };

type Answer = { slug: string; check: SlugCheck | null };

/**
 * Asks the backend whether `slug` is free, once typing has paused for `delayMs`. Answers are kept
 * with the slug they belong to, so a slow answer for an old value is never shown for a new one.
 */
export function useSlugAvailability(slug: string, delayMs = 400): SlugAvailability {
  const [answer, setAnswer] = useState<Answer | null>(null);

  useEffect(() => {
    if (!slug) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      checkSlug(slug, controller.signal)
        .then((check) => setAnswer({ slug, check }))
        .catch(() => {
          if (!controller.signal.aborted) setAnswer({ slug, check: null });
        });
    }, delayMs);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [slug, delayMs]);

  if (!slug) return { state: "idle" };
  if (answer?.slug !== slug) return { state: "checking" };
  if (!answer.check) return { state: "error" };
  return answer.check.available ? { state: "available" } : { state: "unavailable", reason: answer.check.reason };
}
