"""Who is acting, and what they may do: the one place roles become capabilities.

A `Member` (user, tenant, role) is built once per request by `tenants.permissions.IsTenantMember` and put on
`request.member`; every `access_*` function, list selector and service that depends on who acts takes it
(Zulip's actor-first `access_stream_by_id(user_profile, ...)`). Code asks `member.can(Capability.X)`, never
`role in {...}`, and the frontend reads the same capabilities from `/api/auth/user/`.
"""
from dataclasses import dataclass
from enum import StrEnum

from tenants.models import Role, Tenant, User
from tenants.selectors import tenant_role_for


class Capability(StrEnum):
    MANAGE_TEAM = "manage_team"  # invite, change roles, remove members
    MANAGE_CONTACTS = "manage_contacts"  # delete, erase, merge, import, export; attributes, segments, settings
    MANAGE_SETTINGS = "manage_settings"  # WhatsApp numbers, inbox settings, canned replies
    SEE_ALL_CONVERSATIONS = "see_all_conversations"  # else: one's own and unassigned (unless the business lets agents)
    SEND = "send"  # write to customers (replies, new messages)
    MANAGE_TEMPLATES = "manage_templates"
    RUN_CAMPAIGNS = "run_campaigns"
    BILLING = "billing"
    MANAGE_RESELLER_ACCESS = "manage_reseller_access"  # let the business's reseller in, or keep it out (audit L8)
    VIEW_AUDIT_LOG = "view_audit_log"  # read and export who did what (apps.audit)
    BUSINESS_DATA = "business_data"  # export the whole business, schedule or cancel its deletion (apps.portability)


# The owner's alone: billing, whether the reseller's people get in (a reseller admin acts as an admin here, so
# an admin must not be able to turn that access back on), and the business's data as a whole: taking all of it out
# or deleting it is least privilege's first case.
_MANAGER = frozenset(Capability) - {Capability.BILLING, Capability.MANAGE_RESELLER_ACCESS, Capability.BUSINESS_DATA}
ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.OWNER: frozenset(Capability),
    Role.ADMIN: _MANAGER,
    Role.AGENT: frozenset({Capability.SEND}),
}

# What a refused request says, by the capability it lacked.
REFUSALS: dict[Capability, str] = {
    Capability.MANAGE_TEAM: "Only owners and admins can manage the team.",
    Capability.MANAGE_CONTACTS: "Only owners and admins can do this with contacts.",
    Capability.MANAGE_SETTINGS: "Only owners and admins can change the business's settings.",
    Capability.SEE_ALL_CONVERSATIONS: "Only owners and admins see every conversation.",
    Capability.SEND: "You may not send messages in this business.",
    Capability.MANAGE_TEMPLATES: "Only owners and admins can manage message templates.",
    Capability.RUN_CAMPAIGNS: "Only owners and admins can run campaigns.",
    Capability.BILLING: "Only the owner can manage billing.",
    Capability.MANAGE_RESELLER_ACCESS: "Only the owner can change the reseller's access.",
    Capability.VIEW_AUDIT_LOG: "Only owners and admins can read the audit log.",
    Capability.BUSINESS_DATA: "Only the owner can export or delete the business.",
}


@dataclass(frozen=True, slots=True)
class Member:
    """A person acting in one business, with the role they hold there (their own, or their reseller's)."""

    user: User
    tenant: Tenant
    role: str

    @property
    def capabilities(self) -> frozenset[Capability]:
        return ROLE_CAPABILITIES.get(self.role, frozenset())

    def can(self, capability: Capability) -> bool:
        return capability in self.capabilities

    @property
    def user_id(self) -> int:
        return self.user.pk


def member_of(*, user, tenant: Tenant | None) -> Member | None:
    """`user` acting in `tenant`, or None when they hold no role there (or nobody is logged in)."""
    if tenant is None or user is None or not user.is_authenticated:
        return None
    role = tenant_role_for(user=user, tenant=tenant)
    return None if role is None else Member(user=user, tenant=tenant, role=role)


def capability_flags(member: Member | None) -> dict[str, bool]:
    """Every capability by name, true or false (what `/api/auth/user/` shows the frontend)."""
    held = member.capabilities if member is not None else frozenset()
    return {capability.value: capability in held for capability in Capability}
