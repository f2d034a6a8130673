"use client";

import Link from "next/link";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";

import { useSession } from "@/components/app/SessionProvider";
import { useDebounced } from "@/components/contacts/useDebounced";
import { cx } from "@/components/ui";
import { createNote, listConversations, updateConversation, type ConversationQuery } from "@/lib/api/inbox";
import { listAllMembers } from "@/lib/api/team";
import type { Conversation, ConversationUpdate, Member } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { ContactPanel } from "./ContactPanel";
import { ConversationList, DEFAULT_FILTERS, type ListFilters } from "./ConversationList";
import { ThreadView } from "./ThreadView";
import { liveLabel, useInboxEvents, type InboxEvent } from "./useInboxEvents";
import { useThread } from "./useThread";

const REFRESH_DEBOUNCE_MS = 250;

/** The current time, ticking once a minute (window countdowns, "Yesterday"). */
function useNow(everyMs = 60_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/**
 * A first page fetched again replaces the top of the list; conversations loaded further down ("Load
 * more") stay. Without a next page the first page is the whole list.
 */
export function mergeFirstPage(current: Conversation[], page: Conversation[], hasNext: boolean): Conversation[] {
  if (!hasNext) return page;
  const fresh = new Set(page.map((c) => c.id));
  const oldest = page[page.length - 1]?.last_message_at;
  const rest = current.filter((c) => !fresh.has(c.id) && oldest !== undefined && c.last_message_at < oldest);
  return [...page, ...rest];
}

/** Calls `fn` once, `ms` after the last of a burst of calls (events come in bursts: message, then status…). */
function useDebouncedCall(fn: () => void, ms: number): () => void {
  const latest = useRef(fn);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => {
    latest.current = fn;
  }, [fn]);
  useEffect(() => () => clearTimeout(timer.current), []);
  return useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => latest.current(), ms);
  }, [ms]);
}

export interface InboxViewProps {
  initialConversationId?: number | null;
}

/**
 * /inbox: conversations on the left, the open thread in the middle, the contact and notes on the
 * right. It stays current through the live event stream (ids only; it refetches what changed) and a
 * slow poll in case the stream is down.
 */
