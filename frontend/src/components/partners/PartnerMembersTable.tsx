"use client";

import { PeopleTable } from "@/components/team/PeopleTable";
import type { PartnerMember, PartnerRole } from "@/lib/api/types";
import { PARTNER_ROLES, partnerRoleLabel } from "./format";
import { PartnerRoleBadge } from "./PartnerRoleBadge";

export interface PartnerMembersTableProps {
  members: PartnerMember[];
  /** The viewer may change roles and remove people (capability `manage_team`). */
  canManage: boolean;
  onRoleChange: (member: PartnerMember, role: PartnerRole) => Promise<void>;
  onRemove: (member: PartnerMember) => Promise<void>;
}

/** The reseller's people. Role selects and Remove appear only for admins (`manage_team`). */
export function PartnerMembersTable({ members, canManage, onRoleChange, onRemove }: PartnerMembersTableProps) {
  return (
    <PeopleTable<PartnerRole, PartnerMember>
      people={members}
      editable={() => canManage}
      roles={() => [...PARTNER_ROLES]}
      roleLabel={partnerRoleLabel}
      roleBadge={(role) => <PartnerRoleBadge role={role} />}
      onRoleChange={onRoleChange}
      onRemove={onRemove}
    />
  );
}
