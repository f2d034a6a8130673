"use client";

import { createInvite } from "@/lib/api/team";
import type { Invite, InviteCreate, Role } from "@/lib/api/types";
import { useApiForm } from "@/hooks/useApiForm";
import { Alert, Button, Field, Select, TextField } from "@/components/ui";
import { grantableRoles, type TeamViewer } from "./permissions";
import { roleLabel } from "./RoleBadge";

const EMPTY: InviteCreate = { email: "", role: "agent" };

/** Invite by email with a role. The backend emails the link; the new invite is handed to the list. */
export function InviteForm({ viewer, onInvited }: { viewer: TeamViewer; onInvited: (invite: Invite) => void }) {
  const form = useApiForm({
    initial: EMPTY,
    submit: createInvite,
    onSuccess: (invite, { setValues }) => {
      onInvited(invite);
      setValues((v) => ({ ...v, email: "" }));
    },
  });
  const sentTo = form.result?.email;

  return (
    <form onSubmit={form.onSubmit} noValidate aria-label="Invite a team member" className="space-y-3">
      {form.generalError ? <Alert>{form.generalError}</Alert> : null}
      {sentTo ? <Alert tone="success">Invitation sent to {sentTo}.</Alert> : null}
      <div className="grid gap-3 sm:grid-cols-[1fr_10rem_auto] sm:items-start">
        <TextField
          label="Email"
          type="email"
          autoComplete="off"
          required
          {...form.bind("email")}
          placeholder="colleague@example.com"
        />
        <Field label="Role" error={form.fieldError("role")}>
          {(control) => (
            <Select {...control} value={form.values.role} onChange={(event) => form.setValue("role", event.target.value as Role)}>
              {grantableRoles(viewer).map((option) => (
                <option key={option} value={option}>
                  {roleLabel(option)}
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
