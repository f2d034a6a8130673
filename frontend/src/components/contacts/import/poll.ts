"use client";

import { useEffect, useRef, useState } from "react";

import { getImport } from "@/lib/api/contacts";
import type { ContactImport } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";

export const POLL_INTERVAL_MS = 1000;
/** Consecutive failed polls (server restarting, network blip) before we give up and say so. */
export const MAX_POLL_FAILURES = 5;

export function isFinished(job: Pick<ContactImport, "status">): boolean {
  return job.status === "done" || job.status === "failed";
}

export interface FollowOptions {
  fetchJob?: (id: number) => Promise<ContactImport>;
  onUpdate: (job: ContactImport) => void;
  /** Called after a failed poll with its message (polling continues until MAX_POLL_FAILURES in a row). */
  onError?: (message: string, failures: number) => void;
  intervalMs?: number;
  signal?: AbortSignal;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Polls an import every `intervalMs` until it is done or failed (or `signal` aborts), handing each
 * answer to `onUpdate`. Resolves with the last job seen, or null if none arrived.
 */
export async function followImport(id: number, { fetchJob = getImport, onUpdate, onError, intervalMs = POLL_INTERVAL_MS, signal }: FollowOptions): Promise<ContactImport | null> {
  let last: ContactImport | null = null;
  let failures = 0;
  while (!signal?.aborted) {
    await sleep(intervalMs, signal);
    if (signal?.aborted) break;
    try {
      last = await fetchJob(id);
      failures = 0;
      if (signal?.aborted) break;
      onUpdate(last);
      if (isFinished(last)) break;
    } catch (err) {
      failures += 1;
      onError?.(toApiError(err).message, failures);
      if (failures >= MAX_POLL_FAILURES) break;
    }
  }
  return last;
}

/** The live state of an import: polled every second until it finishes (then `onFinished`). */
export function useImportJob(initial: ContactImport, onFinished?: (job: ContactImport) => void) {
  const [job, setJob] = useState(initial);
  const finished = useRef(onFinished);
  const [error, setError] = useState<string | null>(null);
  const [stalled, setStalled] = useState(false);
  const id = initial.id;
  const finishedAtStart = isFinished(initial);

  useEffect(() => {
    finished.current = onFinished;
  }, [onFinished]);

  useEffect(() => {
    if (finishedAtStart) return;
    const controller = new AbortController();
    void followImport(id, {
      signal: controller.signal,
      onUpdate: (current) => {
        setJob(current);
        setError(null);
        if (isFinished(current)) finished.current?.(current);
      },
      onError: (message, failures) => {
        setError(message);
        if (failures >= MAX_POLL_FAILURES) setStalled(true);
      },
    });
    return () => controller.abort();
  }, [id, finishedAtStart]);

  return { job, error, stalled };
}
