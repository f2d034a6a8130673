"use client";

import { useState } from "react";

import type { PartnerMember, PartnerRole } from "@/lib/api/types";
import { toApiError } from "@/lib/apiClient";
import { Badge, Button, Select } from "@/components/ui";
import { PARTNER_ROLES, partnerRoleLabel } from "./format";
import { PartnerRoleBadge } from "./PartnerRoleBadge";

export interface PartnerMembersTableProps {
  members: PartnerMember[];
  /** The viewer may change roles and remove people (capability `manage_team`). */
  canManage: boolean;
  onRoleChange: (member: PartnerMember, role: PartnerRole) => Promise<void>;
  onRemove: (member: PartnerMember) => Promise<void>;
}

function displayName(member: PartnerMember): string {
  return `${member.first_name} ${member.last_name}`.trim();
}

function MemberRow({ member, canManage, onRoleChange, onRemove }: Omit<PartnerMembersTableProps, "members"> & { member: PartnerMember }) {
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const name = displayName(member);
  const who = name || member.email;

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      // e.g. 409 last_admin: the server's sentence says what would go wrong.
      setError(toApiError(err).message);
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  }

  return (
    <tr className="align-top">
      <td className="py-3 pl-5 pr-3">
        <div className="flex flex-wrap items-center gap-2">
          <span className="font-medium text-slate-900">{who}</span>
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
        {canManage ? (
          <Select
            aria-label={`Role of ${who}`}
            value={member.role}
            disabled={busy}
            onChange={(event) => {
              const role = event.target.value as PartnerRole;
              void run(() => onRoleChange(member, role));
            }}
            className="w-32"
          >
            {PARTNER_ROLES.map((role) => (
              <option key={role} value={role}>
                {partnerRoleLabel(role)}
              </option>
            ))}
          </Select>
        ) : (
          <PartnerRoleBadge role={member.role} />
        )}
      </td>
      <td className="hidden px-3 py-3 text-slate-500 sm:table-cell">
        <time dateTime={member.joined_at}>{new Date(member.joined_at).toLocaleDateString()}</time>
      </td>
      <td className="py-3 pl-3 pr-5 text-right">
        {canManage && !member.is_you ? (
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

/** The reseller's people. Role selects and Remove appear only for admins (`manage_team`). */
export function PartnerMembersTable({ members, ...rest }: PartnerMembersTableProps) {
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
