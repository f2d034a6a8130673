"use client";

import { useCallback, useEffect, useRef, useState } from "react";

import { getConversation, listAllNotes, listConversationMessages, markConversationRead } from "@/lib/api/inbox";
import type { Conversation, Message, Note } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";

/** Oldest first (the API pages newest first); a message seen again replaces the older copy (its status moved). */
export function mergeMessages(current: Message[], incoming: Message[]): Message[] {
  const byId = new Map(current.map((m) => [m.id, m]));
  for (const message of incoming) byId.set(message.id, message);
  return [...byId.values()].sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
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
 * The open conversation: its details, the newest page of messages (older ones on demand) and notes.
 * When it has unread messages and the page is visible, it is marked read — on opening, and again when
 * new inbound arrives while it is open — so the customer sees blue ticks only for what was on screen.
 */
export function useThread(id: number | null, onChanged: (conversation: Conversation) => void): Thread {
  const [conversation, setConversationState] = useState<Conversation | null>(null);
  const [messages, setMessages] = useState<Message[]>([]);
  const [notes, setNotes] = useState<Note[]>([]);
  const [older, setOlder] = useState<string | null>(null);
  const [loading, setLoading] = useState(id !== null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const current = useRef(id);
  const marking = useRef(false);
  const changed = useRef(onChanged);
  useEffect(() => {
    changed.current = onChanged;
  }, [onChanged]);

  const setConversation = useCallback((next: Conversation) => {
    if (next.id !== current.current) return;
    setConversationState(next);
    changed.current(next);
  }, []);

  // Another conversation: start empty (adjusting state while rendering, as React recommends over an effect).
  const [shownId, setShownId] = useState(id);
  if (shownId !== id) {
    setShownId(id);
    setConversationState(null);
    setMessages([]);
    setNotes([]);
    setOlder(null);
    setError(null);
    setLoading(id !== null);
  }

  useEffect(() => {
    current.current = id;
    if (id === null) return;
    const mine = () => current.current === id;
    Promise.all([getConversation(id), listConversationMessages(id), listAllNotes(id)])
      .then(([c, page, n]) => {
        if (!mine()) return;
        setConversationState(c);
        setMessages(mergeMessages([], page.results));
        setOlder(page.next ?? null);
        setNotes(n);
      })
      .catch((err: unknown) => mine() && setError(toApiError(err).message))
      .finally(() => mine() && setLoading(false));
  }, [id]);

  const refresh = useCallback(
    (what: { conversation?: boolean; messages?: boolean; notes?: boolean }) => {
      const target = current.current;
      if (target === null) return;
      const mine = () => current.current === target;
      // A failed background refresh keeps what is shown; the next event or the poll tries again.
      if (what.conversation) getConversation(target).then((c) => mine() && setConversation(c), () => undefined);
      if (what.messages) listConversationMessages(target).then((page) => mine() && setMessages((m) => mergeMessages(m, page.results)), () => undefined);
      if (what.notes) listAllNotes(target).then((n) => mine() && setNotes(n), () => undefined);
    },
    [setConversation],
  );

  const loadOlder = useCallback(() => {
    const target = current.current;
    if (!older || loadingOlder || target === null) return;
    setLoadingOlder(true);
    listConversationMessages(target, older)
      .then((page) => {
        if (current.current !== target) return;
        setMessages((m) => mergeMessages(m, page.results));
        setOlder(page.next ?? null);
      })
      .catch((err: unknown) => setError(toApiError(err).message))
      .finally(() => setLoadingOlder(false));
  }, [older, loadingOlder]);

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

  const addMessage = useCallback((message: Message) => setMessages((m) => mergeMessages(m, [message])), []);
  const addNote = useCallback((note: Note) => setNotes((n) => (n.some((x) => x.id === note.id) ? n : [...n, note])), []);

  return {
    conversation,
    messages,
    notes,
    loading,
    error,
    hasOlder: older !== null,
    loadingOlder,
    loadOlder,
    refresh,
    setConversation,
    addMessage,
    addNote,
  };
}
