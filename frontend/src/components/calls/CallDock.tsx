"use client";

import { Button, cx } from "@/components/ui";
import { useNow } from "@/hooks/useNow";
import type { Call } from "@/lib/api/calls";
import { customerNumber, duration, isEnded, STATUS_WORDS } from "./format";
import type { CallCenter } from "./useCallCenter";

/** Sent and heard audio: packet counts that climb while audio flows, and the customer's level. */
function Meters({ sent, received, level }: { sent: number; received: number; level: number }) {
  return (
    <div className="mt-2 space-y-1 text-xs text-slate-600">
      <p className="flex justify-between">
        <span>
          Sent <span data-testid="call-sent">{sent}</span>
        </span>
        <span>
          Heard <span data-testid="call-received">{received}</span>
        </span>
      </p>
      <div className="h-1.5 overflow-hidden rounded bg-slate-200" aria-label="Customer's audio level" role="meter" aria-valuemin={0} aria-valuemax={1} aria-valuenow={level}>
        <div className="h-full bg-brand-500 transition-[width]" style={{ width: `${Math.round(Math.min(1, level * 4) * 100)}%` }} />
      </div>
    </div>
  );
}

/**
 * Calls over the inbox, bottom right: customers' calls ringing (answer or decline), and the call this agent
 * is on (its state, time, audio meters, mute and hang up).
 */
export function CallDock({
  center,
  nameOf = () => undefined,
  onOpen,
}: {
  center: CallCenter;
  /** The contact's name, when the page knows it (the number shows otherwise). */
  nameOf?: (call: Call) => string | undefined;
  /** Opens the call's conversation (its thread and contact). */
  onOpen?: (conversationId: number) => void;
}) {
  const { active, ringing, error, busy } = center;
  const inCall = active !== null && !isEnded(active.call.status);
  const now = useNow(1_000, inCall && active?.call.status === "accepted");
  const answeredAt = active?.call.answered_at;
  const elapsed = answeredAt ? (now - new Date(answeredAt).getTime()) / 1000 : 0;
  if (!active && ringing.length === 0 && !error) return null;
  const who = (call: Call) => (
    <p className="font-semibold text-slate-900">
      {nameOf(call) ?? customerNumber(call)}
      {onOpen && call.conversation_id ? (
        <button type="button" className="ml-2 text-xs font-medium text-brand-700 hover:underline" onClick={() => onOpen(call.conversation_id!)}>
          Open chat
        </button>
      ) : null}
    </p>
  );

  return (
    <div className="fixed right-4 bottom-4 z-30 w-80 space-y-2" aria-live="polite">
      {error ? (
        <div role="alert" className="flex items-start justify-between gap-2 rounded-xl border border-red-200 bg-red-50 p-3 text-sm text-red-800 shadow-lg" data-testid="call-error">
          <span>{error}</span>
          <button type="button" className="text-xs font-medium underline" onClick={center.dismissError}>
            Dismiss
          </button>
        </div>
      ) : null}
      {active ? (
        <section aria-label="Current call" data-testid="call-active" className="rounded-xl border border-slate-200 bg-white p-3 shadow-lg">
          <p className="text-xs font-medium uppercase text-slate-500">{active.call.direction === "business_initiated" ? "Outgoing call" : "Incoming call"}</p>
          {who(active.call)}
          <p className={cx("text-sm", isEnded(active.call.status) ? "text-slate-500" : "text-brand-700")} data-testid="call-status">
            {STATUS_WORDS[active.call.status]}
            {active.call.status === "accepted" ? ` · ${duration(elapsed)}` : ""}
            {active.call.status === "completed" && active.call.duration_seconds != null ? ` · ${duration(active.call.duration_seconds)}` : ""}
          </p>
          {active.meters ? <Meters sent={active.meters.packetsSent} received={active.meters.packetsReceived} level={active.meters.level} /> : null}
          {inCall ? (
            <div className="mt-3 flex gap-2">
              <Button size="sm" variant="secondary" onClick={() => center.setMuted(!active.muted)} aria-pressed={active.muted}>
                {active.muted ? "Unmute" : "Mute"}
              </Button>
              <Button size="sm" variant="danger" loading={busy} onClick={() => void center.hangUp()} data-testid="call-hangup">
                Hang up
              </Button>
            </div>
          ) : null}
        </section>
      ) : null}
      {ringing.map((call) => (
        <section key={call.id} aria-label={`Call from ${customerNumber(call)}`} data-testid="call-incoming" className="rounded-xl border border-brand-200 bg-white p-3 shadow-lg">
          <p className="flex items-center gap-2 text-xs font-medium uppercase text-brand-700">
            <span aria-hidden="true" className="size-2 animate-pulse rounded-full bg-brand-500" />
            Incoming WhatsApp call
          </p>
          {who(call)}
          <div className="mt-3 flex gap-2">
            <Button size="sm" loading={busy} disabled={inCall} onClick={() => void center.answer(call)} data-testid="call-answer">
              Answer
            </Button>
            <Button size="sm" variant="secondary" disabled={busy} onClick={() => void center.decline(call)} data-testid="call-decline">
              Decline
            </Button>
          </div>
        </section>
      ))}
    </div>
  );
}
