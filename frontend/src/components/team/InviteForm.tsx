"use client";

import { useState, type FormEvent } from "react";

import { createInvite } from "@/lib/api/team";
import type { Invite, Role } from "@/lib/api/types";
import { toApiError, type ApiError } from "@/lib/apiClient";
import { Alert, Button, Field, Select, TextField } from "@/components/ui";
import { grantableRoles } from "./permissions";
import { roleLabel } from "./RoleBadge";

/** Invite by email with a role. The backend emails the link; the new invite is handed to the list. */
export function InviteForm({ viewerRole, onInvited }: { viewerRole: Role; onInvited: (invite: Invite) => void }) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("agent");
  const [error, setError] = useState<ApiError | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitting(true);
    setError(null);
    setSentTo(null);
    try {
      const invite = await createInvite({ email, role });
      onInvited(invite);
      setSentTo(invite.email);
      setEmail("");
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Invite a team member" className="space-y-3">
      {error && !error.fieldError("email") && !error.fieldError("role") ? <Alert>{error.message}</Alert> : null}
      {sentTo ? <Alert tone="success">Invitation sent to {sentTo}.</Alert> : null}
      <div className="grid gap-3 sm:grid-cols-[1fr_10rem_auto] sm:items-start">
        <TextField
          label="Email"
          type="email"
          autoComplete="off"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={error?.fieldError("email")}
          placeholder="colleague@example.com"
        />
        <Field label="Role" error={error?.fieldError("role")}>
          {(control) => (
            <Select {...control} value={role} onChange={(event) => setRole(event.target.value as Role)}>
              {grantableRoles(viewerRole).map((option) => (
                <option key={option} value={option}>
                  {roleLabel(option)}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Button type="submit" loading={submitting} className="sm:mt-7">
          Send invite
        </Button>
      </div>
    </form>
  );
}
