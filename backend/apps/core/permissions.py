from rest_framework.permissions import BasePermission

from tenants.models import TEAM_MANAGER_ROLES
from tenants.selectors import tenant_role_for


def request_role(request) -> str | None:
    """The caller's role in request.tenant (membership or reseller), computed once per request."""
    if not hasattr(request, "_tenant_role"):
        tenant = getattr(request, "tenant", None)
        user = request.user
        request._tenant_role = (
            tenant_role_for(user=user, tenant=tenant) if tenant is not None and user.is_authenticated else None
        )
    return request._tenant_role


class IsTenantMember(BasePermission):
    """Default for every API view: logged in, and a member of this host's business."""

    message = "You are not a member of this business."

    def has_permission(self, request, view) -> bool:
        return request_role(request) is not None


class IsTeamManager(IsTenantMember):
    message = "Only owners and admins can manage the team."

    def has_permission(self, request, view) -> bool:
        return request_role(request) in TEAM_MANAGER_ROLES
