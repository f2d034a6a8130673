"""The partner console's API (partners.<BASE_DOMAIN>, under /api/partners/), and reseller signup on the public host.

Views are thin: input serializers, then a service or selector that takes the acting PartnerMember.
"""
from dj_rest_auth.app_settings import api_settings as rest_auth_settings
from dj_rest_auth.jwt_auth import get_refresh_view, set_jwt_cookies, unset_jwt_cookies
from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import RefreshToken

from apps.core.client_ip import client_ident
from apps.core.csrf import SameOriginRequired
from apps.core.errors import ApplicationError
from apps.core.pagination import CursorPagination
from tenants.hosts import partners_console_url
from tenants.login_throttle import login_check_allowed, login_record_failure, login_record_success
from tenants.models import ResellerMembership, ResellerRole
from tenants.partners import selectors, services
from tenants.partners.auth import (
    PartnerCookieTokenRefreshSerializer,
    console_reseller,
    on_console,
    partner_tokens_for,
)
from tenants.partners.permissions import (
    PartnerApi,
    PartnerCapability,
    PartnerMember,
    capability_flags,
    partner_requires,
)
from tenants.services import tenant_url
from tenants.slugs import SLUG_MAX, slug_problem

CAPABILITIES_SCHEMA = {
    "type": "object", "additionalProperties": False, "required": [c.value for c in PartnerCapability],
    "properties": {c.value: {"type": "boolean"} for c in PartnerCapability},
    "description": "What this person may do on the console (tenants.partners.permissions.PartnerCapability).",
}


class NotOnConsole(ApplicationError):
    status_code = 404
    default_code = "not_found"


def require_console(request) -> None:
    """Console sign-in exists only on the console's host: elsewhere it is not a route."""
    if not on_console(request):
        raise NotOnConsole("Not found.")


# --- Sessions ----------------------------------------------------------------------------------------------------

class ResellerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()


@extend_schema_serializer(component_name="PartnerSession")
class SessionSerializer(serializers.Serializer):
    """Who is signed in on the console, for which reseller, and what they may do there."""

    id = serializers.IntegerField(source="user.id")
    email = serializers.EmailField(source="user.email")
    first_name = serializers.CharField(source="user.first_name")
    last_name = serializers.CharField(source="user.last_name")
    reseller = ResellerSerializer()
    role = serializers.ChoiceField(choices=ResellerRole.choices)
    capabilities = serializers.SerializerMethodField()

    @extend_schema_field(CAPABILITIES_SCHEMA)
    def get_capabilities(self, member) -> dict:
        return capability_flags(member)


def session_response(member: PartnerMember, status_code: int = 200) -> Response:
    access, refresh = partner_tokens_for(member.user, member.reseller)
    response = Response(SessionSerializer(member).data, status=status_code)
    set_jwt_cookies(response, access, refresh)
    return response


class LoginApi(SameOriginRequired, APIView):
    """Email and password of a member of a reseller. With several resellers, `reseller` (its slug) chooses one.
    Failed attempts are counted per email and client, as on a business's host."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema_serializer(component_name="PartnerLogin")
    class InputSerializer(serializers.Serializer):
        email = serializers.EmailField()
        password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False, max_length=128)
        reseller = serializers.SlugField(required=False, max_length=63)

    @extend_schema(request=InputSerializer, responses=SessionSerializer, operation_id="partners_auth_login")
    def post(self, request):
        require_console(request)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        email, ip = data.validated_data["email"].strip().lower(), client_ident(request)
        login_check_allowed(email=email, ip=ip)
        user = authenticate(request, email=email, password=data.validated_data["password"])
        memberships = ResellerMembership.objects.select_related("reseller").filter(
            user=user, reseller__is_active=True).order_by("created_at") if user is not None else []
        if "reseller" in data.validated_data:
            memberships = [m for m in memberships if m.reseller.slug == data.validated_data["reseller"]]
        if (fixed := console_reseller(request)) is not None:  # a reseller's own domain: its people only
            memberships = [m for m in memberships if m.reseller_id == fixed.pk]
        membership = next(iter(memberships), None)
        if membership is None:  # not a reseller's person: the same answer as a wrong password
            login_record_failure(email=email, ip=ip)
            raise serializers.ValidationError({"non_field_errors": ["The email or password is not correct."]})
        login_record_success(email=email, ip=ip)
        return session_response(PartnerMember(user=user, reseller=membership.reseller, role=membership.role))


class HandoffApi(SameOriginRequired, APIView):
    """Exchange the single-use link from reseller signup for a console session."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema_serializer(component_name="PartnerHandoff")
    class InputSerializer(serializers.Serializer):
        token = serializers.CharField(max_length=1000)

    @extend_schema(request=InputSerializer, responses=SessionSerializer, operation_id="partners_auth_handoff")
    def post(self, request):
        require_console(request)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user, reseller = services.console_handoff_consume(token=data.validated_data["token"])
        role = ResellerMembership.objects.values_list("role", flat=True).get(user=user, reseller=reseller)
        return session_response(PartnerMember(user=user, reseller=reseller, role=role))


