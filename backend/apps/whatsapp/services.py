"""Connecting WhatsApp numbers to a business, and keeping their health current.

A number's row in the tenant's schema and its route in the public schema (phone_number_id -> tenant,
WABA id -> tenant) are written in one transaction, on the tenant's connection (search_path: tenant,
public). The routes are unique, so a number or WABA connected to another business is refused.

Connecting, disconnecting and a refresh that changes what is stored are recorded in the audit log (apps.audit), in
the same transaction, with who did it; never a token (not in `changes`, not in `detail`).
"""
import functools
import hashlib
import logging

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.audit.recorder import diff, record
from apps.core.errors import ApplicationError, Conflict
from apps.whatsapp.client import GraphClient, PhoneNumberInfo
from apps.whatsapp.errors import BuilderError, GraphError
from apps.whatsapp.models import BusinessAccount, PhoneNumber
from apps.whatsapp.signals import account_connected
from tenants.billing.limits import Limit, require_within
from tenants.ingress.routes import routes_cache_clear
from tenants.members import Member
from tenants.models import PhoneNumberRoute, Tenant, WabaRoute

logger = logging.getLogger(__name__)

SIGNUP_STATE_SALT = "convonest.embedded-signup"
SIGNUP_STATE_MAX_AGE = 30 * 60


def _number_fields(info: PhoneNumberInfo) -> dict:
    return {
        "display_phone_number": info.display_phone_number or "", "verified_name": info.verified_name or "",
        "quality_rating": info.quality_rating or "", "messaging_limit_tier": info.messaging_limit or "",
        "throughput_level": info.throughput_level or "", "status": info.status or "",
        "last_synced_at": timezone.now(),
    }


def graph_client(access_token: str) -> GraphClient:
    return GraphClient(access_token)


def _graph_failure(exc: GraphError, field: str | None = None) -> ApplicationError:
    """Meta's refusal, told to the person connecting (the token itself is never echoed)."""
    message = f"WhatsApp refused: {exc.title}" if exc.title else "WhatsApp refused the request."
    errors = {field: [message]} if field else {}
    return ApplicationError(message, code="whatsapp_rejected", errors=errors)


