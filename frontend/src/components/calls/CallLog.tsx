"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { PageHeader } from "@/components/app/PageHeader";
import { memberName } from "@/components/inbox/format";
import { CallsIcon } from "@/components/icons";
import { formatWhen } from "@/components/templates/format";
import { Badge, Button, Card, EmptyState, Select } from "@/components/ui";
import { CursorListFrame, ROW, TABLE, THEAD, Th } from "@/components/ui/CursorListFrame";
import { listCalls, type Call, type CallQuery, type CallStatus } from "@/lib/api/calls";
import { listAllMembers } from "@/lib/api/team";
import { callKeys, teamKeys } from "@/lib/query/keys";
import { useCursorQuery } from "@/lib/query/useCursorQuery";
import { customerNumber, duration, STATUS_WORDS } from "./format";

const TONES: Record<CallStatus, "brand" | "red" | "neutral"> = {
  connecting: "neutral",
  ringing: "neutral",
  pre_accepted: "neutral",
  accepted: "brand",
  completed: "brand",
  rejected: "red",
  missed: "red",
  failed: "red",
};

const COLUMNS = ["Customer", "Direction", "Result", "Duration", "Agent", "When"] as const;

function CallRow({ call, agent }: { call: Call; agent?: string }) {
  return (
    <tr data-testid="call-row" className={`${ROW} hover:bg-slate-50`}>
      <td className="px-5 py-3">
        {call.conversation_id ? (
          <Link href={`/inbox?c=${call.conversation_id}`} className="font-medium text-brand-800 hover:underline">
            {customerNumber(call)}
          </Link>
        ) : (
          <span className="font-medium text-slate-800">{customerNumber(call)}</span>
        )}
      </td>
      <td className="px-3 py-3 text-sm text-slate-700">{call.direction === "business_initiated" ? "Outgoing" : "Incoming"}</td>
      <td className="px-3 py-3">
        <Badge tone={TONES[call.status]}>{call.status === "completed" ? "Answered" : STATUS_WORDS[call.status].replace("…", "")}</Badge>
        {call.error_message ? <span className="mt-1 block max-w-56 text-xs text-slate-500">{call.error_message}</span> : null}
      </td>
      <td className="px-3 py-3 text-sm tabular-nums text-slate-700">{call.duration_seconds != null ? duration(call.duration_seconds) : "—"}</td>
      <td className="px-3 py-3 text-sm text-slate-700">{agent ?? "—"}</td>
      <td className="px-5 py-3 text-xs text-slate-500">{formatWhen(call.ringing_at ?? call.created_at)}</td>
    </tr>
  );
}

/** /calls: every WhatsApp call of the business (an agent who doesn't see every conversation: their own). */
export function CallLog() {
  const [direction, setDirection] = useState<CallQuery["direction"] | "">("");
  const [status, setStatus] = useState<CallStatus | "">("");
  const [agent, setAgent] = useState("");
  const query: CallQuery = { direction: direction || undefined, status: status || undefined, agent: agent ? Number(agent) : undefined };
  const list = useCursorQuery<Call>(callKeys.list(query), (next) => listCalls(query, next), { keepPrevious: true });
  const { data: members = [] } = useQuery({ queryKey: teamKeys.allMembers(), queryFn: listAllMembers });
  const agentName = (id: number | null) => {
    const m = members.find((member) => member.user_id === id);
    return m ? memberName(m) : undefined;
  };
  const filtered = Boolean(direction || status || agent);

  return (
    <>
      <PageHeader title="Calls" description="WhatsApp calls with your customers: who called, who answered, and for how long. Calls ring in the inbox." />
      <Card className="mb-4">
        <div className="flex flex-wrap gap-3 px-5 py-3">
          <Select aria-label="Direction" value={direction} onChange={(e) => setDirection(e.target.value as CallQuery["direction"] | "")} className="max-w-48">
            <option value="">Incoming and outgoing</option>
            <option value="user_initiated">Incoming</option>
            <option value="business_initiated">Outgoing</option>
          </Select>
          <Select aria-label="Result" value={status} onChange={(e) => setStatus(e.target.value as CallStatus | "")} className="max-w-48">
            <option value="">Every result</option>
            <option value="completed">Answered</option>
            <option value="missed">Missed</option>
            <option value="rejected">Declined</option>
            <option value="failed">Failed</option>
            <option value="accepted">In progress</option>
            <option value="ringing">Ringing</option>
          </Select>
          <Select aria-label="Agent" value={agent} onChange={(e) => setAgent(e.target.value)} className="max-w-56">
            <option value="">Every agent</option>
            {members.map((m) => (
              <option key={m.user_id} value={m.user_id}>
                {agentName(m.user_id)}
              </option>
            ))}
          </Select>
        </div>
      </Card>
      <CursorListFrame
        list={list}
        what="calls"
        empty={
          filtered ? (
            <EmptyState
              title="No calls match"
              description="No call matches these filters."
              action={
                <Button variant="secondary" onClick={() => (setDirection(""), setStatus(""), setAgent(""))}>
                  Show every call
                </Button>
              }
            />
          ) : (
            <EmptyState
              icon={<CallsIcon className="size-6" />}
              title="No calls yet"
              description="When customers call your WhatsApp number, it rings in the inbox for everyone online. To call a customer, ask their permission from the conversation's contact panel."
            />
          )
        }
      >
        <table className={TABLE}>
          <thead className={THEAD}>
            <tr>
              {COLUMNS.map((h, i) => (
                <Th key={h} className={i === 0 || i === COLUMNS.length - 1 ? "px-5" : "px-3"}>
                  {h}
                </Th>
              ))}
            </tr>
          </thead>
          <tbody>
            {list.items.map((call) => (
              <CallRow key={call.id} call={call} agent={agentName(call.agent_id)} />
            ))}
          </tbody>
        </table>
      </CursorListFrame>
    </>
  );
}
