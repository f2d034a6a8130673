"""The platform staff console's API on the public host: sign-in (a real session, tenants.staff_auth), every business,
every reseller, failed background work, and replaying webhook changes. The webhook inbox lists are
tenants.platform_api. Every view is staff only and reads, except the replays, which are logged with the staff
member's id (logger `convonest.security`).
"""
import base64
import binascii
import logging
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import update_last_login
from django.db import transaction
from django.db.models import F, Func, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.http import urlencode
from django_tenants.utils import get_public_schema_name
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import exceptions, serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.serializers import TokenRefreshSerializer
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken, UntypedToken

from apps.core.client_ip import client_ident
from apps.core.csrf import SameOriginRequired
from apps.core.errors import Conflict
from apps.core.pagination import CursorPagination
from tenants.billing.models import OverageCharge, SubscriptionStatus, UsageCounter
from tenants.billing.usage import MESSAGES_SENT, month_of
from tenants.ingress.models import WebhookChange, WebhookEvent
from tenants.ingress.replay import webhook_changes_replay
from tenants.login_throttle import login_check_allowed, login_record_failure, login_record_success
from tenants.models import Membership, PhoneNumberRoute, Reseller, ResellerMembership, Tenant, User
from tenants.platform_api import (
    REPLAYABLE_CHANGES,
    WebhookChangeSerializer,
    WebhookEventSerializer,
    webhook_events_with_replayable,
)
from tenants.sessions import FAMILY_CLAIM, refresh_reuse_detected, sessions_revoke
from tenants.staff_auth import (
    PlatformApi,
    access_cookie_name,
    clear_platform_cookies,
    is_platform_claims,
    platform_session_tokens,
    refresh_cookie_name,
    set_platform_cookies,
)

security_log = logging.getLogger("convonest.security")

INVALID_LOGIN = "The email or password is not correct."  # the business login's words: nothing to tell them apart
SESSION_ENDED = "This session has ended. Please log in again."


# --- Sign-in ------------------------------------------------------------------------------------------------------

class StaffUserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()


class StaffLoginResultSerializer(serializers.Serializer):
    """What the staff login answers: the staff member. The tokens travel only in httpOnly cookies."""

    user = StaffUserSerializer()


def _refused(message: str) -> exceptions.AuthenticationFailed:
    """401 with a plain message (simplejwt's InvalidToken carries a dict, which the envelope can't word)."""
    return exceptions.AuthenticationFailed(message, code="token_not_valid")


class CookieSessionView(SameOriginRequired, APIView):
    """A view that sets or spends the staff cookies itself: no authentication, same-origin unsafe requests only."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    def get_authenticate_header(self, request):
        return 'Bearer realm="api"'  # so a refused session is a 401 (DRF answers 403 without a challenge)


class StaffLoginApi(CookieSessionView):
    """Email and password of an active staff member; anyone else gets the same answer as a wrong password. Failed
    attempts count with the business logins' (tenants.login_throttle), so they share one budget per client."""

    throttle_classes: list = []  # failures are counted in the serializer instead of all attempts

    @extend_schema_serializer(component_name="StaffLogin")
    class InputSerializer(serializers.Serializer):
        email = serializers.EmailField()
        password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False, max_length=128)

        def validate(self, attrs):
            request = self.context["request"]
            email, ip = attrs["email"].strip().lower(), client_ident(request)
            login_check_allowed(email=email, ip=ip)
            user = authenticate(request, email=email, password=attrs["password"])
            if user is None or not (user.is_active and user.is_staff):  # a business login is not a staff login
                login_record_failure(email=email, ip=ip)
                raise serializers.ValidationError(INVALID_LOGIN, code="invalid_login")
            login_record_success(email=email, ip=ip)
            attrs["user"] = user
            return attrs

    @extend_schema(request=InputSerializer, responses=StaffLoginResultSerializer, operation_id="platform_auth_login")
    def post(self, request):
        data = self.InputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        user = data.validated_data["user"]
        access, refresh = platform_session_tokens(user)
        update_last_login(None, user)
        security_log.info("platform staff user %s signed in", user.pk)
        response = Response(StaffLoginResultSerializer({"user": user}).data)
        set_platform_cookies(response, access, refresh)
        return response


