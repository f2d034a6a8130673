"use client";

import { useCallback } from "react";

import { listPartnerInvites, listPartnerMembers, removePartnerMember, revokePartnerInvite, updatePartnerMemberRole } from "@/lib/api/partners";
import type { PartnerInvite, PartnerMember, PartnerRole } from "@/lib/api/types";
import { partnerKeys } from "@/lib/query/keys";
import { useCursorQuery } from "@/lib/query/useCursorQuery";
import { PageHeader } from "@/components/app/PageHeader";
import { Alert, Button, Card, CardBody, CardHeader, Spinner } from "@/components/ui";
import { PartnerInviteForm, PartnerPendingInvites } from "./PartnerInvites";
import { PartnerMembersTable } from "./PartnerMembersTable";
import { usePartnerSession } from "./PartnerSessionProvider";

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

/** The reseller's own team: everyone sees it; admins (`manage_team`) invite, change roles and remove. */
export function PartnerTeam() {
  const { capabilities } = usePartnerSession();
  const manager = capabilities.manage_team;
  const members = useCursorQuery<PartnerMember>(partnerKeys.members(), listPartnerMembers);
  // Support may not list invitations (the API answers 403), so they are not asked for.
  const invites = useCursorQuery<PartnerInvite>(partnerKeys.invites(), listPartnerInvites, { enabled: manager });
  const { setItems: setMembers } = members;
  const { setItems: setInvites } = invites;

  const onRoleChange = useCallback(
    async (member: PartnerMember, role: PartnerRole) => {
      const updated = await updatePartnerMemberRole(member.id, role);
      // Your own role decides what the whole console lets you do: start again from the server's view.
      if (updated.is_you) {
        window.location.reload();
        return;
      }
      setMembers((list) => list.map((m) => (m.id === updated.id ? updated : m)));
    },
    [setMembers],
  );

  const onRemove = useCallback(
    async (member: PartnerMember) => {
      await removePartnerMember(member.id);
      setMembers((list) => list.filter((m) => m.id !== member.id));
    },
    [setMembers],
  );

  const onRevoke = useCallback(
    async (invite: PartnerInvite) => {
      await revokePartnerInvite(invite.id);
      setInvites((list) => list.filter((i) => i.id !== invite.id));
    },
    [setInvites],
  );

  return (
    <>
      <PageHeader title="Team" description="The people of your reseller. Admins manage everything; support reads and enters businesses." />
      <div className="space-y-6">
        <Card>
          <CardHeader title="Members" description={manager ? "Change roles or remove people." : "Only your reseller's admins can change the team."} />
          {members.loading ? (
            <Loading label="Loading members…" />
          ) : (
            <PartnerMembersTable members={members.items} canManage={manager} onRoleChange={onRoleChange} onRemove={onRemove} />
          )}
          {members.error ? (
            <CardBody>
              <Alert>{members.error}</Alert>
            </CardBody>
          ) : null}
          {members.hasMore ? <LoadMore onClick={members.loadMore} loading={members.loadingMore} /> : null}
        </Card>

        {manager ? (
          <Card>
            <CardHeader title="Invite people" description="They get an email with a link to join your partner console." />
            <CardBody>
              <PartnerInviteForm onInvited={(invite) => setInvites((list) => [invite, ...list])} />
            </CardBody>
            <div className="border-t border-slate-100">
              <h3 className="px-5 pt-4 text-sm font-semibold text-slate-900">Pending invitations</h3>
              {invites.loading ? <Loading label="Loading invitations…" /> : <PartnerPendingInvites invites={invites.items} onRevoke={onRevoke} />}
              {invites.error ? (
                <CardBody>
                  <Alert>{invites.error}</Alert>
                </CardBody>
              ) : null}
              {invites.hasMore ? <LoadMore onClick={invites.loadMore} loading={invites.loadingMore} /> : null}
            </div>
          </Card>
        ) : null}
      </div>
    </>
  );
}
