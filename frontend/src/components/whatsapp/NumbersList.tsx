"use client";

import { useProductName } from "@/components/BrandProvider";
import Link from "next/link";
import { useState } from "react";

import { CallSettingsPanel } from "@/components/calls/CallSettingsPanel";
import type { PhoneNumber } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { Badge, Button, buttonClasses } from "@/components/ui";
import { connectedViaLabel, dateTimeLabel, statusLabel, throughputLabel, tierLabel } from "./format";
import { QualityBadge } from "./QualityBadge";

export interface NumbersListProps {
  numbers: PhoneNumber[];
  /** The viewer may connect, refresh and disconnect numbers (`capabilities.manage_settings`). */
  canManage: boolean;
  onRefresh: (number: PhoneNumber) => Promise<void>;
  onDisconnect: (number: PhoneNumber) => Promise<void>;
}

function NumberCard({ number, canManage: manager, onRefresh, onDisconnect }: Omit<NumbersListProps, "numbers"> & { number: PhoneNumber }) {
  const product = useProductName();
  const [busy, setBusy] = useState<"refresh" | "disconnect" | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [calling, setCalling] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const name = number.display_phone_number || number.phone_number_id;

  async function run(kind: "refresh" | "disconnect", action: () => Promise<void>) {
    setBusy(kind);
    setError(null);
    try {
      await action();
      if (kind === "disconnect") return; // the card goes away
    } catch (err) {
      setError(toApiError(err).message);
    }
    setBusy(null);
  }

  const connected = number.status.toUpperCase() === "CONNECTED";
  return (
    <li className="rounded-xl border border-slate-200 bg-white p-5 shadow-xs" aria-label={name}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="text-lg font-semibold tracking-tight text-slate-900">{name}</p>
          <p className="text-sm text-slate-600">{number.verified_name || "No display name yet"}</p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <QualityBadge rating={number.quality_rating} />
          <Badge tone={connected ? "brand" : "amber"}>{statusLabel(number.status)}</Badge>
        </div>
      </div>

      <dl className="mt-4 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2 lg:grid-cols-3">
        <div>
          <dt className="text-slate-500">Messaging limit</dt>
          <dd className="text-slate-900" title={number.messaging_limit_tier}>
            {tierLabel(number.messaging_limit_tier)}
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">Throughput</dt>
          <dd className="text-slate-900">{throughputLabel(number)}</dd>
        </div>
        <div>
          <dt className="text-slate-500">Connected via</dt>
          <dd className="text-slate-900">{connectedViaLabel(number.connected_via)}</dd>
        </div>
        <div>
          <dt className="text-slate-500">Last synced</dt>
          <dd className="text-slate-900">
            <time dateTime={number.last_synced_at ?? undefined}>{dateTimeLabel(number.last_synced_at)}</time>
          </dd>
        </div>
        <div>
          <dt className="text-slate-500">Phone number id</dt>
          <dd className="font-mono text-xs leading-5 text-slate-700">{number.phone_number_id}</dd>
        </div>
        <div>
          <dt className="text-slate-500">WhatsApp Business Account</dt>
          <dd className="font-mono text-xs leading-5 text-slate-700">{number.waba_id}</dd>
        </div>
      </dl>

      {error ? (
        <p role="alert" className="mt-3 text-sm text-red-700">
          {error}
        </p>
      ) : null}

      <div className="mt-4 flex flex-wrap items-center gap-2 border-t border-slate-100 pt-4">
        <Link href={`/messages/new?from=${encodeURIComponent(number.phone_number_id)}`} className={buttonClasses("secondary", "sm")}>
          Send a message
        </Link>
        <Button size="sm" variant="secondary" aria-expanded={calling} onClick={() => setCalling(!calling)} aria-label={`Calling settings of ${name}`}>
          Calls
        </Button>
        {manager ? (
          <>
            <Button
              size="sm"
              variant="secondary"
              loading={busy === "refresh"}
              disabled={busy !== null}
              onClick={() => void run("refresh", () => onRefresh(number))}
              aria-label={`Refresh ${name}`}
            >
              Refresh
            </Button>
            {!confirming ? (
              <Button size="sm" variant="ghost" className="text-red-700" disabled={busy !== null} onClick={() => setConfirming(true)} aria-label={`Disconnect ${name}`}>
                Disconnect
              </Button>
            ) : null}
          </>
        ) : null}
      </div>

      {calling ? (
        <div className="mt-4 border-t border-slate-100 pt-4">
          <CallSettingsPanel numberId={number.id} canManage={manager} />
        </div>
      ) : null}

      {manager && confirming ? (
        <div role="alertdialog" aria-label={`Disconnect ${name}?`} className="mt-3 rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-900">
          <p className="font-medium">Disconnect {name}?</p>
          <p className="mt-1 text-red-800">
            {product} stops sending from it and stops receiving its messages. The number stays in your WhatsApp Business Account, and you can
            connect it again later.
          </p>
          <div className="mt-3 flex flex-wrap gap-2">
            <Button size="sm" variant="danger" loading={busy === "disconnect"} onClick={() => void run("disconnect", () => onDisconnect(number))}>
              Confirm disconnect
            </Button>
            <Button size="sm" variant="secondary" disabled={busy !== null} onClick={() => setConfirming(false)}>
              Cancel
            </Button>
          </div>
        </div>
      ) : null}
    </li>
  );
}

/** The business's numbers with their health. Refresh and Disconnect only for owners and admins. */
export function NumbersList({ numbers, ...rest }: NumbersListProps) {
  return (
    <ul className="space-y-4" aria-label="Connected WhatsApp numbers">
      {numbers.map((number) => (
        <NumberCard key={number.id} number={number} {...rest} />
      ))}
    </ul>
  );
}