def _refresh_claims(raw: str | None) -> dict:
    """A platform refresh token's claims (signature and expiry checked), or 401."""
    if not raw:
        raise _refused("No valid refresh token found.")
    try:
        claims = UntypedToken(raw).payload
    except TokenError as exc:
        raise _refused(str(exc)) from exc
    if not is_platform_claims(claims) or claims.get(jwt_settings.TOKEN_TYPE_CLAIM) != RefreshToken.token_type:
        raise _refused("This is not a platform staff session.")
    return claims


def platform_session_refresh(raw: str | None) -> tuple[str, str]:
    """Rotate a platform session's refresh token: (access, refresh). A rotated token presented again ends its
    family (tenants.sessions); someone who is no longer active staff can't refresh."""
    claims = _refresh_claims(raw)
    with transaction.atomic():
        # One rotation per token at a time: a concurrent second use waits, then counts as a reuse.
        OutstandingToken.objects.select_for_update().filter(jti=claims.get(jwt_settings.JTI_CLAIM)).first()
        reused = refresh_reuse_detected(claims=claims)  # ends the token's family (committed below)
        if not reused:
            user = User.objects.filter(pk=claims.get(jwt_settings.USER_ID_CLAIM)).first()
            if user is None or not (user.is_active and user.is_staff):
                raise _refused("Only ConvoNest platform staff can do this.")
            try:
                tokens = TokenRefreshSerializer().validate({"refresh": raw})
            except TokenError as exc:
                raise _refused(str(exc)) from exc
            return tokens["access"], tokens["refresh"]
    raise _refused(SESSION_ENDED)


class StaffTokenRefreshApi(CookieSessionView):
    """New cookies for the staff session from its refresh cookie (rotated: the old one is spent)."""

    @extend_schema(request=None, operation_id="platform_auth_token_refresh", responses=inline_serializer(
        "StaffTokenRefresh", {"access_expiration": serializers.DateTimeField()}))
    def post(self, request):
        access, refresh = platform_session_refresh(request.COOKIES.get(refresh_cookie_name()))
        response = Response({"access_expiration": timezone.now() + jwt_settings.ACCESS_TOKEN_LIFETIME})
        set_platform_cookies(response, access, refresh)
        return response


def _session_claims(request) -> dict | None:
    """The staff session this browser holds: its refresh cookie's claims, else (the refresh cookie gone) its access
    cookie's; None without a platform session."""
    try:
        return _refresh_claims(request.COOKIES.get(refresh_cookie_name()))
    except exceptions.AuthenticationFailed:
        pass
    try:
        claims = UntypedToken(request.COOKIES.get(access_cookie_name(), "")).payload
    except TokenError:
        return None
    return claims if is_platform_claims(claims) and claims.get(FAMILY_CLAIM) else None


class StaffLogoutApi(CookieSessionView):
    """Ends the staff session (its refresh tokens and, at once, its access token) and clears the cookies. Answers
    200 with or without a session, so a second click or an expired session still leaves the browser clean."""

    @extend_schema(request=None, operation_id="platform_auth_logout", responses=inline_serializer(
        "StaffLogout", {"detail": serializers.CharField()}))
    def post(self, request):
        claims = _session_claims(request)
        if claims is not None and claims.get(jwt_settings.USER_ID_CLAIM) is not None:
            user_id = int(claims[jwt_settings.USER_ID_CLAIM])
            family = claims.get(FAMILY_CLAIM)
            if family:  # the whole family: its refresh tokens, and its access token at once (tenants.sessions)
                sessions_revoke(user_id=user_id, family=family)
            else:  # never every session of the user (their business logins are theirs to end)
                try:
                    RefreshToken(request.COOKIES.get(refresh_cookie_name(), "")).blacklist()
                except TokenError:
                    pass  # already spent
            security_log.info("platform staff user %s signed out", user_id)
        response = Response({"detail": "Logged out."})
        clear_platform_cookies(response)
        return response


class StaffUserApi(PlatformApi, APIView):
    """The signed-in staff member (the console asks on load; 401 means: sign in)."""

    @extend_schema(responses=StaffUserSerializer, operation_id="platform_auth_user")
    def get(self, request):
        return Response(StaffUserSerializer(request.user).data)


# --- Businesses and resellers -------------------------------------------------------------------------------------

def _count_of(rows) -> Coalesce:
    """COUNT(*) of `rows` (a queryset filtered on OuterRef) as a correlated subquery: one number per outer row,
    without joining (and multiplying) the outer rows."""
    counted = rows.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


class ResellerRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PlatformBusinessSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    host = serializers.SerializerMethodField(help_text="The business's own address ({slug}.BASE_DOMAIN)")
    is_active = serializers.BooleanField(help_text="False: deactivated, its host answers unknown_host")
    created_at = serializers.DateTimeField()
    reseller = ResellerRefSerializer(allow_null=True, help_text="The reseller that runs it, or null (direct)")
    plan = serializers.SerializerMethodField(help_text="The plan's code, or null before billing first saw it")
    subscription_status = serializers.SerializerMethodField(
        help_text="Where its payments stand; read_only once the grace period after non-payment ran out")
    member_count = serializers.IntegerField()
    number_count = serializers.IntegerField(help_text="Connected WhatsApp numbers")
    messages_sent_this_month = serializers.IntegerField(help_text="Messages sent this calendar month (UTC)")

    def get_host(self, tenant) -> str:
        return f"{tenant.slug}.{settings.BASE_DOMAIN}"

    @staticmethod
    def _subscription(tenant):
        try:
            return tenant.subscription
        except Tenant.subscription.RelatedObjectDoesNotExist:
            return None

    def get_plan(self, tenant) -> str | None:
        subscription = self._subscription(tenant)
        return subscription.plan.code if subscription else None

    @extend_schema_field(serializers.ChoiceField(choices=SubscriptionStatus.choices, allow_null=True))
    def get_subscription_status(self, tenant) -> str | None:
        subscription = self._subscription(tenant)
        return subscription.effective_status() if subscription else None


class NewestFirst(CursorPagination):
    ordering = ("-created_at", "-id")


def _search(value: str, *fields: str) -> Q:
    query = Q()
    for field in fields:
        query |= Q(**{f"{field}__icontains": value})
    return query


RESELLER_FILTER = r"^([0-9]{1,18}|none)$"


@extend_schema_view(get=extend_schema(operation_id="platform_businesses_list", parameters=[
    OpenApiParameter("q", {"type": "string", "maxLength": 100}, description="Part of the slug or name"),
    OpenApiParameter("reseller", str, pattern=RESELLER_FILTER,
                     description="A reseller's id: its businesses; `none`: businesses without a reseller"),
    OpenApiParameter("plan", {"type": "string", "maxLength": 32}, description="Only businesses on this plan (code)"),
    OpenApiParameter("active", bool, description="Only active (true) or deactivated (false) businesses"),
]))
class BusinessListApi(PlatformApi, ListAPIView):
    """Every business, newest first: its reseller, plan and payment status, members, connected numbers and this
    month's sent messages (from the usage counters: one indexed lookup per business, no tenant schema is read)."""

    serializer_class = PlatformBusinessSerializer
    pagination_class = NewestFirst

    @extend_schema_serializer(component_name="PlatformBusinessFilter")
    class FilterSerializer(serializers.Serializer):
        q = serializers.CharField(max_length=100, required=False, allow_blank=True)
        reseller = serializers.RegexField(RESELLER_FILTER, required=False)
        plan = serializers.CharField(max_length=32, required=False, allow_blank=True)
        active = serializers.BooleanField(required=False, allow_null=True, default=None)

    def get_queryset(self):
        filters = self.FilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        f = filters.validated_data
        rows = (Tenant.objects.exclude(schema_name=get_public_schema_name())
                .select_related("reseller", "subscription__plan")
                .annotate(member_count=_count_of(Membership.objects.filter(tenant_id=OuterRef("pk"))),
                          number_count=_count_of(PhoneNumberRoute.objects.filter(tenant_id=OuterRef("pk"))),
                          messages_sent_this_month=Coalesce(Subquery(
                              UsageCounter.objects.filter(tenant_id=OuterRef("pk"), month=month_of(),
                                                          metric=MESSAGES_SENT).values("value")[:1]), 0)))
        if f.get("q"):
            rows = rows.filter(_search(f["q"].strip(), "slug", "name"))
        if f.get("reseller") == "none":
            rows = rows.filter(reseller__isnull=True)
        elif f.get("reseller"):
            rows = rows.filter(reseller_id=int(f["reseller"]))
        if f.get("plan"):
            rows = rows.filter(subscription__plan__code=f["plan"])
        if f.get("active") is not None:
            rows = rows.filter(is_active=f["active"])
        return rows


class PlatformResellerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()
    created_at = serializers.DateTimeField()
    business_count = serializers.IntegerField(help_text="Businesses it runs")
    member_count = serializers.IntegerField(help_text="Its people (reseller admins and support)")


