"use client";

import { useEffect, useState } from "react";

/** The current time, ticking every `everyMs` while `enabled` (window countdowns, "Yesterday", which ringing calls
 * are stale, a call's timer). */
export function useNow(everyMs = 60_000, enabled = true): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!enabled) return;
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs, enabled]);
  return now;
}
