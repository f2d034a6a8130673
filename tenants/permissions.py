"""DRF permission classes over `tenants.members`: the member is built once, capabilities are checked by name."""
from rest_framework.permissions import SAFE_METHODS, BasePermission

from tenants.members import REFUSALS, Capability, Member, member_of

_UNSET = object()


def request_member(request) -> Member | None:
    """The caller as a member of this host's business, computed once per request (None: not a member)."""
    member = getattr(request, "_member", _UNSET)
    if member is _UNSET:
        member = member_of(user=getattr(request, "user", None), tenant=getattr(request, "tenant", None))
        request._member = member
    return member


class IsTenantMember(BasePermission):
    """Default for every API view: logged in, and a member of this host's business. Sets `request.member`."""

    message = "You are not a member of this business."

    def has_permission(self, request, view) -> bool:
        member = request_member(request)
        request.member = member
        return member is not None


def requires(capability: Capability, *, reads_open: bool = False) -> type[BasePermission]:
    """A permission class: members who hold `capability` (any member for GET/HEAD/OPTIONS when `reads_open`)."""

    class Requires(IsTenantMember):
        message = REFUSALS[capability]

        def has_permission(self, request, view) -> bool:
            if not super().has_permission(request, view):
                self.message = IsTenantMember.message
                return False
            return (reads_open and request.method in SAFE_METHODS) or request.member.can(capability)

    Requires.__name__ = Requires.__qualname__ = f"Requires_{capability.value}{'_or_reads' if reads_open else ''}"
    return Requires


CanManageTeam = requires(Capability.MANAGE_TEAM)
CanViewAuditLog = requires(Capability.VIEW_AUDIT_LOG)
CanManageBusinessData = requires(Capability.BUSINESS_DATA)
CanManageContacts = requires(Capability.MANAGE_CONTACTS)
ReadsOrManageContacts = requires(Capability.MANAGE_CONTACTS, reads_open=True)
CanManageSettings = requires(Capability.MANAGE_SETTINGS)
ReadsOrManageSettings = requires(Capability.MANAGE_SETTINGS, reads_open=True)
CanManageTemplates = requires(Capability.MANAGE_TEMPLATES)
