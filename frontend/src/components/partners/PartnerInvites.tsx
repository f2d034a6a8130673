"use client";

import { useState } from "react";

import { createPartnerInvite } from "@/lib/api/partners";
import type { PartnerInvite, PartnerInviteCreate, PartnerRole } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { useApiForm } from "@/hooks/useApiForm";
import { Alert, Button, Field, Select, TextField } from "@/components/ui";
import { PARTNER_ROLES, partnerRoleLabel } from "./format";
import { PartnerRoleBadge } from "./PartnerRoleBadge";

const EMPTY: PartnerInviteCreate = { email: "", role: "support" };

/** Invite by email with a role; the backend mails the link (to the console's /partners/invite/accept). */
export function PartnerInviteForm({ onInvited }: { onInvited: (invite: PartnerInvite) => void }) {
  const form = useApiForm({
    initial: EMPTY,
    submit: createPartnerInvite,
    onSuccess: (invite, { setValues }) => {
      onInvited(invite);
      setValues((v) => ({ ...v, email: "" }));
    },
  });
  const sentTo = form.result?.email;

  return (
    <form onSubmit={form.onSubmit} noValidate aria-label="Invite to your team" className="space-y-3">
      {form.generalError ? <Alert>{form.generalError}</Alert> : null}
      {sentTo ? <Alert tone="success">Invitation sent to {sentTo}.</Alert> : null}
      <div className="grid gap-3 sm:grid-cols-[1fr_10rem_auto] sm:items-start">
        <TextField label="Email" type="email" autoComplete="off" required {...form.bind("email")} placeholder="colleague@example.com" />
        <Field label="Role" error={form.fieldError("role")} hint={form.values.role === "admin" ? "Everything, team included" : "Reads and enters businesses"}>
          {(control) => (
            <Select {...control} value={form.values.role} onChange={(event) => form.setValue("role", event.target.value as PartnerRole)}>
              {PARTNER_ROLES.map((role) => (
                <option key={role} value={role}>
                  {partnerRoleLabel(role)}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Button type="submit" loading={form.submitting} className="sm:mt-7">
          Send invite
        </Button>
      </div>
    </form>
  );
}

function InviteRow({ invite, onRevoke }: { invite: PartnerInvite; onRevoke: (invite: PartnerInvite) => Promise<void> }) {
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
          <PartnerRoleBadge role={invite.role} />
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

/** Invitations not yet accepted (the API lists only those; expired ones are filtered here too). */
export function PartnerPendingInvites({ invites, onRevoke }: { invites: PartnerInvite[]; onRevoke: (invite: PartnerInvite) => Promise<void> }) {
  const pending = invites.filter((invite) => invite.status === "pending");
  if (pending.length === 0) return <p className="px-5 py-4 text-sm text-slate-500">No pending invitations.</p>;
  return (
    <ul className="divide-y divide-slate-100" aria-label="Pending invitations">
      {pending.map((invite) => (
        <InviteRow key={invite.id} invite={invite} onRevoke={onRevoke} />
      ))}
    </ul>
  );
}
