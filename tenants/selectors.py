"""Reads of the control plane. Tenant-owned rows are always looked up *within* a given tenant."""
from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from tenants.models import Invite, Membership, ResellerMembership, ResellerRole, Role, Tenant

if TYPE_CHECKING:  # tenants.members builds on tenant_role_for below
    from tenants.members import Member

# What a reseller's people may do inside the businesses the reseller runs.
RESELLER_ROLE_IN_TENANT = {ResellerRole.ADMIN: Role.ADMIN, ResellerRole.SUPPORT: Role.AGENT}


def tenant_role_for(*, user, tenant: Tenant) -> str | None:
    """The user's role in `tenant`: their own membership, else what their reseller role grants."""
    role = Membership.objects.filter(user=user, tenant=tenant).values_list("role", flat=True).first()
    if role is not None:
        return role
    return reseller_role_in(user=user, tenant=tenant)


def reseller_role_in(*, user, tenant: Tenant) -> str | None:
    """The role the user's reseller grants in `tenant`, while the business lets its reseller in (audit L8)."""
    if tenant.reseller_id is None or not tenant.reseller_access:
        return None
    reseller_role = (
        ResellerMembership.objects.filter(user=user, reseller_id=tenant.reseller_id, reseller__is_active=True)
        .values_list("role", flat=True)
        .first()
    )
    return RESELLER_ROLE_IN_TENANT.get(reseller_role)


def member_list(actor: Member) -> QuerySet[Membership]:
    """The memberships of the actor's business."""
    return Membership.objects.filter(tenant=actor.tenant).select_related("user")


def access_member(actor: Member, member_id) -> Membership:
    """A membership of the actor's business. Missing and "another tenant's" are the same 404."""
    try:
        return member_list(actor).get(pk=int(member_id))
    except (Membership.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def invite_list(actor: Member) -> QuerySet[Invite]:
    return Invite.objects.filter(tenant=actor.tenant).select_related("invited_by")


def access_invite(actor: Member, invite_id) -> Invite:
    try:
        return invite_list(actor).get(pk=uuid.UUID(str(invite_id)))
    except (Invite.DoesNotExist, ValueError):
        raise Http404 from None


def owner_count(*, tenant: Tenant) -> int:
    return Membership.objects.filter(tenant=tenant, role=Role.OWNER).count()


def reseller_access_list(actor: Member) -> QuerySet[ResellerMembership]:
    """The reseller's people who act in `tenant` without a membership of their own (tenant_role_for: their
    role there is RESELLER_ROLE_IN_TENANT of their reseller role). Shown to the business, managed by the
    reseller."""
    if actor.tenant.reseller_id is None:
        return ResellerMembership.objects.none()
    return (ResellerMembership.objects.filter(reseller_id=actor.tenant.reseller_id, user__is_active=True)
            .exclude(user__memberships__tenant=actor.tenant).select_related("user", "reseller")
            .order_by("created_at", "id"))
