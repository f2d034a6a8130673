"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";

import { PageHeader } from "@/components/app/PageHeader";
import { Alert, Button, buttonClasses, Card, CardBody, EmptyState, Spinner } from "@/components/ui";
import { messageKeys, whatsappKeys } from "@/lib/query/keys";
import { useCursorQuery } from "@/lib/query/useCursorQuery";
import { listMessages } from "@/lib/api/messages";
import type { Message } from "@/lib/api/types";
import { listAllNumbers } from "@/lib/api/whatsapp";
import { describeMessageType, displayPhone } from "@/components/composer/describe";
import { StatusBadge } from "@/components/composer/StatusTicks";

/** phone_number_id → "+1 555-010-0001", for the From column; ids stay shown until (or if never) loaded. */
function useNumberNames(): Record<string, string> {
  const { data: numbers } = useQuery({ queryKey: whatsappKeys.allNumbers(), queryFn: listAllNumbers });
  return useMemo(() => Object.fromEntries((numbers ?? []).map((n) => [n.phone_number_id, n.display_phone_number])), [numbers]);
}

function MessageRow({ message, from }: { message: Message; from: string }) {
  return (
    <tr className="hover:bg-slate-50">
      <td className="py-3 pl-5 pr-3">
        <StatusBadge status={message.status} />
      </td>
      <td className="px-3 py-3">
        <Link href={`/messages/${message.id}`} className="font-medium text-slate-900 hover:text-brand-700 hover:underline">
          {describeMessageType(message.type, message.payload)}
        </Link>
        {message.status === "failed" && message.error_title ? <p className="text-xs text-red-700">{message.error_title}</p> : null}
      </td>
      <td className="px-3 py-3 text-slate-700">{message.direction === "in" ? "from " : ""}{displayPhone(message.to)}</td>
      <td className="hidden px-3 py-3 text-slate-500 md:table-cell">{from}</td>
      <td className="py-3 pl-3 pr-5 text-right text-slate-500">
        <time dateTime={message.created_at}>{new Date(message.created_at).toLocaleString()}</time>
      </td>
    </tr>
  );
}

/** /messages: what was sent, newest first, with its WhatsApp status. */
export function RecentMessages() {
  const messages = useCursorQuery<Message>(messageKeys.list(), listMessages);
  const names = useNumberNames();

  return (
    <>
      <PageHeader
        title="Messages"
        description="Messages sent from your WhatsApp numbers, newest first."
        actions={
          <Link href="/messages/new" className={buttonClasses("primary", "sm")}>
            New message
          </Link>
        }
      />
      {messages.loading ? (
        <p role="status" className="flex items-center gap-2 text-sm text-slate-500">
          <Spinner /> Loading messages…
        </p>
      ) : messages.items.length === 0 && !messages.error ? (
        <EmptyState
          title="No messages yet"
          description="Messages you send from the composer, and later from the inbox and campaigns, show up here with their delivery status."
          action={
            <Link href="/messages/new" className={buttonClasses("primary")}>
              Send a message
            </Link>
          }
        />
      ) : (
        <Card>
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="border-b border-slate-100 text-xs uppercase tracking-wide text-slate-500">
                <tr>
                  <th scope="col" className="py-2 pl-5 pr-3 font-medium">
                    Status
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Type
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Recipient
                  </th>
                  <th scope="col" className="hidden px-3 py-2 font-medium md:table-cell">
                    From
                  </th>
                  <th scope="col" className="py-2 pl-3 pr-5 text-right font-medium">
                    Time
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {messages.items.map((message) => (
                  <MessageRow key={message.id} message={message} from={names[message.phone_number_id] || message.phone_number_id} />
                ))}
              </tbody>
            </table>
          </div>
          {messages.error ? (
            <CardBody>
              <Alert>{messages.error}</Alert>
            </CardBody>
          ) : null}
          {messages.hasMore ? (
            <div className="border-t border-slate-100 px-5 py-3 text-center">
              <Button variant="secondary" size="sm" loading={messages.loadingMore} onClick={() => void messages.loadMore()}>
                Load more
              </Button>
            </div>
          ) : null}
        </Card>
      )}
    </>
  );
}
