"use client";

import type { Member, Role } from "@/lib/api/types";
import { PeopleTable } from "./PeopleTable";
import { canEditMember, grantableRoles, type TeamViewer } from "./permissions";
import { RoleBadge, roleLabel } from "./RoleBadge";

export interface MembersTableProps {
  members: Member[];
  viewer: TeamViewer;
  onRoleChange: (member: Member, role: Role) => Promise<void>;
  onRemove: (member: Member) => Promise<void>;
}

/** The business's members: owners and admins change roles they may grant and remove others. */
export function MembersTable({ members, viewer, onRoleChange, onRemove }: MembersTableProps) {
  return (
    <PeopleTable<Role, Member>
      people={members}
      editable={(member) => canEditMember(viewer, member)}
      roles={() => grantableRoles(viewer)}
      roleLabel={roleLabel}
      roleBadge={(role) => <RoleBadge role={role} />}
      onRoleChange={onRoleChange}
      onRemove={onRemove}
    />
  );
}
