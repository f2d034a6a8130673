"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { formatWhen } from "@/components/templates/format";
import { Button } from "@/components/ui";
import { getCallPermission, requestCallPermission, type CallPermission } from "@/lib/api/calls";
import type { Conversation } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { callKeys } from "@/lib/query/keys";

function permissionText(permission: CallPermission): string {
  if (permission.status === "permanent") return "Always allows your calls.";
  if (permission.status === "temporary") return permission.expires_at ? `Allows your calls until ${formatWhen(permission.expires_at)}.` : "Allows your calls.";
  return "Hasn't allowed calls from this number.";
}

/**
 * The contact panel's calling: whether WhatsApp lets the business call this customer from the conversation's
 * number (docs/calls.md, "Business calls"), asking for permission, and calling. Meta's limits are counted by
 * the API, which says when the next request or call is allowed.
 */
export function CallContactSection({
  conversation,
  canSend,
  inCall,
  onCall,
}: {
  conversation: Conversation;
  canSend: boolean;
  inCall: boolean;
  onCall: (contactId: number, phoneNumberId: string) => Promise<void>;
}) {
  const client = useQueryClient();
  const contactId = conversation.contact.id;
  const numberId = conversation.phone_number.phone_number_id;
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const key = callKeys.permission(contactId, numberId);
  const { data: permission, error: loadError } = useQuery({ queryKey: key, queryFn: () => getCallPermission(contactId, numberId) });

  const ask = async () => {
    setAsking(true);
    setError(null);
    try {
      client.setQueryData(key, await requestCallPermission(contactId, numberId));
      setSent(true);
    } catch (err) {
      setError(toApiError(err).message);
    } finally {
      setAsking(false);
    }
  };

  return (
    <section aria-label="Calls" className="border-b border-slate-100 p-4">
      <h2 className="text-sm font-semibold text-slate-900">WhatsApp call</h2>
      {loadError ? <p className="mt-1 text-sm text-red-700">{toApiError(loadError).message}</p> : null}
      {permission ? (
        <>
          <p className="mt-1 text-sm text-slate-600" data-testid="call-permission">
            {permissionText(permission)}
          </p>
          {canSend ? (
            <div className="mt-2 flex flex-wrap gap-2">
              {permission.status !== "no_permission" ? (
                <Button size="sm" disabled={inCall || !permission.may_call} onClick={() => void onCall(contactId, numberId)} data-testid="call-place">
                  Call
                </Button>
              ) : null}
              {permission.status !== "permanent" ? (
                <Button size="sm" variant="secondary" loading={asking} disabled={!permission.may_request} onClick={() => void ask()}>
                  Ask permission to call
                </Button>
              ) : null}
            </div>
          ) : null}
          {!permission.may_call && permission.status !== "no_permission" && permission.next_call_at ? (
            <p className="mt-1 text-xs text-slate-500">WhatsApp allows the next call {formatWhen(permission.next_call_at)}.</p>
          ) : null}
          {!permission.may_request && permission.status !== "permanent" && permission.next_request_at ? (
            <p className="mt-1 text-xs text-slate-500">You can ask again {formatWhen(permission.next_request_at)}.</p>
          ) : null}
          {sent ? <p className="mt-1 text-xs text-brand-700">Asked. The customer&apos;s answer shows here.</p> : null}
          {error ? (
            <p role="alert" className="mt-1 text-sm text-red-700">
              {error}
            </p>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
