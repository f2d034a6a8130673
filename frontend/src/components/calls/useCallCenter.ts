"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";

import { useNow } from "@/hooks/useNow";
import { answerCall, declineCall, getCall, hangUpCall, listCalls, placeCall, type Call, type CallDetail } from "@/lib/api/calls";
import { toApiError } from "@/lib/apiClient";
import { callKeys } from "@/lib/query/keys";
import { isEnded, type CallLiveEvent } from "./format";
import { CallMedia, type MediaMeters } from "./webrtc";

const METERS_EVERY_MS = 500;
/** While on a call its row is refetched this often too, in case a live event is lost. */
const ACTIVE_POLL_MS = 2_000;
/** An ended call stays on screen this long, so the agent sees how it ended. */
const ENDED_SHOWN_MS = 4_000;
/** Meta ends an unanswered call after 30–60 s; older "ringing" rows are stale (their terminate is late). */
const RING_MAX_MS = 60_000;
const RING_CHECK_MS = 5_000;

export interface ActiveCall {
  call: CallDetail;
  meters: MediaMeters | null;
  muted: boolean;
}

export interface CallCenter {
  /** Customers' calls ringing now that nobody has taken. */
  ringing: Call[];
  active: ActiveCall | null;
  /** What went wrong last (someone else answered, the microphone is blocked, Meta refused), in plain words. */
  error: string | null;
  busy: boolean;
  answer: (call: Call) => Promise<void>;
  decline: (call: Call) => Promise<void>;
  hangUp: () => Promise<void>;
  place: (contactId: number, phoneNumberId: string) => Promise<void>;
  setMuted: (muted: boolean) => void;
  dismissError: () => void;
  /** The inbox's live `call` events (ids only: the call is refetched). */
  onEvent: (event: CallLiveEvent) => void;
  /** The stream may have missed something. */
  onResync: () => void;
}

/**
 * The calls of this browser tab: which customers' calls ring, and the one call this agent is on, with its
 * media. Calls ring for every member (docs/calls.md); the API decides who gets a call when two answer.
 */
export function useCallCenter(): CallCenter {
  const client = useQueryClient();
  // The call this tab is on: its id, as first answered (the detail query then follows it), and the mute switch.
  const [session, setSession] = useState<{ initial: CallDetail; muted: boolean } | null>(null);
  const [meters, setMeters] = useState<MediaMeters | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const now = useNow(RING_CHECK_MS);
  const media = useRef<CallMedia | null>(null);
  const answerApplied = useRef(false);
  const activeId = session?.initial.id;

  const ringingQuery = useQuery({
    queryKey: callKeys.list({ status: "ringing", direction: "user_initiated" }),
    queryFn: () => listCalls({ status: "ringing", direction: "user_initiated" }),
  });
  const ringing = (ringingQuery.data?.results ?? []).filter(
    (call) => call.id !== activeId && now - new Date(call.ringing_at ?? call.created_at).getTime() < RING_MAX_MS,
  );

  const detailQuery = useQuery({
    queryKey: callKeys.detail(activeId ?? 0),
    queryFn: () => getCall(activeId!),
    enabled: activeId !== undefined,
    refetchInterval: (query) => (query.state.data && isEnded(query.state.data.status) ? false : ACTIVE_POLL_MS),
  });
  const call = session ? (detailQuery.data ?? session.initial) : null;
  const ended = call ? isEnded(call.status) : false;

  const endMedia = useCallback(() => {
    media.current?.close();
    media.current = null;
  }, []);

  // Meta's SDP answer to our call starts the media (once); an end closes it.
  useEffect(() => {
    if (!call) return;
    if (call.sdp_answer && call.direction === "business_initiated" && !answerApplied.current && media.current) {
      answerApplied.current = true;
      media.current.accept(call.sdp_answer).catch((err: unknown) => setError(`The call's audio could not start: ${String(err)}`));
    }
    if (isEnded(call.status)) endMedia();
  }, [call, endMedia]);

  useEffect(() => {
    if (!ended) return;
    const timer = setTimeout(() => setSession(null), ENDED_SHOWN_MS);
    return () => clearTimeout(timer);
  }, [ended, activeId]);

  useEffect(() => {
    if (activeId === undefined || ended) return;
    const timer = setInterval(() => void media.current?.meters().then(setMeters), METERS_EVERY_MS);
    return () => clearInterval(timer);
  }, [activeId, ended]);

  useEffect(() => endMedia, [endMedia]); // leaving the page hangs up the media (the call ends at Meta's timeout)

  const start = (started: CallDetail, opened: CallMedia) => {
    media.current = opened;
    answerApplied.current = false;
    client.setQueryData(callKeys.detail(started.id), started);
    setMeters(null);
    setSession({ initial: started, muted: false });
  };

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(toApiError(err).message); // an ApiError's sentence, or a plain Error's (the microphone's)
    } finally {
      setBusy(false);
      void client.invalidateQueries({ queryKey: callKeys.lists() });
    }
  };

  const answer = (ringingCall: Call) =>
    run(async () => {
      const opened = await CallMedia.open();
      try {
        const detail = await getCall(ringingCall.id);
        start(await answerCall(ringingCall.id, await opened.answer(detail.sdp_offer)), opened);
      } catch (err) {
        opened.close();
        throw err;
      }
    });

  const place = (contactId: number, phoneNumberId: string) =>
    run(async () => {
      const opened = await CallMedia.open();
      try {
        start(await placeCall(contactId, phoneNumberId, await opened.offer()), opened);
      } catch (err) {
        opened.close();
        throw err;
      }
    });

  const decline = (ringingCall: Call) => run(async () => void (await declineCall(ringingCall.id)));

  const hangUp = () =>
    run(async () => {
      if (activeId === undefined) return;
      try {
        client.setQueryData(callKeys.detail(activeId), await hangUpCall(activeId));
      } finally {
        endMedia();
      }
    });

  const setMuted = (muted: boolean) => {
    media.current?.setMuted(muted);
    setSession((current) => (current ? { ...current, muted } : current));
  };

  const onEvent = useCallback(
    (event: CallLiveEvent) => {
      void client.invalidateQueries({ queryKey: callKeys.lists() });
      if (event.call_id === activeId) void client.invalidateQueries({ queryKey: callKeys.detail(event.call_id) });
    },
    [client, activeId],
  );
  const onResync = useCallback(() => void client.invalidateQueries({ queryKey: callKeys.lists() }), [client]);

  return {
    ringing,
    active: session && call ? { call, meters, muted: session.muted } : null,
    error,
    busy,
    answer,
    decline,
    hangUp,
    place,
    setMuted,
    dismissError: () => setError(null),
    onEvent,
    onResync,
  };
}

