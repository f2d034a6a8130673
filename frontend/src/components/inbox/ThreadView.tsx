"use client";

import { Fragment, useLayoutEffect, useMemo, useRef, useState } from "react";

import { CallEntry } from "@/components/calls/CallEntry";
import { Alert, Button, Select, Spinner } from "@/components/ui";
import type { Call } from "@/lib/api/calls";
import type { Conversation, ConversationStatus, ConversationUpdate, Member, Message } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { clockTime, conversationTitle, dayLabel, memberName, sameDay, STATUS_LABELS, windowIsOpen, windowText } from "./format";
import { InboxComposer } from "./InboxComposer";
import { MessageBubble, quotedWamid } from "./MessageBubble";

/** Those who see every conversation pick anyone; agents may only take an unassigned conversation or let theirs go. */
function AssigneeControl({
  conversation,
  members,
  me,
  assignsAnyone,
  busy,
  onUpdate,
}: {
  conversation: Conversation;
  members: Member[];
  me: number;
  assignsAnyone: boolean;
  busy: boolean;
  onUpdate: (patch: ConversationUpdate) => void;
}) {
  const assignee = conversation.assignee;
  if (assignsAnyone) {
    const known = members.some((m) => m.user_id === assignee?.id);
    return (
      <label className="flex items-center gap-2 text-sm text-slate-600">
        Assignee
        <span className="w-44">
          <Select
            value={assignee ? String(assignee.id) : ""}
            disabled={busy}
            onChange={(event) => onUpdate({ assignee_id: event.target.value ? Number(event.target.value) : null })}
          >
            <option value="">Unassigned</option>
            {assignee && !known ? <option value={assignee.id}>{assignee.name}</option> : null}
            {members.map((m) => (
              <option key={m.user_id} value={m.user_id}>
                {m.user_id === me ? `${memberName(m)} (you)` : memberName(m)}
              </option>
            ))}
          </Select>
        </span>
      </label>
    );
  }
  if (!assignee) {
    return (
      <Button size="sm" variant="secondary" loading={busy} onClick={() => onUpdate({ assignee_id: me })}>
        Assign to me
      </Button>
    );
  }
  if (assignee.id === me) {
    return (
      <span className="flex items-center gap-2 text-sm text-slate-600">
        Assigned to you
        <Button size="sm" variant="ghost" loading={busy} onClick={() => onUpdate({ assignee_id: null })}>
          Unassign me
        </Button>
      </span>
    );
  }
  return <span className="text-sm text-slate-600">Assigned to {assignee.name}</span>;
}