@extend_schema_view(get=extend_schema(operation_id="platform_resellers_list", parameters=[
    OpenApiParameter("q", {"type": "string", "maxLength": 100}, description="Part of the slug or name"),
]))
class ResellerListApi(PlatformApi, ListAPIView):
    """Every reseller, newest first, with how many businesses it runs and how many people it has."""

    serializer_class = PlatformResellerSerializer
    pagination_class = NewestFirst

    @extend_schema_serializer(component_name="PlatformResellerFilter")
    class FilterSerializer(serializers.Serializer):
        q = serializers.CharField(max_length=100, required=False, allow_blank=True)

    def get_queryset(self):
        filters = self.FilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        rows = Reseller.objects.annotate(
            business_count=_count_of(Tenant.objects.filter(reseller_id=OuterRef("pk"))),
            member_count=_count_of(ResellerMembership.objects.filter(reseller_id=OuterRef("pk"))))
        if filters.validated_data.get("q"):
            rows = rows.filter(_search(filters.validated_data["q"].strip(), "slug", "name"))
        return rows


# --- Failed jobs --------------------------------------------------------------------------------------------------
#
# Background work that failed and left a durable record in the public schema (per-business work, such as a
# campaign's or the outbox's failures, is each business's own, on its pages):
# - webhook events whose routing failed: `failed` (backing off, the sweeper retries them) or `dead` (out of
#   attempts, or a body that can't be read): tenants.ingress.router;
# - overage charges Stripe hasn't taken yet (the daily billing run tries again): tenants.billing.overage.
# Celery keeps no results (every task has ignore_result), so there is no task table to list.

class FailedJobKind:
    WEBHOOK_EVENT = "webhook_event"
    OVERAGE_CHARGE = "overage_charge"
    choices = [(WEBHOOK_EVENT, "Webhook event"), (OVERAGE_CHARGE, "Overage charge")]


class FailedJobState:
    RETRYING = "retrying"
    DEAD = "dead"
    choices = [(RETRYING, "Retried automatically"), (DEAD, "Needs a person")]


# A charge is written just before Stripe is asked; younger ones may still be on their way.
OVERAGE_SEND_GRACE = timedelta(minutes=10)


@dataclass
class FailedJob:
    kind: str
    id: int
    state: str
    occurred_at: datetime
    tenant: dict | None
    summary: str
    error: str
    attempts: int | None
    next_attempt_at: datetime | None
    replayable: bool


class TenantRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class FailedJobSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FailedJobKind.choices, help_text="What failed (the record's table)")
    id = serializers.IntegerField(help_text="The record's id within its kind (a webhook event's id is the one the "
                                            "webhook lists and replay use)")
    state = serializers.ChoiceField(choices=FailedJobState.choices,
                                    help_text="retrying: tried again automatically; dead: needs a person")
    occurred_at = serializers.DateTimeField(help_text="When the work arrived (event received, charge created)")
    tenant = TenantRefSerializer(allow_null=True, help_text="The business, when the record belongs to one")
    summary = serializers.CharField()
    error = serializers.CharField(help_text="Why the last attempt failed")
    attempts = serializers.IntegerField(allow_null=True)
    next_attempt_at = serializers.DateTimeField(allow_null=True, help_text="Not retried before this time")
    replayable = serializers.BooleanField(help_text="POST /api/platform/webhook-events/{id}/replay/ routes it again")


class FailedJobPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text="The next page, or null on the last")
    previous = serializers.URLField(allow_null=True, help_text="Always null: the list pages forward only")
    results = FailedJobSerializer(many=True)


Cursor = tuple[datetime, str, int]  # (occurred_at, kind, id): the position of the last row shown


def _cursor_encode(job: FailedJob) -> str:
    raw = f"{job.occurred_at.isoformat()}|{job.kind}|{job.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _cursor_decode(value: str) -> Cursor:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
        at, kind, pk = raw.split("|")
        when = datetime.fromisoformat(at)
        if when.tzinfo is None or kind not in dict(FailedJobKind.choices):
            raise ValueError(raw)
        return when, kind, int(pk)
    except (ValueError, UnicodeDecodeError, binascii.Error) as exc:
        raise serializers.ValidationError({"cursor": ["Invalid cursor."]}) from exc


