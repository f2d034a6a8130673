import type { Call } from "@/lib/api/calls";
import { cx } from "@/components/ui";
import { callSummary } from "./format";

/** A call in the conversation's thread, between the messages of its time. */
export function CallEntry({ call, agentName, time }: { call: Call; agentName?: string; time: string }) {
  const failed = call.status === "missed" || call.status === "failed" || call.status === "rejected";
  return (
    <li className="flex justify-center py-1" data-testid="thread-call">
      <span className={cx("rounded-lg bg-white/95 px-3 py-1 text-xs shadow-sm", failed ? "text-red-700" : "text-slate-700")}>
        <span aria-hidden="true">📞 </span>
        {callSummary(call, agentName)} · {time}
        {call.error_message ? <span className="block text-[11px] text-slate-500">{call.error_message}</span> : null}
      </span>
    </li>
  );
}