export function InboxView({ initialConversationId = null }: InboxViewProps) {
  const { user } = useSession();
  const now = useNow();
  const [filters, setFilters] = useState<ListFilters>(DEFAULT_FILTERS);
  const q = useDebounced(filters.search.trim(), 300);
  const query = useMemo<ConversationQuery>(() => ({ view: filters.view, status: filters.status, q }), [filters.view, filters.status, q]);

  const [conversations, setConversations] = useState<Conversation[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [listLoading, setListLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [listError, setListError] = useState<string | null>(null);
  const queryRef = useRef(query);

  const [selectedId, setSelectedId] = useState<number | null>(initialConversationId);
  const [panelOpen, setPanelOpen] = useState(false);
  const [members, setMembers] = useState<Member[]>([]);

  const onConversationChanged = useCallback((changed: Conversation) => {
    setConversations((list) => list.map((c) => (c.id === changed.id ? changed : c)));
  }, []);
  const thread = useThread(selectedId, onConversationChanged);

  // The list for the current filters; a new query starts over.
  useEffect(() => {
    queryRef.current = query;
    let cancelled = false;
    listConversations(query)
      .then((page) => {
        if (cancelled) return;
        setConversations(page.results);
        setNext(page.next ?? null);
        setListError(null);
      })
      .catch((err: unknown) => !cancelled && setListError(toApiError(err).message))
      .finally(() => !cancelled && setListLoading(false));
    return () => {
      cancelled = true;
    };
  }, [query]);

  useEffect(() => {
    listAllMembers().then(setMembers, () => setMembers([]));
  }, []);

  const refreshList = useCallback(() => {
    const asked = queryRef.current;
    listConversations(asked).then(
      (page) => {
        if (queryRef.current !== asked) return;
        setConversations((current) => mergeFirstPage(current, page.results, Boolean(page.next)));
        setNext((current) => (page.next ? (current ?? page.next) : null));
        setListError(null);
      },
      () => undefined, // a failed background refresh keeps the list; the next event or poll retries
    );
  }, []);
  const scheduleList = useDebouncedCall(refreshList, REFRESH_DEBOUNCE_MS);

  // What the open thread needs refetched, gathered over a burst of events.
  const pending = useRef({ conversation: false, messages: false, notes: false });
  const { refresh: refreshThread } = thread;
  const flushThread = useCallback(() => {
    const what = pending.current;
    pending.current = { conversation: false, messages: false, notes: false };
    refreshThread(what);
  }, [refreshThread]);
  const scheduleThread = useDebouncedCall(flushThread, REFRESH_DEBOUNCE_MS);
  const selectedRef = useRef(selectedId);
  useEffect(() => {
    selectedRef.current = selectedId;
  }, [selectedId]);

  const onEvent = useCallback(
    (event: InboxEvent) => {
      scheduleList();
      if (event.conversation_id !== selectedRef.current) return;
      const want = pending.current;
      if (event.kind === "message" || event.kind === "status") {
        want.messages = true;
        want.conversation = true; // the window, unread count and last message move with messages
      } else if (event.kind === "note") {
        want.notes = true;
      } else {
        want.conversation = true;
      }
      scheduleThread();
    },
    [scheduleList, scheduleThread],
  );
  const onResync = useCallback(() => {
    scheduleList();
    if (selectedRef.current === null) return;
    pending.current = { conversation: true, messages: true, notes: true };
    scheduleThread();
  }, [scheduleList, scheduleThread]);
  const live = useInboxEvents({ onEvent, onResync });

  const select = (conversation: Conversation) => {
    setSelectedId(conversation.id);
    setPanelOpen(false);
    // The URL names the open conversation, so a reload or a shared link opens it again.
    window.history.replaceState(null, "", `/inbox?c=${conversation.id}`);
  };

  const loadMore = () => {
    if (!next) return;
    setLoadingMore(true);
    listConversations(query, next)
      .then((page) => {
        setConversations((current) => [...current, ...page.results.filter((c) => !current.some((x) => x.id === c.id))]);
        setNext(page.next ?? null);
      })
      .catch((err: unknown) => setListError(toApiError(err).message))
      .finally(() => setLoadingMore(false));
  };

  const update = async (patch: ConversationUpdate) => {
    if (!thread.conversation) return;
    const updated = await updateConversation(thread.conversation.id, patch);
    thread.setConversation(updated);
    scheduleList(); // it may have left the current filter (resolved, assigned away)
  };

  const { conversation } = thread;

  return (
    <div className="-mx-4 -my-6 flex h-[calc(100dvh-3.5rem)] flex-col sm:-mx-6 md:-mx-10 md:-my-10 md:h-dvh">
      <div className="flex items-center justify-between gap-3 border-b border-slate-200 bg-white px-4 py-3">
        <h1 className="text-lg font-semibold text-slate-900">Inbox</h1>
        <div className="flex items-center gap-4">
          <p role="status" aria-label="Live updates" className="flex items-center gap-1.5 text-xs text-slate-600" data-testid="live-state">
            <span aria-hidden="true" className={cx("size-2 rounded-full", live === "live" ? "bg-brand-500" : "animate-pulse bg-amber-500")} />
            {liveLabel(live)}
          </p>
          <Link href="/settings/inbox" className="text-sm font-medium text-brand-700 hover:underline">
            Inbox settings
          </Link>
        </div>
      </div>
      <div className="relative grid min-h-0 flex-1 grid-rows-[minmax(0,1fr)] lg:grid-cols-[20rem_minmax(0,1fr)] xl:grid-cols-[20rem_minmax(0,1fr)_18rem]">
        <div className={cx("min-h-0", selectedId !== null ? "hidden lg:flex" : "flex", "flex-col")}>
          <ConversationList
            filters={filters}
            query={q}
            onFiltersChange={setFilters}
            conversations={conversations}
            loading={listLoading}
            error={listError}
            hasMore={next !== null}
            loadingMore={loadingMore}
            onLoadMore={loadMore}
            selectedId={selectedId}
            onSelect={select}
            now={now}
          />
        </div>
        <div className={cx("min-h-0", selectedId === null ? "hidden lg:block" : "block")}>
          <ThreadView
            conversation={conversation}
            messages={thread.messages}
            loading={thread.loading}
            error={thread.error}
            hasOlder={thread.hasOlder}
            loadingOlder={thread.loadingOlder}
            onLoadOlder={thread.loadOlder}
            members={members}
            me={user.id}
            role={user.role}
            now={now}
            onUpdate={update}
            onSent={(message) => {
              thread.addMessage(message);
              scheduleList();
            }}
            onWindowClosed={() => thread.refresh({ conversation: true })}
            onShowDetails={() => setPanelOpen(true)}
            onBack={() => {
              setSelectedId(null);
              window.history.replaceState(null, "", "/inbox");
            }}
          />
        </div>
        {conversation ? (
          <ContactPanel
            conversation={conversation}
            notes={thread.notes}
            onAddNote={async (body) => thread.addNote(await createNote(conversation.id, body))}
            onClose={() => setPanelOpen(false)}
            className={cx(
              "border-l",
              panelOpen ? "absolute inset-y-0 right-0 z-10 flex w-80 max-w-full shadow-xl" : "hidden",
              "xl:static xl:flex xl:w-auto xl:shadow-none",
            )}
          />
        ) : null}
      </div>
    </div>
  );
}
