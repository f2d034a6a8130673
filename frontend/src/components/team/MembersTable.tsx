"use client";

import { useState } from "react";

import type { Member, Role } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { Badge, Button, Select } from "@/components/ui";
import { canEditMember, grantableRoles, type TeamViewer } from "./permissions";
import { RoleBadge, roleLabel } from "./RoleBadge";

export interface MembersTableProps {
  members: Member[];
  viewer: TeamViewer;
  onRoleChange: (member: Member, role: Role) => Promise<void>;
  onRemove: (member: Member) => Promise<void>;
}

function displayName(member: Member): string {
  return `${member.first_name} ${member.last_name}`.trim();
}

function MemberRow({ member, viewer, onRoleChange, onRemove }: Omit<MembersTableProps, "members"> & { member: Member }) {
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const editable = canEditMember(viewer, member);
  const name = displayName(member);
  const who = name || member.email;

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(toApiError(err).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <tr className="align-top">
      <td className="py-3 pl-5 pr-3">
        <div className="flex flex-wrap items-center gap-2">
          <span className="font-medium text-slate-900">{name || member.email}</span>
          {member.is_you ? <Badge>You</Badge> : null}
        </div>
        {name ? <div className="text-slate-500">{member.email}</div> : null}
        {error ? (
          <p role="alert" className="mt-1 text-sm text-red-700">
            {error}
          </p>
        ) : null}
      </td>
      <td className="px-3 py-3">
        {editable ? (
          <Select
            aria-label={`Role of ${who}`}
            value={member.role}
            disabled={busy}
            onChange={(event) => {
              const role = event.target.value as Role;
              void run(() => onRoleChange(member, role));
            }}
            className="w-32"
          >
            {/* Keep the current role listed even if the viewer couldn't grant it. */}
            {[...new Set<Role>([member.role, ...grantableRoles(viewer)])].map((role) => (
              <option key={role} value={role}>
                {roleLabel(role)}
              </option>
            ))}
          </Select>
        ) : (
          <RoleBadge role={member.role} />
        )}
      </td>
      <td className="hidden px-3 py-3 text-slate-500 sm:table-cell">
        <time dateTime={member.joined_at}>{new Date(member.joined_at).toLocaleDateString()}</time>
      </td>
      <td className="py-3 pl-3 pr-5 text-right">
        {editable && !member.is_you ? (
          confirming ? (
            <div className="flex flex-wrap justify-end gap-2">
              <span className="sr-only">Remove {who} from the team?</span>
              <Button size="sm" variant="danger" loading={busy} onClick={() => void run(() => onRemove(member))}>
                Confirm remove
              </Button>
              <Button size="sm" variant="secondary" disabled={busy} onClick={() => setConfirming(false)}>
                Cancel
              </Button>
            </div>
          ) : (
            <Button size="sm" variant="ghost" className="text-red-700" onClick={() => setConfirming(true)} aria-label={`Remove ${who}`}>
              Remove
            </Button>
          )
        ) : null}
      </td>
    </tr>
  );
}

/** The team's members. Role selects and Remove appear only where the viewer may use them. */
export function MembersTable({ members, ...rest }: MembersTableProps) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <thead className="border-b border-slate-100 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="py-2 pl-5 pr-3 font-medium">
              Member
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Role
            </th>
            <th scope="col" className="hidden px-3 py-2 font-medium sm:table-cell">
              Joined
            </th>
            <th scope="col" className="py-2 pl-3 pr-5 font-medium">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {members.map((member) => (
            <MemberRow key={member.id} member={member} {...rest} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
