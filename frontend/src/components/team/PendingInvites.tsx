"use client";

import { useState, type ReactNode } from "react";

import type { Invite } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { Button } from "@/components/ui";
import { RoleBadge } from "./RoleBadge";

/** An invitation to a team (a business's, or a reseller's with its own roles). */
export interface PendingInvite<R extends string = string> {
  id: string;
  email: string;
  role: R;
  invited_by?: string | null;
  expires_at: string;
  status: string;
}

interface InviteRowProps<I extends PendingInvite> {
  invite: I;
  onRevoke: (invite: I) => Promise<void>;
  roleBadge: (role: I["role"]) => ReactNode;
}

function InviteRow<I extends PendingInvite>({ invite, onRevoke, roleBadge }: InviteRowProps<I>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function revoke() {
    setBusy(true);
    setError(null);
    try {
      await onRevoke(invite);
    } catch (err) {
      setError(toApiError(err).message);
      setBusy(false);
    }
  }

  return (
    <li className="flex flex-wrap items-center justify-between gap-3 px-5 py-3 text-sm">
      <div className="min-w-0">
        <div className="flex flex-wrap items-center gap-2">
          <span className="truncate font-medium text-slate-900">{invite.email}</span>
          {roleBadge(invite.role)}
        </div>
        <p className="text-slate-500">
          Expires <time dateTime={invite.expires_at}>{new Date(invite.expires_at).toLocaleDateString()}</time>
          {invite.invited_by ? <> · invited by {invite.invited_by}</> : null}
        </p>
        {error ? (
          <p role="alert" className="mt-1 text-red-700">
            {error}
          </p>
        ) : null}
      </div>
      <Button size="sm" variant="secondary" loading={busy} onClick={revoke} aria-label={`Revoke invitation for ${invite.email}`}>
        Revoke
      </Button>
    </li>
  );
}

const teamRoleBadge = (role: Invite["role"]) => <RoleBadge role={role} />;

/** Invitations not yet accepted. Accepted, revoked and expired ones are history, not shown here. */
export function PendingInvites<I extends PendingInvite = Invite>({
  invites,
  onRevoke,
  roleBadge = teamRoleBadge as (role: I["role"]) => ReactNode,
}: {
  invites: I[];
  onRevoke: (invite: I) => Promise<void>;
  roleBadge?: (role: I["role"]) => ReactNode;
}) {
  const pending = invites.filter((invite) => invite.status === "pending");
  if (pending.length === 0) {
    return <p className="px-5 py-4 text-sm text-slate-500">No pending invitations.</p>;
  }
  return (
    <ul className="divide-y divide-slate-100" aria-label="Pending invitations">
      {pending.map((invite) => (
        <InviteRow key={invite.id} invite={invite} onRevoke={onRevoke} roleBadge={roleBadge} />
      ))}
    </ul>
  );
}
