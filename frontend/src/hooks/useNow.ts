"use client";

import { useEffect, useState } from "react";

/** The current time, ticking every `everyMs` (window countdowns, "Yesterday", which ringing calls are stale). */
export function useNow(everyMs = 60_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