class LogoutApi(SameOriginRequired, APIView):
    """End this console session: its refresh token is blacklisted and the cookies cleared."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(request=None, responses={204: None}, operation_id="partners_auth_logout")
    def post(self, request):
        require_console(request)
        raw = request.COOKIES.get(rest_auth_settings.JWT_AUTH_REFRESH_COOKIE)
        if raw:
            try:
                RefreshToken(raw).blacklist()
            except TokenError:
                pass  # already ended: logging out is still done
        response = Response(status=status.HTTP_204_NO_CONTENT)
        unset_jwt_cookies(response)
        return response


class TokenRefreshApi(SameOriginRequired, get_refresh_view()):
    """Rotate the console's refresh cookie (only a console session's)."""

    serializer_class = PartnerCookieTokenRefreshSerializer

    @extend_schema(operation_id="partners_auth_token_refresh")
    def post(self, request, *args, **kwargs):
        require_console(request)
        return super().post(request, *args, **kwargs)


class SessionApi(PartnerApi):
    @extend_schema(responses=SessionSerializer, operation_id="partners_auth_user")
    def get(self, request):
        return Response(SessionSerializer(request.partner).data)


# --- Reseller signup (public host) -------------------------------------------------------------------------------

class SignupApi(APIView):
    """Become a reseller: the company and its first admin. Answers a single-use sign-in link to the console."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_scope = "signup"

    @extend_schema_serializer(component_name="PartnerSignup")
    class InputSerializer(serializers.Serializer):
        company_name = serializers.CharField(max_length=200, trim_whitespace=True)
        slug = serializers.CharField(max_length=SLUG_MAX + 10, trim_whitespace=True,
                                     help_text="A short name for the reseller (lowercase letters, digits, hyphens).")
        email = serializers.EmailField()
        password = serializers.CharField(write_only=True, max_length=128, trim_whitespace=False,
                                         style={"input_type": "password"})

        def validate_slug(self, value: str) -> str:
            return value.lower()

    @extend_schema_serializer(component_name="PartnerSignupResult")
    class OutputSerializer(serializers.Serializer):
        reseller = ResellerSerializer()
        console_url = serializers.CharField()
        login_url = serializers.CharField(help_text="Signs the admin in on the console; single use, 5 minutes.")

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer}, operation_id="partners_signup")
    def post(self, request):
        if on_console(request):
            raise NotOnConsole("Not found.")
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.reseller_signup(**data.validated_data, client=client_ident(request))
        payload = {"reseller": result.reseller, "console_url": partners_console_url(), "login_url": result.login_url}
        return Response(self.OutputSerializer(payload).data, status=status.HTTP_201_CREATED)


# --- Businesses --------------------------------------------------------------------------------------------------

class NumberHealthSerializer(serializers.Serializer):
    phone_number_id = serializers.CharField()
    display_phone_number = serializers.CharField()
    verified_name = serializers.CharField(allow_blank=True)
    quality_rating = serializers.CharField(allow_blank=True, help_text="GREEN, YELLOW, RED or UNKNOWN")
    status = serializers.CharField(allow_blank=True)
    messaging_limit_tier = serializers.CharField(allow_blank=True)


class WalletBriefSerializer(serializers.Serializer):
    currency = serializers.CharField()
    balance_micros = serializers.IntegerField()
    low_balance = serializers.BooleanField()


class PlanSummarySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    status = serializers.CharField()


class UsageSerializer(serializers.Serializer):
    month = serializers.DateField()
    messages_sent = serializers.IntegerField()
    messages_received = serializers.IntegerField()
    messages_per_month = serializers.IntegerField(allow_null=True)


@extend_schema_serializer(component_name="PartnerBusiness")
class BusinessSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()
    url = serializers.SerializerMethodField()
    is_active = serializers.BooleanField()
    suspended_at = serializers.DateTimeField(allow_null=True)
    reseller_access = serializers.BooleanField(help_text="False: the business turned off its reseller's access.")
    created_at = serializers.DateTimeField()
    member_count = serializers.IntegerField()
    number_count = serializers.IntegerField()
    plan = PlanSummarySerializer(source="overview.plan")
    usage = UsageSerializer(source="overview.usage")
    numbers = NumberHealthSerializer(many=True, source="overview.numbers")
    wallet = WalletBriefSerializer(allow_null=True, source="overview.wallet",
                                   help_text="null: the business pays its plan directly (no wholesale wallet)")
    last_activity_at = serializers.DateTimeField(allow_null=True, source="overview.last_activity_at")

    def get_url(self, tenant) -> str:
        return tenant_url(tenant)


class BusinessPagination(CursorPagination):
    page_size = 25
    ordering = ("-created_at", "-id")


def _with_overviews(tenants: list) -> list:
    overviews = selectors.business_overviews(tenants)
    for tenant in tenants:
        tenant.overview = overviews[tenant.pk]
    return tenants


