"use client";

import { useProductName } from "@/components/BrandProvider";
import { useCallback } from "react";

import { disconnectNumber, listNumbers, refreshNumber } from "@/lib/api/whatsapp";
import type { PhoneNumber } from "@/lib/api/types";
import { whatsappKeys } from "@/lib/query/keys";
import { useCursorQuery } from "@/lib/query/useCursorQuery";
import { Alert, Button, Card, CardBody, CardHeader, EmptyState, Spinner } from "@/components/ui";
import { EmbeddedSignupConnect } from "./EmbeddedSignupConnect";
import { ManualConnectForm } from "./ManualConnectForm";
import { NumbersList } from "./NumbersList";

function WhatsAppIcon({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" className={className}>
      <path d="M4.5 19.5l1.2-3.6A8 8 0 1 1 8.6 18.6z" />
      <path d="M9.2 8.8c.2 2.6 2 4.7 4.7 5.6l1-1.1 1.7.8-.3 1.4c-3.9.2-7.6-3.3-8-7.1l1.4-.4.8 1.7z" />
    </svg>
  );
}

/** Settings → WhatsApp: the numbers with their health for everyone; connect, refresh, disconnect for managers. */
export function WhatsAppSection({ canManage: manager }: { canManage: boolean }) {
  const product = useProductName();
  const numbers = useCursorQuery<PhoneNumber>(whatsappKeys.numbers(), listNumbers);
  const { setItems } = numbers;

  const merge = useCallback(
    (added: PhoneNumber[]) =>
      setItems((list) => {
        const ids = new Set(added.map((n) => n.id));
        return [...list.filter((n) => !ids.has(n.id)), ...added];
      }),
    [setItems],
  );

  const onRefresh = useCallback(
    async (number: PhoneNumber) => {
      const fresh = await refreshNumber(number.id);
      setItems((list) => list.map((n) => (n.id === fresh.id ? fresh : n)));
    },
    [setItems],
  );

  const onDisconnect = useCallback(
    async (number: PhoneNumber) => {
      await disconnectNumber(number.id);
      setItems((list) => list.filter((n) => n.id !== number.id));
    },
    [setItems],
  );

  return (
    <div className="space-y-6">
      {numbers.loading ? (
        <p role="status" className="flex items-center gap-2 text-sm text-slate-500">
          <Spinner /> Loading numbers…
        </p>
      ) : numbers.items.length === 0 && !numbers.error ? (
        <EmptyState
          icon={<WhatsAppIcon className="size-6" />}
          title="No WhatsApp number connected"
          description={
            <>
              Connecting a number from your WhatsApp Business Account lets {product} send messages from it and receive your customers&apos;
              replies, with its quality rating and sending limits shown here.{" "}
              {manager ? "Connect one below." : "Ask an owner or admin of this business to connect one."}
            </>
          }
        />
      ) : (
        <NumbersList numbers={numbers.items} canManage={manager} onRefresh={onRefresh} onDisconnect={onDisconnect} />
      )}
      {numbers.error ? <Alert>{numbers.error}</Alert> : null}
      {numbers.hasMore ? (
        <div className="text-center">
          <Button variant="secondary" size="sm" loading={numbers.loadingMore} onClick={() => void numbers.loadMore()}>
            Load more
          </Button>
        </div>
      ) : null}

      {manager ? (
        <Card>
          <CardHeader
            title="Connect a number"
            description="Use Embedded Signup to pick or create a WhatsApp Business Account, or enter the ids and a token you already have."
          />
          <CardBody className="space-y-6">
            <EmbeddedSignupConnect onConnected={merge} />
            <div className="border-t border-slate-100 pt-5">
              <h3 className="mb-3 text-sm font-semibold text-slate-900">Connect by hand</h3>
              <ManualConnectForm onConnected={(number) => merge([number])} />
            </div>
          </CardBody>
        </Card>
      ) : (
        <p className="text-sm text-slate-500">Only owners and admins can connect, refresh or disconnect numbers.</p>
      )}
    </div>
  );
}
