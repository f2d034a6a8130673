"use client";

import { useQuery } from "@tanstack/react-query";

import { cx } from "@/components/ui";
import { useDebounced } from "@/hooks/useDebounced";
import { listCannedReplies } from "@/lib/api/inbox";
import type { CannedReply } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { inboxKeys } from "@/lib/query/keys";

/** "/hou" → "hou"; null when the draft is not a canned-reply search (a slash, then no space yet). */
export function cannedQuery(draft: string): string | null {
  const match = /^\/(\S*)$/.exec(draft);
  return match ? (match[1] ?? "") : null;
}

/** The replies matching the typed shortcut, fetched as the agent types (the server filters). */
export function useCannedReplies(query: string | null): { replies: CannedReply[]; error: string | null } {
  const settled = useDebounced(query, 150);
  const { data, error } = useQuery({
    queryKey: inboxKeys.cannedReplySearch(settled ?? ""),
    queryFn: () => listCannedReplies(settled ?? ""),
    enabled: settled !== null,
    placeholderData: (previous) => previous,
  });
  return { replies: error ? [] : (data?.results ?? []), error: error ? toApiError(error).message : null };
}

export function CannedReplyMenu({
  id,
  replies,
  error,
  active,
  onPick,
}: {
  id: string;
  replies: CannedReply[];
  error: string | null;
  active: number;
  onPick: (reply: CannedReply) => void;
}) {
  return (
    <div className="absolute inset-x-0 bottom-full z-10 mb-1 max-h-64 overflow-y-auto rounded-lg border border-slate-200 bg-white shadow-lg">
      {error ? <p className="px-3 py-2 text-sm text-red-700">{error}</p> : null}
      {replies.length === 0 && !error ? (
        <p className="px-3 py-2 text-sm text-slate-500">No canned reply starts with that. Managers add them in Settings → Inbox.</p>
      ) : null}
      <ul id={id} role="listbox" aria-label="Canned replies">
        {replies.map((reply, i) => (
          <li
            key={reply.id}
            id={`${id}-${i}`}
            role="option"
            aria-selected={i === active}
            // mousedown, not click: the textarea keeps focus (a click would blur it first).
            onMouseDown={(event) => {
              event.preventDefault();
              onPick(reply);
            }}
            className={cx("cursor-pointer px-3 py-2 text-sm", i === active ? "bg-brand-50" : "hover:bg-slate-50")}
          >
            <span className="font-mono text-brand-800">/{reply.shortcut}</span> <span className="font-medium text-slate-900">{reply.title}</span>
            <span className="block truncate text-slate-500">{reply.body}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
