"""Team changes as the tenant sees them: the control-plane write plus the business's own activity log.

Membership and invites live in the public schema (tenants.services); the log lives in the tenant's
schema. Both are written in one transaction, on the tenant's connection (search_path: tenant, public).
"""
from django.db import transaction

from apps.accounts.models import TeamEvent
from tenants import services as control
from tenants.models import Invite, Membership, Tenant, User


def _record(action: str, *, actor: User | None, subject_email: str, **detail) -> None:
    TeamEvent.objects.create(action=action, actor_email=actor.email if actor else "",
                             subject_email=subject_email, detail=detail)


@transaction.atomic
def team_role_change(*, member: Membership, role: str, actor: User, actor_role: str) -> Membership:
    old_role = member.role
    member = control.member_role_change(member=member, role=role, actor_role=actor_role)
    if old_role != role:
        _record(TeamEvent.Action.ROLE_CHANGED, actor=actor, subject_email=member.user.email, old=old_role, new=role)
    return member


@transaction.atomic
def team_member_remove(*, member: Membership, actor: User, actor_role: str) -> None:
    email, role = member.user.email, member.role
    control.member_remove(member=member, actor_role=actor_role)
    _record(TeamEvent.Action.MEMBER_REMOVED, actor=actor, subject_email=email, role=role)


@transaction.atomic
def team_invite(*, tenant: Tenant, email: str, role: str, actor: User, actor_role: str) -> Invite:
    invite, _token = control.invite_create(tenant=tenant, email=email, role=role, invited_by=actor,
                                           actor_role=actor_role)
    _record(TeamEvent.Action.INVITE_SENT, actor=actor, subject_email=invite.email, role=role)
    return invite


@transaction.atomic
def team_invite_revoke(*, invite: Invite, actor: User) -> None:
    control.invite_revoke(invite=invite)
    _record(TeamEvent.Action.INVITE_REVOKED, actor=actor, subject_email=invite.email)


@transaction.atomic
def team_join(*, tenant: Tenant, token: str, password: str | None, first_name: str = "", last_name: str = "") -> User:
    user = control.invite_accept(tenant=tenant, token=token, password=password, first_name=first_name,
                                 last_name=last_name)
    _record(TeamEvent.Action.MEMBER_JOINED, actor=user, subject_email=user.email)
    return user
