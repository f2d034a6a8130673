"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { getResellerAccessSettings, listResellerAccess, setResellerAccess } from "@/lib/api/team";
import type { ResellerAccess, ResellerAccessSettings, Role } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { teamKeys } from "@/lib/query/keys";
import { Alert, Badge, Button, Card, CardBody, CardHeader, cx } from "@/components/ui";
import { RoleBadge } from "./RoleBadge";

const ROLES: readonly string[] = ["owner", "admin", "agent"] satisfies Role[];

function isRole(role: string): role is Role {
  return ROLES.includes(role);
}

function displayName(access: ResellerAccess): string {
  return `${access.first_name} ${access.last_name}`.trim();
}

/** An on/off switch (a button with role="switch"), named by its visible label. */
function Switch({ checked, label, disabled, onClick }: { checked: boolean; label: string; disabled?: boolean; onClick: () => void }) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={checked}
      disabled={disabled}
      onClick={onClick}
      className="flex items-center gap-3 text-left text-sm font-medium text-slate-900 disabled:cursor-not-allowed disabled:opacity-60"
    >
      <span aria-hidden="true" className={cx("relative inline-flex h-6 w-11 shrink-0 rounded-full transition-colors", checked ? "bg-brand-700" : "bg-slate-300")}>
        <span className={cx("absolute top-0.5 size-5 rounded-full bg-white shadow transition-transform", checked ? "translate-x-5" : "translate-x-0.5")} />
      </span>
      {label}
    </button>
  );
}

/**
 * The owner's switch: turning access on is immediate; turning it off asks first, because it ends the reseller's
 * sessions in this business at once and refuses them entry until it is back on.
 */
function AccessSwitch({ settings }: { settings: ResellerAccessSettings & { reseller: string } }) {
  const client = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function save(enabled: boolean) {
    setBusy(true);
    setError(null);
    try {
      client.setQueryData(teamKeys.resellerAccessSettings(), await setResellerAccess(enabled));
      setConfirming(false);
    } catch (err) {
      setError(toApiError(err).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="space-y-3">
      <Switch
        checked={settings.enabled}
        label={`Let ${settings.reseller} staff into this business`}
        disabled={busy || confirming}
        onClick={() => (settings.enabled ? setConfirming(true) : void save(true))}
      />
      {confirming ? (
        <div role="group" aria-label="Turn off reseller access" className="space-y-3 rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
          <p>
            Turn off access for {settings.reseller}? Their people signed in here lose access at once, and they can&apos;t enter this
            business until you turn it back on. They still see its plan and usage.
          </p>
          <div className="flex flex-wrap gap-2">
            <Button size="sm" variant="danger" loading={busy} onClick={() => void save(false)}>
              Turn off access
            </Button>
            <Button size="sm" variant="secondary" disabled={busy} onClick={() => setConfirming(false)}>
              Cancel
            </Button>
          </div>
        </div>
      ) : null}
      {error ? <Alert>{error}</Alert> : null}
    </div>
  );
}

/**
 * Settings → Team: whether this business lets its reseller's people in (the owner decides: `manage_reseller_access`),
 * and who acts here through the reseller (audit L8). They are not members: the reseller adds and removes them, so
 * their list has no controls. Nothing shows for a business without a reseller.
 */
export function ResellerAccessSection({ canManage = false }: { canManage?: boolean }) {
  const settings = useQuery({ queryKey: teamKeys.resellerAccessSettings(), queryFn: getResellerAccessSettings });
  const loaded = useQuery({ queryKey: teamKeys.resellerAccess(), queryFn: listResellerAccess });
  const people = loaded.data ?? [];
  const failure = settings.error ?? loaded.error;
  const error = failure ? toApiError(failure).message : null;

  if (error) {
    return (
      <Card>
        <CardHeader title="Access through your reseller" />
        <CardBody>
          <Alert>{error}</Alert>
        </CardBody>
      </Card>
    );
  }
  if (!settings.data || !loaded.data) return null;
  const reseller = settings.data.reseller ?? people[0]?.reseller ?? null;
  if (reseller === null) return null;
  const enabled = settings.data.enabled;

  return (
    <Card>
      <CardHeader
        title="Access through your reseller"
        description={
          enabled
            ? `${reseller} manages these people. They can act in this business, and only ${reseller} can remove them.`
            : `Access for ${reseller} is turned off: its people can't act in this business until it is turned back on.`
        }
      />
      <CardBody className="border-b border-slate-100">
        {canManage ? (
          <AccessSwitch settings={{ ...settings.data, reseller }} />
        ) : (
          <p className="flex flex-wrap items-center gap-2 text-sm text-slate-700">
            <Badge tone={enabled ? "brand" : "amber"}>{enabled ? "On" : "Off"}</Badge>
            {enabled ? `${reseller} staff can act in this business.` : `${reseller} staff can't act in this business.`} Only the
            owner can change this.
          </p>
        )}
      </CardBody>
      {people.length === 0 ? null : (
        <div className="overflow-x-auto">
          <table className={cx("w-full text-left text-sm", enabled ? undefined : "opacity-60")}>
            <thead className="border-b border-slate-100 text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="py-2 pl-5 pr-3 font-medium">
                  Person
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  Acts as
                </th>
                <th scope="col" className="py-2 pl-3 pr-5 font-medium">
                  <span className="sr-only">Managed by</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {people.map((access) => {
                const name = displayName(access);
                return (
                  <tr key={access.user_id} className="align-top">
                    <td className="py-3 pl-5 pr-3">
                      <div className="font-medium text-slate-900">{name || access.email}</div>
                      {name ? <div className="text-slate-500">{access.email}</div> : null}
                    </td>
                    <td className="px-3 py-3">{isRole(access.role) ? <RoleBadge role={access.role} /> : access.role}</td>
                    <td className="py-3 pl-3 pr-5">
                      <Badge>Managed by {access.reseller}</Badge>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
