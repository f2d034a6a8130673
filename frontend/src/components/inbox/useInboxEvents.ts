"use client";

import { useEffect, useRef, useState } from "react";

import { callEventOf, type CallLiveEvent } from "@/components/calls/format";
import { getCurrentUser } from "@/lib/api/auth";
import { INBOX_EVENTS_URL } from "@/lib/api/inbox";

export const EVENT_KINDS = ["message", "status", "conversation", "note"] as const;
export type InboxEventKind = (typeof EVENT_KINDS)[number];

/** What the stream says: ids only; the page refetches through the API, which decides who sees what. */
export interface InboxEvent {
  kind: InboxEventKind;
  conversation_id: number;
  assignee_id: number | null;
  message_id?: string;
  note_id?: number;
}

/** A template changed (status, quality, category, attention): every member's stream carries it (not conversation-scoped). */
export interface TemplateLiveEvent {
  id: number;
}

/** The template event's data (`{"kind": "template", "type": "template", "id"}`), or null when it isn't one. */
export function templateEventOf(data: unknown): TemplateLiveEvent | null {
  if (typeof data !== "object" || data === null) return null;
  const record = data as Record<string, unknown>;
  if (record.type !== "template" && record.kind !== "template") return null;
  const id = Number(record.id ?? record.template_id);
  return Number.isFinite(id) ? { id } : null;
}

export type LiveState = "connecting" | "live" | "reconnecting";

export interface InboxEventsOptions {
  onEvent: (event: InboxEvent) => void;
  /** A template changed (the templates page, the inbox's attention banner). */
  onTemplate?: (event: TemplateLiveEvent) => void;
  /** A call rang, was answered, ended, or got Meta's SDP answer (every member's stream carries it). */
  onCall?: (event: CallLiveEvent) => void;
  /** Something may have been missed (a new stream, or the slow poll): refetch what is shown. */
  onResync: () => void;
  /** The slow poll, in case the stream is down or something between us buffers it. */
  fallbackMs?: number;
  /** How long a normal reconnect may take before the page says "Reconnecting…". */
  graceMs?: number;
}

/**
 * The inbox's live events over server-sent events. The server ends each stream after ~5 minutes and the
 * browser reconnects by itself with Last-Event-ID; only when the browser gives up (an error status:
 * typically a 401 once the 15-minute access cookie has expired, or a 429 when too many of this person's
 * tabs already listen) do we refresh the session and open a
 * new stream, backing off, and ask for a resync because that stream starts from "now".
 */
export function useInboxEvents({ onEvent, onTemplate, onCall, onResync, fallbackMs = 30_000, graceMs = 3_000 }: InboxEventsOptions): LiveState {
  const [state, setState] = useState<LiveState>("connecting");
  const handlers = useRef({ onEvent, onTemplate, onCall, onResync });
  useEffect(() => {
    handlers.current = { onEvent, onTemplate, onCall, onResync };
  }, [onEvent, onTemplate, onCall, onResync]);

  useEffect(() => {
    let source: EventSource | null = null;
    let stopped = false;
    let failures = 0;
    // The first stream too: it starts from "now", and what happened since the page fetched (a call that began
    // ringing meanwhile) would otherwise wait for the slow poll.
    let resyncOnOpen = true;
    let graceTimer: ReturnType<typeof setTimeout> | undefined;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;

    const connect = () => {
      if (typeof EventSource === "undefined") {
        setState("reconnecting"); // no stream in this browser: the poll alone keeps the page current
        return;
      }
      const current = new EventSource(INBOX_EVENTS_URL, { withCredentials: true });
      source = current;
      current.onopen = () => {
        clearTimeout(graceTimer);
        failures = 0;
        setState("live");
        if (resyncOnOpen) {
          resyncOnOpen = false;
          handlers.current.onResync();
        }
      };
      current.onerror = () => {
        if (current.readyState === EventSource.CLOSED) {
          current.close();
          clearTimeout(graceTimer);
          setState("reconnecting");
          resyncOnOpen = true;
          const delay = Math.min(30_000, 1_000 * 2 ** failures++);
          retryTimer = setTimeout(() => {
            // Any API call refreshes an expired access cookie (apiClient retries once after a refresh).
            void getCurrentUser()
              .catch(() => undefined)
              .finally(() => {
                if (!stopped) connect();
              });
          }, delay);
          return;
        }
        clearTimeout(graceTimer);
        graceTimer = setTimeout(() => setState("reconnecting"), graceMs);
      };
      for (const kind of [...EVENT_KINDS, "template", "call"] as const) {
        current.addEventListener(kind, (event) => {
          try {
            const data: unknown = JSON.parse((event as MessageEvent<string>).data);
            if (kind === "template") {
              // Business-wide (apps.messaging.live.publish_template): no conversation, every member gets it.
              const template = templateEventOf({ ...(data as object), kind });
              if (template) handlers.current.onTemplate?.(template);
            } else if (kind === "call") {
              const call = callEventOf(data);
              if (call) handlers.current.onCall?.(call);
            } else {
              handlers.current.onEvent({ ...(data as InboxEvent), kind });
            }
          } catch {
            // Not JSON: nothing to act on; the poll catches up.
          }
        });
      }
    };

    connect();
    const poll = setInterval(() => handlers.current.onResync(), fallbackMs);
    return () => {
      stopped = true;
      source?.close();
      clearTimeout(graceTimer);
      clearTimeout(retryTimer);
      clearInterval(poll);
    };
  }, [fallbackMs, graceMs]);

  return state;
}

/** The small "Live" / "Reconnecting…" indicator. */
export function liveLabel(state: LiveState): string {
  return state === "live" ? "Live" : state === "connecting" ? "Connecting…" : "Reconnecting…";
}
