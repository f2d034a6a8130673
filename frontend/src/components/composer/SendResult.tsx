"use client";

import Link from "next/link";

import type { Message } from "@/lib/api/types";
import { Alert, Button, Card, CardBody, CardHeader, Spinner } from "@/components/ui";
import { sandboxPhoneUrl } from "@/components/whatsapp/signup";
import { StatusBadge } from "./StatusTicks";
import { useMessagePolling } from "./useMessagePolling";

export function SandboxPhoneLink({ origin, message }: { origin: string; message: Pick<Message, "phone_number_id" | "to"> }) {
  return (
    <a
      href={sandboxPhoneUrl(origin, message.phone_number_id, message.to)}
      target="_blank"
      rel="noreferrer"
      className="inline-flex items-center gap-1 text-sm font-medium text-brand-700 hover:underline"
    >
      Open the sandbox phone (development) <span aria-hidden="true">↗</span>
    </a>
  );
}

/** Shown after a 202: the queued message, followed until WhatsApp says what happened to it. */
export function SendResult({ initial, sandboxOrigin }: { initial: Message; sandboxOrigin: string | null }) {
  const { message, polling, error, checkAgain } = useMessagePolling(initial);
  return (
    <Card aria-live="polite" data-testid="send-result">
      <CardHeader
        title={message.status === "failed" ? "Not delivered" : message.status === "queued" || message.status === "sending" ? "Queued for sending" : "Sent"}
        description={`To +${message.to} · ${new Date(message.created_at).toLocaleTimeString()}`}
        actions={<StatusBadge status={message.status} />}
      />
      <CardBody className="space-y-3 text-sm">
        {message.status === "failed" ? (
          <Alert>
            WhatsApp did not deliver it: {message.error_title || "unknown error"}
            {message.error_code !== null ? ` (code ${message.error_code})` : ""}
          </Alert>
        ) : null}
        <dl className="grid gap-x-4 gap-y-1.5 sm:grid-cols-[7rem_1fr]">
          <dt className="text-slate-500">Status</dt>
          <dd className="flex items-center gap-2 font-medium text-slate-900" data-testid="send-status">
            {message.status}
            {polling ? (
              <span className="flex items-center gap-1 text-xs font-normal text-slate-500">
                <Spinner className="size-3" /> checking…
              </span>
            ) : null}
          </dd>
          <dt className="text-slate-500">wamid</dt>
          <dd className="break-all font-mono text-xs text-slate-700" data-testid="send-wamid">
            {message.wamid ?? "not yet"}
          </dd>
          <dt className="text-slate-500">Attempts</dt>
          <dd className="text-slate-700">{message.attempts}</dd>
        </dl>
        {error ? <Alert>{error}</Alert> : null}
        <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
          <Link href={`/messages/${message.id}`} className="text-sm font-medium text-brand-700 hover:underline">
            Details and history
          </Link>
          {sandboxOrigin ? <SandboxPhoneLink origin={sandboxOrigin} message={message} /> : null}
          {!polling && message.status !== "read" && message.status !== "failed" ? (
            <Button size="sm" variant="ghost" onClick={checkAgain}>
              Check again
            </Button>
          ) : null}
        </div>
      </CardBody>
    </Card>
  );
}
