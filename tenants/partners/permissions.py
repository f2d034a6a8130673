"""Who acts on the console, and what they may do: a `PartnerMember` built once per request, capabilities by name
(the console's twin of tenants.members / tenants.permissions)."""
from dataclasses import dataclass
from enum import StrEnum

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.views import APIView

from tenants.models import Reseller, ResellerMembership, ResellerRole, User
from tenants.partners.auth import RESELLER_CLAIM, PartnerJWTCookieAuthentication


class PartnerCapability(StrEnum):
    MANAGE_BUSINESSES = "manage_businesses"  # create, suspend and resume client businesses
    MANAGE_WALLETS = "manage_wallets"  # open and fund wholesale wallets, set the markup
    MANAGE_TEAM = "manage_team"  # invite, change roles, remove the reseller's people
    ENTER_BUSINESSES = "enter_businesses"  # act inside a client business (as its admin or agent)
    MANAGE_BRAND = "manage_brand"  # white label: name, colour, logo, the console's custom domain


ROLE_CAPABILITIES: dict[str, frozenset[PartnerCapability]] = {
    ResellerRole.ADMIN: frozenset(PartnerCapability),
    ResellerRole.SUPPORT: frozenset({PartnerCapability.ENTER_BUSINESSES}),
}

REFUSALS: dict[PartnerCapability, str] = {
    PartnerCapability.MANAGE_BUSINESSES: "Only reseller admins can create, suspend or resume businesses.",
    PartnerCapability.MANAGE_WALLETS: "Only reseller admins can manage wallets.",
    PartnerCapability.MANAGE_TEAM: "Only reseller admins can manage the team.",
    PartnerCapability.ENTER_BUSINESSES: "You may not enter this reseller's businesses.",
    PartnerCapability.MANAGE_BRAND: "Only reseller admins can change the brand and domains.",
}


@dataclass(frozen=True, slots=True)
class PartnerMember:
    """A person acting for one reseller, with their role there."""

    user: User
    reseller: Reseller
    role: str

    @property
    def capabilities(self) -> frozenset[PartnerCapability]:
        return ROLE_CAPABILITIES.get(self.role, frozenset())

    def can(self, capability: PartnerCapability) -> bool:
        return capability in self.capabilities


def partner_member_of(*, user, reseller_id) -> PartnerMember | None:
    if user is None or not user.is_authenticated or not isinstance(reseller_id, int):
        return None
    membership = (ResellerMembership.objects.select_related("reseller")
                  .filter(user=user, reseller_id=reseller_id, reseller__is_active=True).first())
    return None if membership is None else PartnerMember(user=user, reseller=membership.reseller,
                                                         role=membership.role)


def capability_flags(member: PartnerMember) -> dict[str, bool]:
    return {capability.value: capability in member.capabilities for capability in PartnerCapability}


class IsPartnerMember(BasePermission):
    """Logged in on the console, for a reseller the user still belongs to. Sets `request.partner`."""

    message = "You are not a member of this reseller."

    def has_permission(self, request, view) -> bool:
        claims = request.auth or {}
        request.partner = partner_member_of(user=request.user, reseller_id=claims.get(RESELLER_CLAIM))
        return request.partner is not None


def partner_requires(capability: PartnerCapability, *, reads_open: bool = False) -> type[BasePermission]:
    class Requires(IsPartnerMember):
        message = REFUSALS[capability]

        def has_permission(self, request, view) -> bool:
            if not super().has_permission(request, view):
                self.message = IsPartnerMember.message
                return False
            return (reads_open and request.method in SAFE_METHODS) or request.partner.can(capability)

    Requires.__name__ = Requires.__qualname__ = f"PartnerRequires_{capability.value}"
    return Requires


class PartnerApi(APIView):
    """Base of every console view: the console's session, and a member of its reseller."""

    authentication_classes = [PartnerJWTCookieAuthentication]
    permission_classes = [IsPartnerMember]
