from apps.core.permissions import IsTenantMember, request_role
from tenants.models import TEAM_MANAGER_ROLES


class IsContactsManager(IsTenantMember):
    """Owners and admins: deleting, erasing, merging, exporting and importing contacts; attribute
    definitions, segments and contact settings. Agents read and edit contacts."""

    message = "Only owners and admins can do this with contacts."

    def has_permission(self, request, view) -> bool:
        return request_role(request) in TEAM_MANAGER_ROLES


class ReadOrManage(IsTenantMember):
    """Members read (GET); owners and admins write."""

    message = IsContactsManager.message

    def has_permission(self, request, view) -> bool:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return super().has_permission(request, view)
        return request_role(request) in TEAM_MANAGER_ROLES