class BusinessListApi(PartnerApi):
    """The reseller's businesses, newest first, with plan, this month's usage, number health and last activity."""

    permission_classes = [partner_requires(PartnerCapability.MANAGE_BUSINESSES, reads_open=True)]
    pagination_class = BusinessPagination  # the page is built by hand (overviews for its rows only); documented

    @extend_schema_serializer(component_name="PartnerBusinessCreate")
    class InputSerializer(serializers.Serializer):
        business_name = serializers.CharField(max_length=200, trim_whitespace=True)
        slug = serializers.CharField(max_length=SLUG_MAX + 10, trim_whitespace=True)
        owner_email = serializers.EmailField(help_text="Gets an invitation to become the business's owner.")

        def validate_slug(self, value: str) -> str:
            value = value.lower()
            problem = slug_problem(value)
            if problem:
                raise serializers.ValidationError(problem)
            return value

    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="Part of the name or address"),
                    OpenApiParameter("status", str, enum=["active", "suspended"])],
        responses=BusinessSerializer(many=True), operation_id="partners_businesses_list",
    )
    def get(self, request):
        rows = selectors.business_list(request.partner, q=request.query_params.get("q", "")[:100],
                                       status=request.query_params.get("status", ""))
        paginator = self.pagination_class()
        page = _with_overviews(list(paginator.paginate_queryset(rows, request, view=self)))
        return paginator.get_paginated_response(BusinessSerializer(page, many=True).data)

    @extend_schema(request=InputSerializer, responses={201: BusinessSerializer},
                   operation_id="partners_businesses_create")
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        tenant = services.business_create(actor=request.partner, **data.validated_data)
        tenant = selectors.access_business(request.partner, tenant.pk)
        return Response(BusinessSerializer(_with_overviews([tenant])[0]).data, status=status.HTTP_201_CREATED)


class BusinessDetailApi(PartnerApi):
    @extend_schema(responses=BusinessSerializer, operation_id="partners_businesses_retrieve")
    def get(self, request, business_id: int):
        tenant = selectors.access_business(request.partner, business_id)
        return Response(BusinessSerializer(_with_overviews([tenant])[0]).data)


class BusinessSuspendApi(PartnerApi):
    permission_classes = [partner_requires(PartnerCapability.MANAGE_BUSINESSES)]

    @extend_schema_serializer(component_name="PartnerBusinessSuspend")
    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=500, required=False, allow_blank=True)

    @extend_schema(request=InputSerializer, responses=BusinessSerializer, operation_id="partners_businesses_suspend")
    def post(self, request, business_id: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        tenant = services.business_suspend(actor=request.partner,
                                           tenant=selectors.access_business(request.partner, business_id),
                                           reason=data.validated_data.get("reason", ""))
        tenant = selectors.access_business(request.partner, tenant.pk)
        return Response(BusinessSerializer(_with_overviews([tenant])[0]).data)


class BusinessResumeApi(PartnerApi):
    permission_classes = [partner_requires(PartnerCapability.MANAGE_BUSINESSES)]

    @extend_schema(request=None, responses=BusinessSerializer, operation_id="partners_businesses_resume")
    def post(self, request, business_id: int):
        tenant = services.business_resume(actor=request.partner,
                                          tenant=selectors.access_business(request.partner, business_id))
        tenant = selectors.access_business(request.partner, tenant.pk)
        return Response(BusinessSerializer(_with_overviews([tenant])[0]).data)


class BusinessEnterApi(PartnerApi):
    """A single-use link that signs the caller in on the business's host, as its admin (reseller admins) or agent
    (reseller support). Audited here and in the business's team log."""

    @extend_schema_serializer(component_name="PartnerBusinessEnter")
    class OutputSerializer(serializers.Serializer):
        url = serializers.CharField(help_text="Open within 5 minutes; single use.")

    @extend_schema(request=None, responses=OutputSerializer, operation_id="partners_businesses_enter")
    def post(self, request, business_id: int):
        url = services.business_enter(actor=request.partner,
                                      tenant=selectors.access_business(request.partner, business_id))
        return Response({"url": url})


# --- Activity ----------------------------------------------------------------------------------------------------

@extend_schema_serializer(component_name="PartnerEvent")
class EventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    action = serializers.CharField()
    label = serializers.CharField(source="get_action_display")
    actor_email = serializers.CharField()
    business_id = serializers.IntegerField(source="tenant_id", allow_null=True)
    business_name = serializers.CharField(source="tenant_name")
    subject_email = serializers.CharField()
    detail = serializers.DictField()
    created_at = serializers.DateTimeField()


class EventPagination(CursorPagination):
    ordering = ("-created_at", "-id")


class ActivityApi(PartnerApi, ListAPIView):
    """The reseller's audit log, newest first; `business` narrows it to one business."""

    serializer_class = EventSerializer
    pagination_class = EventPagination

    @extend_schema(parameters=[OpenApiParameter("business", int)], operation_id="partners_activity_list")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        business = self.request.query_params.get("business")
        business_id = selectors.access_business(self.request.partner, business).pk if business else None
        return selectors.event_list(self.request.partner, business_id=business_id)

