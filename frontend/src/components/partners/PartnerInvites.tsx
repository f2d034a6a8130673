"use client";

import { PendingInvites } from "@/components/team/PendingInvites";
import { createPartnerInvite } from "@/lib/api/partners";
import type { PartnerInvite, PartnerInviteCreate, PartnerRole } from "@/lib/api/types";
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

/** Invitations not yet accepted (the API lists only those; expired ones are filtered too). */
export function PartnerPendingInvites({ invites, onRevoke }: { invites: PartnerInvite[]; onRevoke: (invite: PartnerInvite) => Promise<void> }) {
  return <PendingInvites<PartnerInvite> invites={invites} onRevoke={onRevoke} roleBadge={(role) => <PartnerRoleBadge role={role} />} />;
}