def _after(cursor: Cursor | None, kind: str, time_field: str) -> Q:
    """Rows of `kind` that come after the cursor in the list's order: newest first, then kind, then id down."""
    if cursor is None:
        return Q()
    at, cursor_kind, pk = cursor
    after = Q(**{f"{time_field}__lt": at})
    if kind > cursor_kind:
        after |= Q(**{time_field: at})
    elif kind == cursor_kind:
        after |= Q(**{time_field: at, "pk__lt": pk})
    return after


def _changes_summary(event) -> str:
    total = event.change_count
    if not total:
        return f"Webhook event {event.pk} (no readable changes)"
    problems = [f"{n} {what}" for n, what in ((event.failed_changes, "failed"),
                                               (event.unroutable_changes, "unroutable")) if n]
    noun = "change" if total == 1 else "changes"
    return f"Webhook event {event.pk} ({total} {noun}{': ' + ', '.join(problems) if problems else ''})"


def _webhook_event_jobs(state: str | None, cursor: Cursor | None, limit: int) -> list[FailedJob]:
    Event = WebhookEvent.Status
    statuses = {FailedJobState.RETRYING: [Event.FAILED], FailedJobState.DEAD: [Event.DEAD]}.get(
        state, [Event.FAILED, Event.DEAD])
    changes = WebhookChange.objects.filter(event_id=OuterRef("pk"))
    rows = (webhook_events_with_replayable().filter(status__in=statuses)
            .filter(_after(cursor, FailedJobKind.WEBHOOK_EVENT, "received_at"))
            .annotate(change_count=_count_of(changes),
                      failed_changes=_count_of(changes.filter(status=WebhookChange.Status.FAILED)),
                      unroutable_changes=_count_of(changes.filter(status=WebhookChange.Status.UNROUTABLE)))
            .order_by("-received_at", "-pk")[:limit])
    return [FailedJob(
        kind=FailedJobKind.WEBHOOK_EVENT, id=event.pk,
        state=FailedJobState.DEAD if event.status == Event.DEAD else FailedJobState.RETRYING,
        occurred_at=event.received_at, tenant=None, summary=_changes_summary(event), error=event.error,
        attempts=event.attempts, next_attempt_at=event.lease_until if event.status == Event.FAILED else None,
        replayable=event.replayable) for event in rows]


def _overage_jobs(state: str | None, cursor: Cursor | None, limit: int) -> list[FailedJob]:
    if state == FailedJobState.DEAD:  # the daily run always tries again
        return []
    rows = (OverageCharge.objects.filter(stripe_invoice_item_id="", created_at__lt=timezone.now() - OVERAGE_SEND_GRACE)
            .filter(_after(cursor, FailedJobKind.OVERAGE_CHARGE, "created_at"))
            .select_related("tenant").order_by("-created_at", "-pk")[:limit])
    return [FailedJob(
        kind=FailedJobKind.OVERAGE_CHARGE, id=charge.pk, state=FailedJobState.RETRYING,
        occurred_at=charge.created_at, tenant={"slug": charge.tenant.slug, "name": charge.tenant.name},
        summary=(f"Overage of {charge.quantity} messages in {charge.month:%B %Y} not billed yet "
                 f"({charge.amount_cents / 100:.2f} {charge.currency.upper()})"),
        error="Stripe has not taken the invoice item (it was unavailable); the daily billing run tries again.",
        attempts=None, next_attempt_at=None, replayable=False) for charge in rows]


FAILED_JOB_SOURCES = {FailedJobKind.WEBHOOK_EVENT: _webhook_event_jobs, FailedJobKind.OVERAGE_CHARGE: _overage_jobs}


def failed_jobs_page(*, kind: str | None, state: str | None, cursor: Cursor | None,
                     size: int) -> tuple[list[FailedJob], bool]:
    """One page of failed jobs of every kind, newest first, after `cursor`; and whether more follow. Each source is
    read by keyset (at most size + 1 rows), then merged, so a page costs the same on the first and the last."""
    jobs = []
    for source_kind, source in FAILED_JOB_SOURCES.items():
        if kind in (None, source_kind):
            jobs += source(state, cursor, size + 1)
    jobs.sort(key=lambda job: -job.id)  # stable sorts, least significant first: id down, kind, time down
    jobs.sort(key=lambda job: job.kind)
    jobs.sort(key=lambda job: job.occurred_at, reverse=True)
    return jobs[:size], len(jobs) > size


