"""The team of a business: members, roles and invitations. Owners and admins manage; agents read."""
from drf_spectacular.utils import extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts import services
from apps.accounts.auth_api import login_response
from apps.accounts.serializers import LoginResultSerializer
from apps.core.client_ip import client_ident
from apps.core.csrf import SameOriginRequired
from apps.core.errors import ApplicationError
from apps.core.pagination import CursorPagination
from apps.core.throttling import ClientRateThrottle, TenantRateThrottle
from tenants.members import REFUSALS, Capability
from tenants.models import ResellerRole, Role, User
from tenants.permissions import CanManageTeam, IsTenantMember
from tenants.selectors import (
    RESELLER_ROLE_IN_TENANT,
    access_invite,
    access_member,
    invite_list,
    member_list,
    reseller_access_list,
)
from tenants.services import invite_for_token
from tenants.site_api import TenantSummarySerializer


class MemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    user_id = serializers.IntegerField()
    email = serializers.EmailField(source="user.email")
    first_name = serializers.CharField(source="user.first_name")
    last_name = serializers.CharField(source="user.last_name")
    role = serializers.ChoiceField(choices=Role.choices)
    joined_at = serializers.DateTimeField(source="created_at")
    is_you = serializers.SerializerMethodField()

    def get_is_you(self, member) -> bool:
        return member.user_id == self.context["request"].user.pk


class InviteSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=Role.choices)
    invited_by = serializers.EmailField(source="invited_by.email", allow_null=True, default=None)
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    status = serializers.ChoiceField(choices=["pending", "accepted", "revoked", "expired"])


class MemberPagination(CursorPagination):
    ordering = ("created_at", "id")  # the founding owner first


@extend_schema_view(get=extend_schema(operation_id="team_members_list"))
class MemberListApi(ListAPIView):
    permission_classes = [IsTenantMember]
    serializer_class = MemberSerializer
    pagination_class = MemberPagination

    def get_queryset(self):
        return member_list(self.request.member)


class MemberDetailApi(APIView):
    permission_classes = [CanManageTeam]

    @extend_schema_serializer(component_name="MemberUpdate", extensions={"x-required-in-patch": ["role"]})
    class InputSerializer(serializers.Serializer):
        role = serializers.ChoiceField(choices=Role.choices)

    @extend_schema(request=InputSerializer, responses=MemberSerializer, operation_id="team_members_update")
    def patch(self, request, member_id: int):
        membership = access_member(request.member, member_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.team_role_change(membership=membership, role=data.validated_data["role"],
                                               actor=request.member)
        return Response(MemberSerializer(membership, context={"request": request}).data)

    @extend_schema(responses={204: None}, operation_id="team_members_destroy")
    def delete(self, request, member_id: int):
        services.team_member_remove(membership=access_member(request.member, member_id), actor=request.member)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitesPerBusinessThrottle(TenantRateThrottle):
    scope = "invite_business"


class InvitesPerMemberThrottle(ClientRateThrottle):
    scope = "invite_member"


@extend_schema_view(get=extend_schema(operation_id="team_invites_list"))
class InviteListApi(ListAPIView):
    permission_classes = [CanManageTeam]
    serializer_class = InviteSerializer

    def get_queryset(self):
        return invite_list(self.request.member)

    def get_throttles(self):
        # Every invitation is a mail from our domain naming the business: capped per business a day
        # (a new business cannot spam thousands) and per person.
        if self.request.method == "POST":
            return [InvitesPerBusinessThrottle(), InvitesPerMemberThrottle()]
        return []

    @extend_schema_serializer(component_name="InviteCreate")
    class InputSerializer(serializers.Serializer):
        email = serializers.EmailField()
        role = serializers.ChoiceField(choices=Role.choices, default=Role.AGENT)

    @extend_schema(request=InputSerializer, responses={201: InviteSerializer}, operation_id="team_invites_create")
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invite = services.team_invite(actor=request.member, **data.validated_data)
        return Response(InviteSerializer(invite).data, status=status.HTTP_201_CREATED)


class InviteDetailApi(APIView):
    permission_classes = [CanManageTeam]

    @extend_schema(responses={204: None}, operation_id="team_invites_destroy")
    def delete(self, request, invite_id):
        invite = access_invite(request.member, invite_id)
        services.team_invite_revoke(invite=invite, actor=request.member)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_serializer(component_name="InviteAcceptInfo")
class InviteInfoSerializer(serializers.Serializer):
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=Role.choices)
    tenant = TenantSummarySerializer()
    needs_password = serializers.BooleanField(help_text="False when the email already has a login.")


