"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef } from "react";

import { getConversation, listAllNotes, listConversationMessages, markConversationRead } from "@/lib/api/inbox";
import type { Conversation, Message, Note } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { replaceListItem } from "@/lib/query/cache";
import { inboxKeys } from "@/lib/query/keys";

/** Oldest first (the API pages newest first); a message seen again replaces the older copy (its status moved). */
export function mergeMessages(current: Message[], incoming: Message[]): Message[] {
  const byId = new Map(current.map((m) => [m.id, m]));
  for (const message of incoming) byId.set(message.id, message);
  return [...byId.values()].sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
}

/** The cached thread: every message loaded so far, and the link to the next older page. */
interface ThreadMessages {
  messages: Message[];
  older: string | null;
}

export interface Thread {
  conversation: Conversation | null;
  messages: Message[];
  notes: Note[];
  loading: boolean;
  error: string | null;
  hasOlder: boolean;
  loadingOlder: boolean;
  loadOlder: () => void;
  /** Refetch what an event says changed. */
  refresh: (what: { conversation?: boolean; messages?: boolean; notes?: boolean }) => void;
  setConversation: (conversation: Conversation) => void;
  addMessage: (message: Message) => void;
  addNote: (note: Note) => void;
}

/**
 * The open conversation: its details, the newest page of messages (older ones on demand) and notes,
 * each a query under `inboxKeys.conversation(id)`, so a live event invalidates what it names. The
 * thread is a log: refetching the newest page merges into what is loaded, so older pages stay.
 * When it has unread messages and the page is visible, it is marked read — on opening, and again when
 * new inbound arrives while it is open — so the customer sees blue ticks only for what was on screen.
 */
export function useThread(id: number | null): Thread {
  const client = useQueryClient();
  const enabled = id !== null;
  const key = id ?? 0;
  const marking = useRef(false);

  const conversationQuery = useQuery({ queryKey: inboxKeys.conversation(key), queryFn: () => getConversation(key), enabled });
  const messagesQuery = useQuery({
    queryKey: inboxKeys.messages(key),
    queryFn: async (): Promise<ThreadMessages> => {
      const page = await listConversationMessages(key);
      const shown = client.getQueryData<ThreadMessages>(inboxKeys.messages(key));
      return { messages: mergeMessages(shown?.messages ?? [], page.results), older: shown ? shown.older : (page.next ?? null) };
    },
    enabled,
  });
  const notesQuery = useQuery({ queryKey: inboxKeys.notes(key), queryFn: () => listAllNotes(key), enabled });

  const older = useMutation({
    mutationFn: async ({ target, link }: { target: number; link: string }) => {
      const page = await listConversationMessages(target, link);
      client.setQueryData<ThreadMessages>(inboxKeys.messages(target), (shown) => ({
        messages: mergeMessages(shown?.messages ?? [], page.results),
        older: page.next ?? null,
      }));
    },
  });

  const setConversation = useCallback(
    (next: Conversation) => {
      if (next.id !== id) return;
      client.setQueryData(inboxKeys.conversation(next.id), next);
      replaceListItem(client, inboxKeys.conversationLists(), next); // the row in every loaded list shows the same
    },
    [client, id],
  );

  const refresh = useCallback(
    (what: { conversation?: boolean; messages?: boolean; notes?: boolean }) => {
      if (id === null) return;
      const keys = [what.conversation && inboxKeys.conversation(id), what.messages && inboxKeys.messages(id), what.notes && inboxKeys.notes(id)];
      for (const queryKey of keys) if (queryKey) void client.invalidateQueries({ queryKey, exact: true }).catch(() => undefined);
    },
    [client, id],
  );

  const link = messagesQuery.data?.older ?? null;
  const { mutate: fetchOlder, isPending: loadingOlder } = older;
  const loadOlder = useCallback(() => {
    if (!link || loadingOlder || id === null) return;
    fetchOlder({ target: id, link });
  }, [link, loadingOlder, id, fetchOlder]);

  const conversation = enabled ? (conversationQuery.data ?? null) : null;

  // Read receipts: only for a thread someone is looking at.
  const unread = conversation?.unread_count ?? 0;
  const openId = conversation?.id ?? null;
  useEffect(() => {
    if (openId === null || unread === 0) return;
    const mark = () => {
      if (marking.current || document.visibilityState !== "visible") return;
      marking.current = true;
      markConversationRead(openId)
        .then(setConversation, () => undefined)
        .finally(() => {
          marking.current = false;
        });
    };
    mark();
    document.addEventListener("visibilitychange", mark);
    return () => document.removeEventListener("visibilitychange", mark);
  }, [openId, unread, setConversation]);

  const addMessage = useCallback(
    (message: Message) =>
      client.setQueryData<ThreadMessages>(inboxKeys.messages(message.conversation_id ?? key), (shown) =>
        shown ? { ...shown, messages: mergeMessages(shown.messages, [message]) } : shown,
      ),
    [client, key],
  );
  const addNote = useCallback(
    (note: Note) => client.setQueryData<Note[]>(inboxKeys.notes(key), (n = []) => (n.some((x) => x.id === note.id) ? n : [...n, note])),
    [client, key],
  );

  // Only a first load that failed is shown; a failed background refetch keeps what is there.
  const failed = [conversationQuery, messagesQuery, notesQuery].find((q) => q.isLoadingError)?.error ?? older.error;
  const error = enabled && failed ? toApiError(failed).message : null;
  const loading = enabled && !error && (conversationQuery.isPending || messagesQuery.isPending || notesQuery.isPending);

  return {
    conversation,
    messages: enabled ? (messagesQuery.data?.messages ?? []) : [],
    notes: enabled ? (notesQuery.data ?? []) : [],
    loading,
    error,
    hasOlder: link !== null,
    loadingOlder,
    loadOlder,
    refresh,
    setConversation,
    addMessage,
    addNote,
  };
}