@extend_schema_serializer(component_name="FailedJobFilter")
class FailedJobFilterSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FailedJobKind.choices, required=False,
                                   help_text="Only failed jobs of this kind")
    state = serializers.ChoiceField(choices=FailedJobState.choices, required=False,
                                    help_text="retrying: tried again automatically; dead: needs a person")
    cursor = serializers.CharField(max_length=200, required=False, help_text="From a previous page's `next`")
    page_size = serializers.IntegerField(min_value=1, max_value=CursorPagination.max_page_size, required=False,
                                         help_text="Results per page (default 50)")


class FailedJobListApi(PlatformApi, APIView):
    """Background work that failed, of every kind, newest first: webhook events that are retrying or dead, and
    overage charges Stripe hasn't taken. Cursor pages (`next`), like every list."""

    @extend_schema(operation_id="platform_failed_jobs_list", parameters=[FailedJobFilterSerializer],
                   responses=FailedJobPageSerializer)
    def get(self, request):
        filters = FailedJobFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        f = filters.validated_data
        size = f.get("page_size") or settings.REST_FRAMEWORK["PAGE_SIZE"]
        cursor = _cursor_decode(f["cursor"]) if f.get("cursor") else None
        jobs, more = failed_jobs_page(kind=f.get("kind"), state=f.get("state"), cursor=cursor, size=size)
        next_url = None
        if more:
            query = {k: v for k, v in request.query_params.items() if k != "cursor"}
            query["cursor"] = _cursor_encode(jobs[-1])
            next_url = request.build_absolute_uri(f"{request.path}?{urlencode(query)}")
        return Response({"next": next_url, "previous": None,
                         "results": FailedJobSerializer([asdict(job) for job in jobs], many=True).data})


# --- Replays ------------------------------------------------------------------------------------------------------

class WebhookChangeReplaySerializer(serializers.Serializer):
    requeued = serializers.BooleanField(help_text="Routed again; false: still no business owns its number/account")
    change = WebhookChangeSerializer(help_text="The change after the replay")


class WebhookEventReplaySerializer(serializers.Serializer):
    requeued = serializers.BooleanField(help_text="Routed again; false: still no business owns its changes")
    event = WebhookEventSerializer(help_text="The event after the replay")


def _changes_of():
    return WebhookChange.objects.select_related("event", "tenant").defer("event__body")


class WebhookChangeReplayApi(PlatformApi, APIView):
    """Route one unroutable or failed change again, now (its number may be connected since, or a fix deployed):
    what `manage.py replay_webhooks` does, for one change. Routing its event also retries the event's other failed
    changes. 409 for a change in another state, or whose event body was redacted after retention."""

    @extend_schema(request=None, responses=WebhookChangeReplaySerializer, operation_id="platform_webhook_change_replay")
    def post(self, request, change_id: int):
        change = get_object_or_404(_changes_of(), pk=change_id)
        if change.status not in REPLAYABLE_CHANGES:
            raise Conflict(f"Only unroutable or failed changes can be replayed; this one is {change.status}.")
        if change.event.redacted_at is not None:
            raise Conflict("The event's body was deleted after retention: nothing is left to replay.")
        requeued = webhook_changes_replay(change_ids=[change.pk]) > 0
        change = _changes_of().get(pk=change.pk)
        security_log.info("platform staff user %s replayed webhook change %s (event %s): %s", request.user.pk,
                          change.pk, change.event_id, change.status)
        return Response(WebhookChangeReplaySerializer({"requeued": requeued, "change": change}).data)


class WebhookEventReplayApi(PlatformApi, APIView):
    """Route an event's unroutable and failed changes again, now; a dead event gets its attempts back
    (`manage.py replay_webhooks --event ID`). 409 when it has none, or its body was redacted after retention."""

    @extend_schema(request=None, responses=WebhookEventReplaySerializer, operation_id="platform_webhook_event_replay")
    def post(self, request, event_id: int):
        event = get_object_or_404(webhook_events_with_replayable(), pk=event_id)
        if event.redacted_at is not None:
            raise Conflict("The event's body was deleted after retention: nothing is left to replay.")
        if not event.replayable:
            raise Conflict("This event has no unroutable or failed changes to replay.")
        requeued = webhook_changes_replay(event_ids=[event.pk]) > 0
        event = webhook_events_with_replayable().get(pk=event.pk)
        security_log.info("platform staff user %s replayed webhook event %s: %s", request.user.pk, event.pk,
                          event.status)
        return Response(WebhookEventReplaySerializer({"requeued": requeued, "event": event}).data)