def route_lock_key(kind: str, object_id: str) -> int:
    """The advisory-lock key of one WABA or number id (64-bit, from its text), the same in every process."""
    digest = hashlib.sha256(f"convonest.whatsapp-route:{kind}:{object_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _lock_route_ids(*, waba_id: str, phone_number_ids: list[str]) -> None:
    """Serialise connections of the same ids across businesses until this transaction ends, so the
    availability check below sees every connection committed before it (in a fixed order: no deadlock)."""
    keys = sorted({route_lock_key("waba", waba_id), *(route_lock_key("number", n) for n in phone_number_ids)})
    with connection.cursor() as cursor:
        for key in keys:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _taken(what: str, field: str) -> Conflict:
    taken = "is already connected to another ConvoNest business. Disconnect it there first."
    return Conflict(f"{what} {taken}", code="already_connected", errors={field: [f"This one {taken}"]})


def _refuse_if_taken(tenant: Tenant, *, waba_id: str, phone_number_ids: list[str]) -> None:
    if WabaRoute.objects.filter(waba_id=waba_id).exclude(tenant=tenant).exists():
        raise _taken(f"WhatsApp Business Account {waba_id}", "waba_id")
    for number_id in phone_number_ids:
        if PhoneNumberRoute.objects.filter(phone_number_id=number_id).exclude(tenant=tenant).exists():
            raise _taken(f"Phone number {number_id}", "phone_number_id")


def _route_for(model, tenant: Tenant, *, field: str, **lookup):
    """The route, created for `tenant` when missing; one of another business is refused (409), never used."""
    route, _ = model.objects.get_or_create(**lookup, defaults={"tenant": tenant})
    if route.tenant_id != tenant.pk:
        (value,) = lookup.values()
        raise _taken(f"{'WhatsApp Business Account' if field == 'waba_id' else 'Phone number'} {value}", field)
    return route


# What the audit log shows of a number: Meta's names and health, never the account's token.
AUDITED_NUMBER_FIELDS = ("display_phone_number", "verified_name", "quality_rating", "messaging_limit_tier",
                         "throughput_level", "status")


def _audited(number: PhoneNumber | None) -> dict:
    return {name: getattr(number, name) for name in AUDITED_NUMBER_FIELDS} if number is not None else {}


def _save_connection(*, tenant: Tenant, waba_id: str, access_token: str, numbers: list[PhoneNumberInfo],
                     connected_via: str, name: str = "", business_id: str = "", announce: bool = True,
                     actor: Member | None = None) -> list[PhoneNumber]:
    """Write the tenant's rows and the public routes in one transaction. Under the ids' locks, the check
    sees every earlier connection; each route is then verified to be ours, so a lost race is a 409 that
    rolls back everything, never a number connected here whose webhooks go to another business.

    Audit: a number new here (or connected again after a disconnect) is `whatsapp.number_connected`; one that
    was connected already is `whatsapp.number_updated` when connecting again changed something (a new token,
    said as `access_renewed`, never its value; Meta's details).
    `actor` None: whoever is bound (`acting_as`), else the system (bootstrap)."""
    ids = [n.id for n in numbers]
    try:
        with transaction.atomic():
            _lock_route_ids(waba_id=waba_id, phone_number_ids=ids)
            _refuse_if_taken(tenant, waba_id=waba_id, phone_number_ids=ids)
            previous = BusinessAccount.objects.filter(waba_id=waba_id).first()
            renewed = previous is not None and previous.access_token != access_token  # a fact, never the value
            account, _ = BusinessAccount.objects.update_or_create(
                waba_id=waba_id,
                defaults={"access_token": access_token, "connected_via": connected_via, "name": name,
                          "business_id": business_id},
            )
            _route_for(WabaRoute, tenant, field="waba_id", waba_id=waba_id)
            saved = []
            for info in numbers:
                existing = PhoneNumber.objects.filter(phone_number_id=info.id).first()
                number, _ = PhoneNumber.objects.update_or_create(
                    phone_number_id=info.id,
                    defaults={"account": account, "disconnected_at": None, **_number_fields(info)}
                )
                _route_for(PhoneNumberRoute, tenant, field="phone_number_id", phone_number_id=info.id)
                saved.append(number)
                about = {"waba_id": waba_id, "connected_via": str(connected_via)}
                changes = diff(_audited(existing), _audited(number)) if existing is not None else {}
                if existing is None or existing.disconnected_at is not None:
                    record(actor, "whatsapp.number_connected", target=number, detail=about)
                elif changes or renewed:  # connected again (bootstrap repeats itself: no event for nothing)
                    record(actor, "whatsapp.number_updated", target=number, changes=changes,
                           detail={**about, "reconnected": True, "access_renewed": renewed})
            require_within(tenant, Limit.NUMBERS, adding=0)  # 402 plan_limit, rolling back this connection
    except IntegrityError:
        # Lost a race with another business connecting the same number.
        raise Conflict("This number was connected to another ConvoNest business a moment ago.",
                       code="already_connected") from None
    transaction.on_commit(_routes_changed)
    if announce:
        transaction.on_commit(functools.partial(_announce_connected, tenant, waba_id, str(connected_via)),
                              robust=True)
    return saved


def _routes_changed() -> None:
    routes_cache_clear()


def _announce_connected(tenant: Tenant, waba_id: str, connected_via: str) -> None:
    """After commit, in the business's schema: tell the apps above (templates import the WABA's templates)."""
    with schema_context(tenant.schema_name):
        results = account_connected.send_robust(sender=BusinessAccount, waba_id=waba_id, tenant=tenant,
                                                connected_via=connected_via)
    for receiver, result in results:
        if isinstance(result, Exception):  # the connection stands; the receiver's own retry or sweep recovers
            logger.error("account_connected receiver %s failed for WABA %s", getattr(receiver, "__qualname__",
                         receiver), waba_id, exc_info=result)


def number_connect_manual(*, actor: Member | None, tenant: Tenant, waba_id: str, phone_number_id: str,
                          access_token: str, announce: bool = True) -> PhoneNumber:
    """Connect one number by its ids and a token, verified against the Graph API before saving."""
    client = graph_client(access_token)
    try:
        info = client.phone_number(phone_number_id)
    except GraphError as exc:
        raise _graph_failure(exc, "phone_number_id" if exc.code == 100 else "access_token") from exc
    except BuilderError as exc:  # a token that can't travel in a header (the API's serializer says so first)
        raise ApplicationError(exc.message, code="validation_error", errors={exc.field: [exc.message]}) from None
    try:
        waba_numbers = {n.id for n in client.list_phone_numbers(waba_id)}
    except GraphError as exc:
        raise _graph_failure(exc, "waba_id") from exc
    if phone_number_id not in waba_numbers:
        raise ApplicationError("This phone number does not belong to that WhatsApp Business Account.",
                               code="validation_error",
                               errors={"phone_number_id": ["Not a number of this WhatsApp Business Account."]})
    (number,) = _save_connection(actor=actor, tenant=tenant, waba_id=waba_id, access_token=access_token,
                                 numbers=[info], connected_via=BusinessAccount.ConnectedVia.MANUAL, announce=announce)
    return number


def signup_state_for(*, tenant: Tenant, user_id: int) -> str:
    """Opaque `state` for Embedded Signup: binds the flow to this business and person (CSRF)."""
    return signing.dumps({"t": tenant.pk, "u": user_id}, salt=SIGNUP_STATE_SALT)


def embedded_signup_complete(*, actor: Member, tenant: Tenant, code: str, state: str) -> list[PhoneNumber]:
    """Finish Embedded Signup: exchange the code, find the granted WABAs, subscribe, connect their numbers."""
    try:
        bound = signing.loads(state, salt=SIGNUP_STATE_SALT, max_age=SIGNUP_STATE_MAX_AGE)
    except signing.BadSignature:
        raise ApplicationError("This signup session has expired. Start again.", code="invalid_state") from None
    if bound != {"t": tenant.pk, "u": actor.user.pk}:
        raise ApplicationError("This signup session belongs to someone else. Start again.", code="invalid_state")

    app_id, app_secret = settings.WHATSAPP_APP_ID, settings.WHATSAPP_APP_SECRET
    try:
        token = GraphClient(None).exchange_code(app_id=app_id, app_secret=app_secret, code=code)
        client = graph_client(token)
        scopes = client.debug_token(token, app_token=f"{app_id}|{app_secret}").get("granular_scopes", [])
        waba_ids = [str(target) for scope in scopes if scope.get("scope") == "whatsapp_business_management"
                    for target in scope.get("target_ids", [])]
        if not waba_ids:
            raise ApplicationError("Meta granted no WhatsApp Business Account. Start again and pick one.",
                                   code="no_account_granted")
        connected = []
        for waba_id in waba_ids:
            numbers = client.list_phone_numbers(waba_id)
            client.subscribe_app(waba_id)
            connected += _save_connection(actor=actor, tenant=tenant, waba_id=waba_id, access_token=token,
                                          numbers=numbers, connected_via=BusinessAccount.ConnectedVia.EMBEDDED_SIGNUP)
    except GraphError as exc:
        raise _graph_failure(exc) from exc
    return connected


def number_refresh(*, actor: Member, number: PhoneNumber) -> PhoneNumber:
    """Re-read the number's health (quality rating, tier, throughput) from Meta. A read-through: it is recorded
    (`whatsapp.number_updated`, by the member who asked) only when it changed what is stored and shown (names,
    health), not for the sync time alone; the Graph call runs outside the transaction."""
    try:
        info = graph_client(number.account.access_token).phone_number(number.phone_number_id)
    except GraphError as exc:
        raise _graph_failure(exc) from exc
    with transaction.atomic():
        before = _audited(number)
        for field, value in _number_fields(info).items():
            setattr(number, field, value)
        number.save()
        changes = diff(before, _audited(number))
        if changes:
            record(actor, "whatsapp.number_updated", target=number, changes=changes,
                   detail={"refreshed_from": "meta"})
    return number


@transaction.atomic
def number_disconnect(*, actor: Member, tenant: Tenant, number: PhoneNumber) -> None:
    """Stop using a number here: its route goes, so its webhooks stop reaching this business. A number
    with history (messages, calls) stays as a disconnected row so the history keeps its number; the
    account's token is wiped once none of its numbers is connected."""
    from django.db.models import ProtectedError

    account = number.account
    record(actor, "whatsapp.number_disconnected", target=number, detail={"waba_id": account.waba_id})
    # Routes are deleted only where they are this business's: a stray copy of a number another business
    # owns (see _save_connection) must never unroute that business's webhooks.
    PhoneNumberRoute.objects.filter(phone_number_id=number.phone_number_id, tenant_id=tenant.pk).delete()
    try:
        with transaction.atomic():
            number.delete()
    except ProtectedError:
        PhoneNumber.objects.filter(pk=number.pk).update(disconnected_at=timezone.now())
    if not account.numbers.filter(disconnected_at__isnull=True).exists():
        WabaRoute.objects.filter(waba_id=account.waba_id, tenant_id=tenant.pk).delete()
        if account.numbers.exists():
            account.access_token = ""
            account.save(update_fields=["access_token", "updated_at"])
        else:
            account.delete()
    transaction.on_commit(_routes_changed)


def bootstrap_connect(*, tenant: Tenant, waba_id: str, phone_number_id: str, access_token: str) -> list[PhoneNumber]:
    """Connect WHATSAPP_* at bootstrap (make dev): that number, verified like a manual connection, and the
    account's other numbers with it."""
    number_connect_manual(actor=None, tenant=tenant, waba_id=waba_id, phone_number_id=phone_number_id,
                          access_token=access_token, announce=False)  # announced once, below
    try:
        numbers = graph_client(access_token).list_phone_numbers(waba_id)
    except GraphError as exc:
        raise _graph_failure(exc, "waba_id") from exc
    return _save_connection(actor=None, tenant=tenant, waba_id=waba_id, access_token=access_token, numbers=numbers,
                            connected_via=BusinessAccount.ConnectedVia.BOOTSTRAP)
