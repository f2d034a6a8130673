"""The reseller's own team on the console: members, roles and invitations. Admins manage; support reads."""
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.client_ip import client_ident
from apps.core.csrf import SameOriginRequired
from apps.core.pagination import CursorPagination
from tenants.models import ResellerRole, User
from tenants.partners import selectors, services
from tenants.partners.api import ResellerSerializer, SessionSerializer, require_console, session_response
from tenants.partners.permissions import PartnerApi, PartnerCapability, PartnerMember, partner_requires

CanManageTeam = partner_requires(PartnerCapability.MANAGE_TEAM)


@extend_schema_serializer(component_name="PartnerMember")
class MemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    user_id = serializers.IntegerField()
    email = serializers.EmailField(source="user.email")
    first_name = serializers.CharField(source="user.first_name")
    last_name = serializers.CharField(source="user.last_name")
    role = serializers.ChoiceField(choices=ResellerRole.choices)
    joined_at = serializers.DateTimeField(source="created_at")
    is_you = serializers.SerializerMethodField()

    def get_is_you(self, member) -> bool:
        return member.user_id == self.context["request"].user.pk


@extend_schema_serializer(component_name="PartnerInvite")
class InviteSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=ResellerRole.choices)
    invited_by = serializers.EmailField(source="invited_by.email", allow_null=True, default=None)
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    status = serializers.ChoiceField(choices=["pending", "accepted", "revoked", "expired"])


class MemberPagination(CursorPagination):
    ordering = ("created_at", "id")


class MemberListApi(PartnerApi, ListAPIView):
    serializer_class = MemberSerializer
    pagination_class = MemberPagination

    @extend_schema(operation_id="partners_team_members_list")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.member_list(self.request.partner)


class MemberDetailApi(PartnerApi):
    permission_classes = [CanManageTeam]

    @extend_schema_serializer(component_name="PartnerMemberUpdate", extensions={"x-required-in-patch": ["role"]})
    class InputSerializer(serializers.Serializer):
        role = serializers.ChoiceField(choices=ResellerRole.choices)

    @extend_schema(request=InputSerializer, responses=MemberSerializer, operation_id="partners_team_members_update")
    def patch(self, request, member_id: int):
        membership = selectors.access_member(request.partner, member_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.member_role_change(actor=request.partner, membership=membership,
                                                 role=data.validated_data["role"])
        return Response(MemberSerializer(membership, context={"request": request}).data)

    @extend_schema(responses={204: None}, operation_id="partners_team_members_destroy")
    def delete(self, request, member_id: int):
        services.member_remove(actor=request.partner, membership=selectors.access_member(request.partner, member_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class InviteListApi(PartnerApi, ListAPIView):
    """Pending invitations (admins); POST sends one."""

    permission_classes = [CanManageTeam]
    serializer_class = InviteSerializer
    throttle_scope = "invite_member"

    def get_throttles(self):
        return super().get_throttles() if self.request.method == "POST" else []

    @extend_schema(operation_id="partners_team_invites_list")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.invite_list(self.request.partner)

    @extend_schema_serializer(component_name="PartnerInviteCreate")
    class InputSerializer(serializers.Serializer):
        email = serializers.EmailField()
        role = serializers.ChoiceField(choices=ResellerRole.choices, default=ResellerRole.SUPPORT)

    @extend_schema(request=InputSerializer, responses={201: InviteSerializer},
                   operation_id="partners_team_invites_create")
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invite = services.invite_create(actor=request.partner, **data.validated_data)
        return Response(InviteSerializer(invite).data, status=status.HTTP_201_CREATED)


class InviteDetailApi(PartnerApi):
    permission_classes = [CanManageTeam]

    @extend_schema(responses={204: None}, operation_id="partners_team_invites_destroy")
    def delete(self, request, invite_id):
        services.invite_revoke(actor=request.partner, invite=selectors.access_invite(request.partner, invite_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class InviteLookupApi(APIView):
    """What a console invitation link opens. A POST, so the token stays out of URLs and access logs."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_scope = "invite_accept"

    @extend_schema_serializer(component_name="PartnerInviteLookup")
    class InputSerializer(serializers.Serializer):
        token = serializers.CharField(max_length=200)

    @extend_schema_serializer(component_name="PartnerInviteInfo")
    class OutputSerializer(serializers.Serializer):
        email = serializers.EmailField()
        role = serializers.ChoiceField(choices=ResellerRole.choices)
        reseller = ResellerSerializer()
        needs_password = serializers.BooleanField(help_text="False when the email already has a login.")

    @extend_schema(request=InputSerializer, responses=OutputSerializer, operation_id="partners_team_invites_lookup")
    def post(self, request):
        require_console(request)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invite = services.invite_for_token(token=data.validated_data["token"])
        info = {"email": invite.email, "role": invite.role, "reseller": invite.reseller,
                "needs_password": not User.objects.filter(email__iexact=invite.email).exists()}
        return Response(self.OutputSerializer(info).data)


class InviteAcceptApi(SameOriginRequired, APIView):
    """Open to anyone holding the link: joins the reseller's team and signs in on the console."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_scope = "invite_accept"

    @extend_schema_serializer(component_name="PartnerInviteAccept")
    class InputSerializer(serializers.Serializer):
        token = serializers.CharField(max_length=200)
        password = serializers.CharField(trim_whitespace=False, max_length=128,
                                         help_text="A new password, or the existing login's.")
        first_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
        last_name = serializers.CharField(required=False, allow_blank=True, max_length=150)

    @extend_schema(request=InputSerializer, responses=SessionSerializer, operation_id="partners_team_invites_accept")
    def post(self, request):
        require_console(request)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user, reseller = services.invite_accept(client=client_ident(request), **data.validated_data)
        role = reseller.memberships.values_list("role", flat=True).get(user=user)
        return session_response(PartnerMember(user=user, reseller=reseller, role=role), status.HTTP_200_OK)
