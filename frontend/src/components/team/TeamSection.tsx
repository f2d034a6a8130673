"use client";

import { useCallback } from "react";

import { listInvites, listMembers, removeMember, revokeInvite, updateMemberRole } from "@/lib/api/team";
import type { Invite, Member, Role } from "@/lib/api/types";
import { teamKeys } from "@/lib/query/keys";
import { useCursorQuery } from "@/lib/query/useCursorQuery";
import { Alert, Button, Card, CardBody, CardHeader, Spinner } from "@/components/ui";
import { InviteForm } from "./InviteForm";
import { MembersTable } from "./MembersTable";
import { PendingInvites } from "./PendingInvites";
import { ResellerAccessSection } from "./ResellerAccessSection";
import type { TeamViewer } from "./permissions";

function LoadMore({ onClick, loading }: { onClick: () => void; loading: boolean }) {
  return (
    <div className="border-t border-slate-100 px-5 py-3 text-center">
      <Button variant="secondary" size="sm" loading={loading} onClick={onClick}>
        Load more
      </Button>
    </div>
  );
}

function Loading({ label }: { label: string }) {
  return (
    <p role="status" className="flex items-center gap-2 px-5 py-4 text-sm text-slate-500">
      <Spinner /> {label}
    </p>
  );
}

/** Settings → Team: members for everyone; invitations and changes for owners and admins. */
export function TeamSection({ viewer }: { viewer: TeamViewer }) {
  const manager = viewer.capabilities.manage_team;
  const members = useCursorQuery<Member>(teamKeys.members(), listMembers);
  // Agents may not list invitations (the API answers 403), so they are not asked for.
  const invites = useCursorQuery<Invite>(teamKeys.invites(), listInvites, { enabled: manager });
  const { setItems: setMembers } = members;
  const { setItems: setInvites } = invites;

  const onRoleChange = useCallback(
    async (member: Member, role: Role) => {
      const updated = await updateMemberRole(member.id, role);
      // Your own role decides what this whole app lets you do: start again from the server's view.
      if (updated.is_you) {
        window.location.reload();
        return;
      }
      setMembers((list) => list.map((m) => (m.id === updated.id ? updated : m)));
    },
    [setMembers],
  );

  const onRemove = useCallback(
    async (member: Member) => {
      await removeMember(member.id);
      setMembers((list) => list.filter((m) => m.id !== member.id));
    },
    [setMembers],
  );

  const onRevoke = useCallback(
    async (invite: Invite) => {
      await revokeInvite(invite.id);
      setInvites((list) => list.filter((i) => i.id !== invite.id));
    },
    [setInvites],
  );

  return (
    <div className="space-y-6">
      <Card>
        <CardHeader
          title="Members"
          description={manager ? "Change roles or remove people." : "Only owners and admins can change the team."}
        />
        {members.loading ? (
          <Loading label="Loading members…" />
        ) : (
          <MembersTable members={members.items} viewer={viewer} onRoleChange={onRoleChange} onRemove={onRemove} />
        )}
        {members.error ? (
          <CardBody>
            <Alert>{members.error}</Alert>
          </CardBody>
        ) : null}
        {members.hasMore ? <LoadMore onClick={() => void members.loadMore()} loading={members.loadingMore} /> : null}
      </Card>

      <ResellerAccessSection canManage={viewer.capabilities.manage_reseller_access} />

      {manager ? (
        <Card>
          <CardHeader title="Invite people" description="They get an email with a link to join this business." />
          <CardBody>
            <InviteForm viewer={viewer} onInvited={(invite) => setInvites((list) => [invite, ...list])} />
          </CardBody>
          <div className="border-t border-slate-100">
            <h3 className="px-5 pt-4 text-sm font-semibold text-slate-900">Pending invitations</h3>
            {invites.loading ? <Loading label="Loading invitations…" /> : <PendingInvites invites={invites.items} onRevoke={onRevoke} />}
            {invites.error ? (
              <CardBody>
                <Alert>{invites.error}</Alert>
              </CardBody>
            ) : null}
            {invites.hasMore ? <LoadMore onClick={() => void invites.loadMore()} loading={invites.loadingMore} /> : null}
          </div>
        </Card>
      ) : null}
    </div>
  );
}
