"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";

import { useSession } from "@/components/app/SessionProvider";
import { PageHeader } from "@/components/app/PageHeader";
import { Alert, Button, buttonClasses, Card, CardBody, CardHeader, Spinner } from "@/components/ui";
import { sandboxOrigin, useSignupInfo } from "@/components/whatsapp/signup";
import { getMessage } from "@/lib/api/messages";
import type { MessageDetail } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { messageKeys } from "@/lib/query/keys";
import { describeMessageType, displayPhone } from "@/components/composer/describe";
import { MessagePreview } from "@/components/composer/MessagePreview";
import { SandboxPhoneLink } from "@/components/composer/SendResult";
import { StatusBadge } from "@/components/composer/StatusTicks";

type State = { status: "loading" } | { status: "ready"; message: MessageDetail } | { status: "failed"; message: string };

function detailText(detail: Record<string, unknown>): string {
  return Object.entries(detail)
    .map(([key, value]) => `${key}: ${typeof value === "object" ? JSON.stringify(value) : String(value)}`)
    .join(" · ");
}

/** /messages/{id}: one message, its WhatsApp status history, and what was sent. */
export function MessageDetailView({ id }: { id: string }) {
  const { user } = useSession();
  const signup = useSignupInfo(user.capabilities.manage_settings);
  const sandbox = signup.status === "ready" ? sandboxOrigin(signup.info) : null;
  const detail = useQuery({ queryKey: messageKeys.detail(id), queryFn: () => getMessage(id) });
  // A failed "Refresh" shows its error in place of the message, as the first load does.
  const state: State = detail.isError
    ? { status: "failed", message: toApiError(detail.error).message }
    : detail.data
      ? { status: "ready", message: detail.data }
      : { status: "loading" };
  const refreshing = detail.isRefetching;

  const back = (
    <Link href="/messages" className={buttonClasses("secondary", "sm")}>
      All messages
    </Link>
  );

  if (state.status === "loading") {
    return (
      <>
        <PageHeader title="Message" actions={back} />
        <p role="status" className="flex items-center gap-2 text-sm text-slate-500">
          <Spinner /> Loading…
        </p>
      </>
    );
  }
  if (state.status === "failed") {
    return (
      <>
        <PageHeader title="Message" actions={back} />
        <Alert>{state.message}</Alert>
      </>
    );
  }

  const message = state.message;
  return (
    <>
      <PageHeader
        title={describeMessageType(message.type, message.payload)}
        description={`${message.direction === "in" ? "From" : "To"} ${displayPhone(message.to)} · ${new Date(message.created_at).toLocaleString()}`}
        actions={
          <div className="flex gap-2">
            <Button
              size="sm"
              variant="secondary"
              loading={refreshing}
              onClick={async () => {
                await detail.refetch();
              }}
            >
              Refresh
            </Button>
            {back}
          </div>
        }
      />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="min-w-0 space-y-6">
          <Card>
            <CardHeader title="Delivery" actions={<StatusBadge status={message.status} />} />
            <CardBody className="space-y-3 text-sm">
              {message.status === "failed" ? (
                <Alert>
                  {message.error_title || "WhatsApp did not deliver it."}
                  {message.error_code !== null ? ` (code ${message.error_code})` : ""}
                </Alert>
              ) : null}
              <dl className="grid gap-x-4 gap-y-1.5 sm:grid-cols-[8rem_1fr]">
                <dt className="text-slate-500">wamid</dt>
                <dd className="break-all font-mono text-xs text-slate-700">{message.wamid ?? "—"}</dd>
                <dt className="text-slate-500">From number id</dt>
                <dd className="font-mono text-xs text-slate-700">{message.phone_number_id}</dd>
                <dt className="text-slate-500">Attempts</dt>
                <dd className="text-slate-700">{message.attempts}</dd>
                {(["sent_at", "delivered_at", "read_at", "failed_at"] as const).map((key) =>
                  message[key] ? (
                    <div key={key} className="contents">
                      <dt className="text-slate-500 capitalize">{key.replace("_at", "")}</dt>
                      <dd className="text-slate-700">{new Date(message[key] as string).toLocaleString()}</dd>
                    </div>
                  ) : null,
                )}
              </dl>
              <div className="flex flex-wrap gap-x-4 gap-y-2">
                <Link
                  href={`/messages/new?${new URLSearchParams({ from: message.phone_number_id, to: displayPhone(message.to) })}`}
                  className="text-sm font-medium text-brand-700 hover:underline"
                >
                  New message to this number
                </Link>
                {message.wamid ? (
                  <Link
                    href={`/messages/new?${new URLSearchParams({ from: message.phone_number_id, to: displayPhone(message.to), reply_to: message.wamid })}`}
                    className="text-sm font-medium text-brand-700 hover:underline"
                  >
                    Reply quoting it
                  </Link>
                ) : null}
                {sandbox && message.direction === "out" ? <SandboxPhoneLink origin={sandbox} message={message} /> : null}
              </div>
            </CardBody>
          </Card>

          <Card>
            <CardHeader title="History" description="Every change of status, oldest first." />
            <ol className="divide-y divide-slate-100" data-testid="message-events">
              {message.events.map((event, i) => (
                <li key={i} className="flex flex-wrap items-start gap-x-4 gap-y-1 px-5 py-3 text-sm">
                  <span className="w-24 shrink-0">
                    <StatusBadge status={event.status} />
                  </span>
                  <span className="min-w-0 flex-1 break-all text-slate-600">{detailText(event.detail) || "—"}</span>
                  <time dateTime={event.created_at} className="text-slate-500">
                    {new Date(event.created_at).toLocaleTimeString()}
                  </time>
                </li>
              ))}
            </ol>
          </Card>

          <Card>
            <CardHeader title="Payload" description="Meta's message object as queued." />
            <pre className="overflow-x-auto px-5 py-4 font-mono text-xs text-slate-800">{JSON.stringify(message.payload, null, 2)}</pre>
          </Card>
        </div>
        <MessagePreview
          message={message.payload}
          status={message.status}
          businessName={user.tenant.name}
          className="min-w-0 lg:sticky lg:top-6 lg:self-start"
        />
      </div>
    </>
  );
}