function ThreadHeader({
  conversation,
  members,
  me,
  assignsAnyone,
  now,
  onUpdate,
  onShowDetails,
  onBack,
}: {
  conversation: Conversation;
  members: Member[];
  me: number;
  assignsAnyone: boolean;
  now: number;
  onUpdate: (patch: ConversationUpdate) => Promise<void>;
  onShowDetails: () => void;
  onBack: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const open = windowIsOpen(conversation, now);
  const { contact, phone_number: number } = conversation;

  const update = (patch: ConversationUpdate) => {
    setBusy(true);
    setError(null);
    onUpdate(patch)
      .catch((err: unknown) => setError(toApiError(err).message))
      .finally(() => setBusy(false));
  };

  return (
    <header className="border-b border-slate-200 bg-white px-4 py-3">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="flex min-w-0 items-start gap-2">
          <button type="button" onClick={onBack} className="rounded px-1 text-lg leading-6 text-slate-500 hover:bg-slate-100 lg:hidden" aria-label="Back to conversations">
            ←
          </button>
          <div className="min-w-0">
            <h2 className="truncate text-base font-semibold text-slate-900">{conversationTitle(conversation)}</h2>
            <p className="truncate text-xs text-slate-500">
              {contact.phone || contact.wa_user_id || "No number"} · via {number.display_phone_number || number.phone_number_id}
            </p>
            <p className={open ? "text-xs font-medium text-brand-700" : "text-xs font-medium text-amber-700"} data-testid="window-state">
              {windowText(conversation, now)}
            </p>
          </div>
        </div>
        <div className="flex flex-wrap items-center gap-3">
          <label className="flex items-center gap-2 text-sm text-slate-600">
            Status
            <span className="w-32">
              <Select value={conversation.status} disabled={busy} onChange={(event) => update({ status: event.target.value as ConversationStatus })}>
                {(Object.keys(STATUS_LABELS) as ConversationStatus[]).map((s) => (
                  <option key={s} value={s}>
                    {STATUS_LABELS[s]}
                  </option>
                ))}
              </Select>
            </span>
          </label>
          <AssigneeControl conversation={conversation} members={members} me={me} assignsAnyone={assignsAnyone} busy={busy} onUpdate={update} />
          <Button size="sm" variant="ghost" onClick={onShowDetails} className="xl:hidden">
            Contact &amp; notes
          </Button>
        </div>
      </div>
      {error ? <Alert className="mt-2">{error}</Alert> : null}
    </header>
  );
}

const NO_CALLS: Call[] = [];

type Entry = { at: string; message: Message; call?: never } | { at: string; call: Call; message?: never };

/** Messages and calls in time order; calls older than the oldest loaded message wait for "Load older". */
function entriesOf(messages: Message[], calls: Call[], hasOlder: boolean): Entry[] {
  const since = hasOlder ? messages[0]?.created_at : undefined;
  const entries: Entry[] = messages.map((message) => ({ at: message.created_at, message }));
  for (const call of calls) {
    const at = call.ringing_at ?? call.created_at;
    if (!since || at >= since) entries.push({ at, call });
  }
  return entries.sort((a, b) => a.at.localeCompare(b.at));
}

/** The messages and calls, oldest at the top; it follows the newest unless the agent scrolled up to read. */
function MessageList({
  messages,
  calls,
  members,
  hasOlder,
  loadingOlder,
  onLoadOlder,
}: {
  messages: Message[];
  calls: Call[];
  members: Member[];
  hasOlder: boolean;
  loadingOlder: boolean;
  onLoadOlder: () => void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const seen = useRef<{ first?: string; last?: string; height: number; nearBottom: boolean }>({ height: 0, nearBottom: true });
  const byWamid = new Map(messages.filter((m) => m.wamid).map((m) => [m.wamid as string, m]));
  const entries = useMemo(() => entriesOf(messages, calls, hasOlder), [messages, calls, hasOlder]);
  const agentName = (id: number | null) => {
    const member = members.find((m) => m.user_id === id);
    return member ? memberName(member) : undefined;
  };

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const keyOf = (entry: Entry | undefined) => (entry?.message ? entry.message.id : entry ? `call-${entry.call.id}` : undefined);
    const first = keyOf(entries[0]);
    const newest = entries[entries.length - 1];
    const last = keyOf(newest);
    const before = seen.current;
    if (before.first && first !== before.first && last === before.last) {
      // Older messages were added above: keep what the agent was looking at in place.
      el.scrollTop += el.scrollHeight - before.height;
    } else if (last !== before.last && (before.nearBottom || newest?.message?.direction === "out")) {
      el.scrollTop = el.scrollHeight;
    }
    seen.current = { first, last, height: el.scrollHeight, nearBottom: el.scrollHeight - el.scrollTop - el.clientHeight < 80 };
  }, [entries]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    seen.current.nearBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
    seen.current.height = el.scrollHeight;
    if (el.scrollTop < 40 && hasOlder && !loadingOlder) onLoadOlder();
  };

  return (
    <div
      ref={scroller}
      onScroll={onScroll}
      className="min-h-0 flex-1 overflow-y-auto bg-[#efeae2] px-3 py-3 sm:px-6"
      style={{ backgroundImage: "radial-gradient(rgba(0,0,0,0.035) 1px, transparent 1px)", backgroundSize: "12px 12px" }}
    >
      {hasOlder ? (
        <div className="mb-2 text-center">
          <Button size="sm" variant="secondary" onClick={onLoadOlder} loading={loadingOlder}>
            Load older messages
          </Button>
        </div>
      ) : null}
      {entries.length === 0 ? <p className="py-10 text-center text-sm text-slate-500">No messages in this conversation yet.</p> : null}
      <ol aria-label="Messages" className="space-y-1.5">
        {entries.map((entry, i) => {
          const previous = entries[i - 1];
          const newDay = !previous || !sameDay(previous.at, entry.at);
          return (
            <Fragment key={entry.message ? entry.message.id : `call-${entry.call.id}`}>
              {newDay ? (
                <li className="flex justify-center py-1" aria-label={dayLabel(entry.at)}>
                  <span className="rounded-md bg-white/90 px-2 py-0.5 text-[11px] font-medium uppercase text-slate-500 shadow-sm">{dayLabel(entry.at)}</span>
                </li>
              ) : null}
              {entry.message ? (
                <MessageBubble message={entry.message} quoted={byWamid.get(quotedWamid(entry.message))} />
              ) : (
                <CallEntry call={entry.call} agentName={agentName(entry.call.agent_id)} time={clockTime(entry.at)} />
              )}
            </Fragment>
          );
        })}
      </ol>
    </div>
  );
}

