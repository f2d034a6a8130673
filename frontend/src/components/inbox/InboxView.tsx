"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useCallback, useMemo, useState } from "react";

import { useSession } from "@/components/app/SessionProvider";
import { CallDock } from "@/components/calls/CallDock";
import { isEnded } from "@/components/calls/format";
import { useCallCenter } from "@/components/calls/useCallCenter";
import { useDebounced } from "@/hooks/useDebounced";
import { useNow } from "@/hooks/useNow";
import { AttentionBanner } from "@/components/templates/AttentionBanner";
import { cx } from "@/components/ui";
import { listCalls } from "@/lib/api/calls";
import { createNote, listConversations, updateConversation, type ConversationQuery } from "@/lib/api/inbox";
import { listAllMembers } from "@/lib/api/team";
import type { Conversation, ConversationUpdate } from "@/lib/api/types";
import { callKeys, inboxKeys, teamKeys, templateKeys } from "@/lib/query/keys";
import { useBatchedInvalidate } from "@/lib/query/useBatchedInvalidate";
import { useCursorQuery } from "@/lib/query/useCursorQuery";
import { ContactPanel } from "./ContactPanel";
import { ConversationList, DEFAULT_FILTERS, type ListFilters } from "./ConversationList";
import { ThreadView } from "./ThreadView";
import { liveLabel, useInboxEvents, type InboxEvent } from "./useInboxEvents";
import { useThread } from "./useThread";

const REFRESH_DEBOUNCE_MS = 250;

/** A conversation can show up on two pages when it moved between loading them; it is listed once. */
function uniqueById(conversations: Conversation[]): Conversation[] {
  const seen = new Set<number>();
  return conversations.filter((c) => !seen.has(c.id) && seen.add(c.id));
}

export interface InboxViewProps {
  initialConversationId?: number | null;
}

/**
 * /inbox: conversations on the left, the open thread in the middle, the contact and notes on the
 * right. Each is a query; the live event stream (ids only) and a slow poll in case the stream is down
 * invalidate the queries an event names, and the cache refetches what is on screen.
 */
export function InboxView({ initialConversationId = null }: InboxViewProps) {
  const { user } = useSession();
  const now = useNow();
  const [filters, setFilters] = useState<ListFilters>(DEFAULT_FILTERS);
  const q = useDebounced(filters.search.trim(), 300);
  const query = useMemo<ConversationQuery>(() => ({ view: filters.view, status: filters.status, q }), [filters.view, filters.status, q]);
  const [selectedId, setSelectedId] = useState<number | null>(initialConversationId);
  const [panelOpen, setPanelOpen] = useState(false);

  // A new query starts over (showing the previous list until its first page is in).
  const list = useCursorQuery<Conversation>(inboxKeys.conversations(query), (next) => listConversations(query, next), { keepPrevious: true });
  const conversations = useMemo(() => uniqueById(list.items), [list.items]);
  const { data: members = [] } = useQuery({ queryKey: teamKeys.allMembers(), queryFn: listAllMembers });
  const thread = useThread(selectedId);
  const calls = useCallCenter();
  const { onResync: resyncCalls } = calls;
  const threadCalls = useQuery({
    queryKey: callKeys.list({ conversation: selectedId ?? 0 }),
    queryFn: () => listCalls({ conversation: selectedId ?? 0 }),
    enabled: selectedId !== null,
  });

  const invalidate = useBatchedInvalidate(REFRESH_DEBOUNCE_MS);
  const onEvent = useCallback(
    (event: InboxEvent) => {
      invalidate(inboxKeys.conversationLists());
      if (event.conversation_id !== selectedId) return;
      if (event.kind === "message" || event.kind === "status") {
        invalidate(inboxKeys.messages(selectedId));
        invalidate(inboxKeys.conversation(selectedId), true); // the window, unread count and last message move with messages
        invalidate(callKeys.permissions()); // a customer's answer to "may we call you?" is a message
      } else if (event.kind === "note") {
        invalidate(inboxKeys.notes(selectedId));
      } else {
        invalidate(inboxKeys.conversation(selectedId), true);
      }
    },
    [invalidate, selectedId],
  );
  const onResync = useCallback(() => {
    resyncCalls();
    invalidate(inboxKeys.conversationLists());
    invalidate(templateKeys.attention());
    if (selectedId !== null) invalidate(inboxKeys.conversation(selectedId)); // with its messages and notes
  }, [invalidate, selectedId, resyncCalls]);
  // Templates changing (a rejection, a pause) update the attention banner.
  const onTemplate = useCallback(() => invalidate(templateKeys.attention()), [invalidate]);
  const live = useInboxEvents({ onEvent, onTemplate, onCall: calls.onEvent, onResync });

  const openConversation = (id: number) => {
    setSelectedId(id);
    setPanelOpen(false);
    // The URL names the open conversation, so a reload or a shared link opens it again.
    window.history.replaceState(null, "", `/inbox?c=${id}`);
  };
  const select = (conversation: Conversation) => openConversation(conversation.id);

  const update = async (patch: ConversationUpdate) => {
    if (!thread.conversation) return;
    const updated = await updateConversation(thread.conversation.id, patch);
    thread.setConversation(updated);
    invalidate(inboxKeys.conversationLists()); // it may have left the current filter (resolved, assigned away)
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
      <AttentionBanner />
      <div className="relative grid min-h-0 flex-1 grid-rows-[minmax(0,1fr)] lg:grid-cols-[20rem_minmax(0,1fr)] xl:grid-cols-[20rem_minmax(0,1fr)_18rem]">
        <div className={cx("min-h-0", selectedId !== null ? "hidden lg:flex" : "flex", "flex-col")}>
          <ConversationList
            filters={filters}
            query={q}
            onFiltersChange={setFilters}
            conversations={conversations}
            loading={list.loading}
            error={list.error}
            hasMore={list.hasMore}
            loadingMore={list.loadingMore}
            onLoadMore={list.loadMore}
            selectedId={selectedId}
            onSelect={select}
            now={now}
          />
        </div>
        <div className={cx("min-h-0", selectedId === null ? "hidden lg:block" : "block")}>
          <ThreadView
            conversation={conversation}
            messages={thread.messages}
            calls={threadCalls.data?.results}
            loading={thread.loading}
            error={thread.error}
            hasOlder={thread.hasOlder}
            loadingOlder={thread.loadingOlder}
            onLoadOlder={thread.loadOlder}
            members={members}
            me={user.id}
            assignsAnyone={user.capabilities.see_all_conversations}
            now={now}
            onUpdate={update}
            onSent={(message) => {
              thread.addMessage(message);
              invalidate(inboxKeys.conversationLists());
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
            canSend={user.capabilities.send}
            inCall={calls.active !== null && !isEnded(calls.active.call.status)}
            onCall={calls.place}
            onClose={() => setPanelOpen(false)}
            className={cx(
              "border-l",
              panelOpen ? "absolute inset-y-0 right-0 z-10 flex w-80 max-w-full shadow-xl" : "hidden",
              "xl:static xl:flex xl:w-auto xl:shadow-none",
            )}
          />
        ) : null}
      </div>
      <CallDock
        center={calls}
        nameOf={(call) => conversations.find((c) => c.id === call.conversation_id)?.contact.name || undefined}
        onOpen={openConversation}
      />
    </div>
  );
}
