"use client";

import { Button, cx, Input, Segmented, Spinner } from "@/components/ui";
import type { InboxView } from "@/lib/api/inbox";
import type { Conversation, ConversationStatus } from "@/lib/api/types";
import { conversationTitle, initials, listTime, STATUS_LABELS, windowIsOpen } from "./format";

export interface ListFilters {
  view: InboxView;
  status: ConversationStatus | "";
  search: string;
}

export const DEFAULT_FILTERS: ListFilters = { view: "all", status: "open", search: "" };

const VIEWS: ReadonlyArray<{ value: InboxView; label: string }> = [
  { value: "mine", label: "Mine" },
  { value: "unassigned", label: "Unassigned" },
  { value: "all", label: "All" },
];

const STATUSES: ReadonlyArray<{ value: ConversationStatus | ""; label: string }> = [
  { value: "open", label: "Open" },
  { value: "pending", label: "Pending" },
  { value: "resolved", label: "Resolved" },
  { value: "", label: "Any" },
];

function emptyText(filters: ListFilters, query: string): { title: string; hint: string } {
  if (query) return { title: `Nothing matches “${query}”`, hint: "Search by the contact's name, email or phone digits, or clear the search." };
  if (filters.view === "mine") return { title: "Nothing assigned to you", hint: "Take a conversation from Unassigned, or ask a manager to assign you one." };
  if (filters.view === "unassigned" && filters.status === "open") return { title: "Every open conversation has an owner", hint: "New customer messages that nobody has taken appear here." };
  if (filters.status && filters.status !== "open") return { title: `No ${STATUS_LABELS[filters.status].toLowerCase()} conversations`, hint: "Try another status, or Any." };
  return {
    title: "No conversations yet",
    hint: "When a customer writes to your WhatsApp number, the conversation appears here — live, without reloading.",
  };
}

export interface ConversationListProps {
  filters: ListFilters;
  /** The search as it was sent (debounced), for the empty state. */
  query: string;
  onFiltersChange: (filters: ListFilters) => void;
  conversations: Conversation[];
  loading: boolean;
  error: string | null;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  selectedId: number | null;
  onSelect: (conversation: Conversation) => void;
  now: number;
}

export function ConversationList({
  filters,
  query,
  onFiltersChange,
  conversations,
  loading,
  error,
  hasMore,
  loadingMore,
  onLoadMore,
  selectedId,
  onSelect,
  now,
}: ConversationListProps) {
  const set = (patch: Partial<ListFilters>) => onFiltersChange({ ...filters, ...patch });
  const empty = emptyText(filters, query);

  return (
    <section aria-label="Conversations" className="flex min-h-0 flex-1 flex-col border-slate-200 bg-white lg:border-r">
      <div className="space-y-2 border-b border-slate-100 p-3">
        <Input type="search" aria-label="Search conversations" placeholder="Search name or number" value={filters.search} onChange={(event) => set({ search: event.target.value })} className="h-9" />
        <Segmented label="Show" hideLabel size="sm" value={filters.view} options={VIEWS} onChange={(view) => set({ view })} />
        <Segmented label="Status" hideLabel size="sm" value={filters.status} options={STATUSES} onChange={(status) => set({ status })} />
      </div>

      <div className="min-h-0 flex-1 overflow-y-auto">
        {error ? (
          <p role="alert" className="m-3 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800">
            {error}
          </p>
        ) : null}
        {loading ? (
          <p role="status" className="flex items-center gap-2 p-4 text-sm text-slate-500">
            <Spinner /> Loading conversations…
          </p>
        ) : conversations.length === 0 && !error ? (
          <div className="p-6 text-center">
            <p className="text-sm font-medium text-slate-900">{empty.title}</p>
            <p className="mt-1 text-sm text-slate-500">{empty.hint}</p>
          </div>
        ) : (
          <ul className="divide-y divide-slate-100">
            {conversations.map((conversation) => {
              const title = conversationTitle(conversation);
              const selected = conversation.id === selectedId;
              const unread = conversation.unread_count;
              return (
                <li key={conversation.id}>
                  <button
                    type="button"
                    onClick={() => onSelect(conversation)}
                    aria-current={selected ? "true" : undefined}
                    data-testid="conversation-row"
                    className={cx("flex w-full gap-3 px-3 py-2.5 text-left hover:bg-slate-50", selected && "bg-brand-50 hover:bg-brand-50")}
                  >
                    <span className="min-w-0 flex-1">
                      <span className="flex items-baseline justify-between gap-2">
                        <span className={cx("truncate text-sm text-slate-900", unread > 0 ? "font-semibold" : "font-medium")}>{title}</span>
                        <time dateTime={conversation.last_message_at} className={cx("shrink-0 text-xs", unread > 0 ? "font-medium text-brand-700" : "text-slate-400")}>
                          {listTime(conversation.last_message_at, now)}
                        </time>
                      </span>
                      <span className="mt-0.5 flex items-center justify-between gap-2">
                        <span className={cx("truncate text-sm", unread > 0 ? "text-slate-800" : "text-slate-500")}>
                          {conversation.last_message_direction === "out" ? <span className="text-slate-400">You: </span> : null}
                          {conversation.last_message_preview}
                        </span>
                        <span className="flex shrink-0 items-center gap-1">
                          {conversation.assignee ? (
                            <span
                              title={`Assigned to ${conversation.assignee.name}`}
                              className="grid size-5 place-items-center rounded-full bg-slate-200 text-[10px] font-semibold text-slate-700"
                            >
                              <span aria-hidden="true">{initials(conversation.assignee)}</span>
                              <span className="sr-only">Assigned to {conversation.assignee.name}</span>
                            </span>
                          ) : null}
                          {unread > 0 ? (
                            <span className="grid h-5 min-w-5 place-items-center rounded-full bg-brand-600 px-1.5 text-[11px] font-semibold text-white">
                              {unread}
                              <span className="sr-only"> unread</span>
                            </span>
                          ) : null}
                        </span>
                      </span>
                      {!windowIsOpen(conversation, now) ? <span className="mt-0.5 block text-[11px] text-amber-700">Window closed · templates only</span> : null}
                    </span>
                  </button>
                </li>
              );
            })}
          </ul>
        )}
        {hasMore ? (
          <div className="p-3 text-center">
            <Button variant="secondary" size="sm" onClick={onLoadMore} loading={loadingMore}>
              Load more
            </Button>
          </div>
        ) : null}
      </div>
    </section>
  );
}