class InviteLookupApi(APIView):
    """What an invitation link opens. A POST, so the token stays out of URLs and access logs."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_scope = "invite_accept"

    @extend_schema_serializer(component_name="InviteLookup")
    class InputSerializer(serializers.Serializer):
        token = serializers.CharField(max_length=200)

    @extend_schema(request=InputSerializer, responses=InviteInfoSerializer, operation_id="team_invites_lookup")
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invite = invite_for_token(token=data.validated_data["token"], tenant=request.tenant)
        info = {
            "email": invite.email,
            "role": invite.role,
            "tenant": {"slug": request.tenant.slug, "name": request.tenant.name},
            "needs_password": not User.objects.filter(email__iexact=invite.email).exists(),
        }
        return Response(InviteInfoSerializer(info).data)


class InviteAcceptApi(SameOriginRequired, APIView):
    """Open to anyone holding the link: joins the team (a new login, or an existing one's password)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_scope = "invite_accept"

    @extend_schema_serializer(component_name="InviteAccept")
    class InputSerializer(serializers.Serializer):
        token = serializers.CharField(max_length=200)
        password = serializers.CharField(trim_whitespace=False, max_length=128,
                                         help_text="A new password, or the existing login's.")
        first_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
        last_name = serializers.CharField(required=False, allow_blank=True, max_length=150)

    @extend_schema(request=InputSerializer, responses=LoginResultSerializer, operation_id="team_invites_accept")
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.team_join(tenant=request.tenant, client=client_ident(request), **data.validated_data)
        return login_response(request, user)


class ResellerAccessSerializer(serializers.Serializer):
    user_id = serializers.IntegerField()
    email = serializers.EmailField(source="user.email")
    first_name = serializers.CharField(source="user.first_name")
    last_name = serializers.CharField(source="user.last_name")
    reseller = serializers.CharField(source="reseller.name")
    reseller_role = serializers.ChoiceField(source="role", choices=ResellerRole.choices)
    role = serializers.SerializerMethodField(help_text="The role they act as in this business")
    source = serializers.SerializerMethodField()
    removable = serializers.SerializerMethodField(help_text="Always false: the reseller manages its people")

    def get_role(self, access) -> str:
        return RESELLER_ROLE_IN_TENANT[access.role]

    def get_source(self, access) -> str:
        return "reseller"

    def get_removable(self, access) -> bool:
        return False


@extend_schema_view(get=extend_schema(operation_id="team_reseller_access_list"))
class ResellerAccessListApi(ListAPIView):
    """Who acts in this business through its reseller (not members: listed here, managed by the reseller)."""

    permission_classes = [IsTenantMember]
    serializer_class = ResellerAccessSerializer
    pagination_class = None  # a reseller's staff: a handful of people

    def get_queryset(self):
        return reseller_access_list(self.request.member)


@extend_schema_serializer(component_name="ResellerAccessSettings")
class ResellerAccessSettingsSerializer(serializers.Serializer):
    reseller = serializers.CharField(allow_null=True, help_text="The reseller that runs this business, if any")
    enabled = serializers.BooleanField(help_text="Whether the reseller's people may act in this business")


class ResellerAccessSettingsApi(APIView):
    """Whether this business lets its reseller's people in. Everyone on the team reads it; only the owner changes
    it (a reseller admin acts here as an admin, so admins can't)."""

    permission_classes = [IsTenantMember]

    @staticmethod
    def _data(tenant) -> dict:
        return {"reseller": tenant.reseller.name if tenant.reseller_id else None, "enabled": tenant.reseller_access}

    @extend_schema(responses=ResellerAccessSettingsSerializer, operation_id="team_reseller_access_settings")
    def get(self, request):
        return Response(ResellerAccessSettingsSerializer(self._data(request.tenant)).data)

    @extend_schema_serializer(component_name="ResellerAccessSettingsUpdate")
    class InputSerializer(serializers.Serializer):
        enabled = serializers.BooleanField()

    @extend_schema(request=InputSerializer, responses=ResellerAccessSettingsSerializer,
                   operation_id="team_reseller_access_settings_update")
    def put(self, request):
        if not request.member.can(Capability.MANAGE_RESELLER_ACCESS):
            raise PermissionDenied(REFUSALS[Capability.MANAGE_RESELLER_ACCESS])
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if request.tenant.reseller_id is None:
            raise ApplicationError("This business has no reseller.", code="no_reseller", status_code=409)
        tenant = services.reseller_access_set(actor=request.member, enabled=data.validated_data["enabled"])
        return Response(ResellerAccessSettingsSerializer(self._data(tenant)).data)