export interface ThreadViewProps {
  conversation: Conversation | null;
  messages: Message[];
  /** The conversation's calls (newest first or not: they are put in time order). */
  calls?: Call[];
  loading: boolean;
  error: string | null;
  hasOlder: boolean;
  loadingOlder: boolean;
  onLoadOlder: () => void;
  members: Member[];
  me: number;
  /** The viewer sees every conversation and so assigns anyone (`capabilities.see_all_conversations`). */
  assignsAnyone: boolean;
  now: number;
  onUpdate: (patch: ConversationUpdate) => Promise<void>;
  onSent: (message: Message) => void;
  onWindowClosed: () => void;
  onShowDetails: () => void;
  onBack: () => void;
}

export function ThreadView(props: ThreadViewProps) {
  const { conversation, loading, error } = props;
  if (!conversation) {
    return (
      <div className="grid h-full place-items-center bg-slate-50 p-6 text-center">
        {loading ? (
          <p role="status" className="flex items-center gap-2 text-sm text-slate-500">
            <Spinner /> Loading conversation…
          </p>
        ) : error ? (
          <Alert>{error}</Alert>
        ) : (
          <div>
            <p className="text-sm font-medium text-slate-900">Choose a conversation</p>
            <p className="mt-1 text-sm text-slate-500">Its messages, the reply box and the contact&apos;s notes open here.</p>
          </div>
        )}
      </div>
    );
  }
  const open = windowIsOpen(conversation, props.now);
  return (
    <section aria-label={`Conversation with ${conversationTitle(conversation)}`} className="flex h-full min-h-0 flex-col">
      <ThreadHeader
        conversation={conversation}
        members={props.members}
        me={props.me}
        assignsAnyone={props.assignsAnyone}
        now={props.now}
        onUpdate={props.onUpdate}
        onShowDetails={props.onShowDetails}
        onBack={props.onBack}
      />
      {error ? <Alert className="m-2">{error}</Alert> : null}
      <MessageList
        key={`messages-${conversation.id}`}
        messages={props.messages}
        calls={props.calls ?? NO_CALLS}
        members={props.members}
        hasOlder={props.hasOlder} loadingOlder={props.loadingOlder} onLoadOlder={props.onLoadOlder} />
      <InboxComposer
        key={`composer-${conversation.id}`}
        conversation={conversation}
        windowOpen={open}
        contactName={conversationTitle(conversation)}
        onSent={props.onSent}
        onWindowClosed={props.onWindowClosed}
      />
    </section>
  );
}
