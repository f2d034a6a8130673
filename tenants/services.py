"""Writes to the control plane: the public site, signup, login handoff, team membership and invites."""
import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, ProgrammingError, connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_exists
from psycopg.errors import DuplicateSchema

from apps.core.errors import ApplicationError, Conflict
from tenants import schema_pool
from tenants.billing.limits import Limit, require_within
from tenants.login_throttle import login_check_allowed, login_record_failure
from tenants.members import Member
from tenants.models import Domain, Invite, Membership, Role, Tenant, User
from tenants.selectors import owner_count, reseller_role_in
from tenants.slugs import TAKEN, slug_problem, tenant_schema_for

HANDOFF_SALT = "convonest.login-handoff"
HANDOFF_MAX_AGE = 300


# --- URLs ---------------------------------------------------------------------------------------

def _origin(host: str) -> str:
    port = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
    return f"{settings.SITE_SCHEME}://{host}{port}"


def tenant_url(tenant: Tenant) -> str:
    domain = tenant.get_primary_domain()
    return _origin(domain.domain if domain else f"{tenant.slug}.{settings.BASE_DOMAIN}")


def tenant_domain_for(slug: str) -> str:
    return f"{slug}.{settings.BASE_DOMAIN}"


# --- The public site ------------------------------------------------------------------------------

def public_site_ensure() -> Tenant:
    """The public tenant row and its BASE_DOMAIN host. Idempotent; runs after every migrate."""
    public, _ = Tenant.objects.get_or_create(
        schema_name="public", defaults={"name": "ConvoNest", "slug": "public"}
    )
    Domain.objects.get_or_create(domain=settings.BASE_DOMAIN, defaults={"tenant": public, "is_primary": True})
    return public


# --- Signup -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SignupResult:
    tenant: Tenant
    user: User
    login_url: str


def tenant_signup(*, business_name: str, slug: str, email: str, password: str,
                  client: str | None = None) -> SignupResult:
    """Create a business with its owner, on a ready schema from the pool.

    An email that already has a ConvoNest login may sign up another business, but only with that
    login's password (people often run more than one business). That check is a login attempt, so
    it goes through the failed-login counter of `client` (the caller's apps.core.client_ip identity;
    None only for trusted callers such as management commands): no better an oracle than login.
    """
    email = email.strip().lower()
    problem = slug_problem(slug)
    if problem:
        raise ValidationError({"slug": [problem]})
    # The strength rules first, for every address: a weak password must not tell whether one exists.
    try:
        validate_password(password, user=User(email=email))
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    if client is not None:
        login_check_allowed(email=email, ip=client)  # before any hashing: a throttled guess costs no CPU
    user = User.objects.filter(email__iexact=email).first()
    # Both branches hash the password once (check here, or create_user below).
    if user is not None and not user.check_password(password):
        if client is not None:
            login_record_failure(email=email, ip=client)
        raise ValidationError({"email": ["This email already has a ConvoNest login; enter its password."]})

    with transaction.atomic():
        tenant = tenant_create(business_name=business_name, slug=slug)
        if user is None:
            user = User.objects.create_user(email=email, password=password)
        Membership.objects.create(user=user, tenant=tenant, role=Role.OWNER)
    return SignupResult(tenant=tenant, user=user, login_url=login_handoff_url(user=user, tenant=tenant))


def tenant_create(*, business_name: str, slug: str, reseller=None) -> Tenant:
    """A business on a ready schema from the pool, with its host; in the caller's transaction, if any.
    The slug's format was checked by the caller; a slug taken meanwhile is a 400 on `slug`."""
    try:
        with transaction.atomic():
            schema_name = tenant_schema_for(slug)
            if schema_exists(schema_name):
                # Left by a deleted business: never adopt it (Tenant.save would, with check_if_exists).
                raise ValidationError({"slug": [TAKEN]})
            schema_pool.pool_claim(schema_name=schema_name)
            tenant = Tenant(schema_name=schema_name, name=business_name.strip(), slug=slug, reseller=reseller)
            tenant.save(verbosity=0)  # migrates inline only if the pool was empty
            connection.set_schema_to_public()
            Domain.objects.create(domain=tenant_domain_for(slug), tenant=tenant, is_primary=True)
            transaction.on_commit(_refill_pool_later)
    except IntegrityError:
        # Lost a race for the same slug between validation and insert.
        raise ValidationError({"slug": [TAKEN]}) from None
    except ProgrammingError as exc:  # ... or for its schema (the rename or CREATE SCHEMA found it taken)
        if not isinstance(exc.__cause__, DuplicateSchema):
            raise
        raise ValidationError({"slug": [TAKEN]}) from None
    return tenant


def _refill_pool_later() -> None:
    from tenants.tasks import schema_pool_refill

    schema_pool_refill.delay()


# --- Login handoff: signup on the public host, signed in on the tenant host --------------------

def login_handoff_url(*, user: User, tenant: Tenant, via_reseller: bool = False) -> str:
    """A single-use sign-in link to `tenant`'s host. `via_reseller`: for reseller staff entering a client business
    (they hold no membership there; their reseller role grants one while the business lets its reseller in)."""
    claims = {"u": user.pk, "t": tenant.pk, "n": uuid.uuid4().hex, **({"r": 1} if via_reseller else {})}
    # `via=reseller` only words the welcome page; what the link grants is in the signed token.
    via = "&via=reseller" if via_reseller else ""
    return f"{tenant_url(tenant)}/welcome?token={signing.dumps(claims, salt=HANDOFF_SALT)}{via}"


def login_handoff_consume(*, token: str, tenant: Tenant) -> User:
    """The user a handoff token names, if it is fresh, unused, for this tenant, and still allowed in. Single use."""
    invalid = ApplicationError("This sign-in link is invalid or has expired. Please log in.", code="invalid_token")
    try:
        data = signing.loads(token, salt=HANDOFF_SALT, max_age=HANDOFF_MAX_AGE)
    except signing.BadSignature:
        raise invalid from None
    if data.get("t") != tenant.pk:
        raise invalid
    if not caches["global"].add(f"handoff-used:{data['n']}", 1, timeout=HANDOFF_MAX_AGE * 2):
        raise invalid
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None:
        raise invalid
    allowed = (reseller_role_in(user=user, tenant=tenant) if data.get("r")
               else Membership.objects.filter(user=user, tenant=tenant).exists())
    if not allowed:
        raise invalid
    return user


# --- Team ---------------------------------------------------------------------------------------

def _ensure_an_owner_remains(member: Membership) -> None:
    if member.role == Role.OWNER and owner_count(tenant=member.tenant) <= 1:
        raise Conflict("A business needs at least one owner. Make someone else owner first.",
                       code="last_owner")


def _check_can_grant(*, actor: Member, role: str) -> None:
    # Admins manage the team but cannot create or change owners; only owners can.
    if role == Role.OWNER and actor.role != Role.OWNER:
        raise ApplicationError("Only an owner can make someone an owner.", code="permission_denied", status_code=403)


@transaction.atomic
def member_role_change(*, membership: Membership, role: str, actor: Member) -> Membership:
    _check_can_grant(actor=actor, role=role)
    if membership.role == Role.OWNER and actor.role != Role.OWNER:
        raise ApplicationError("Only an owner can change an owner's role.", code="permission_denied", status_code=403)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    # Lock the tenant's owners so two concurrent demotions cannot both pass the check.
    list(Membership.objects.select_for_update().filter(tenant=membership.tenant, role=Role.OWNER))
    if membership.role == Role.OWNER and role != Role.OWNER:
        _ensure_an_owner_remains(membership)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def member_remove(*, membership: Membership, actor: Member) -> None:
    if membership.role == Role.OWNER and actor.role != Role.OWNER:
        raise ApplicationError("Only an owner can remove an owner.", code="permission_denied", status_code=403)
    list(Membership.objects.select_for_update().filter(tenant=membership.tenant, role=Role.OWNER))
    _ensure_an_owner_remains(membership)
    membership.delete()


def invite_token_hash(token: str) -> str:
    """What an invitation row keeps of its token (a business's or a reseller's): never the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()


def invite_create(*, email: str, role: str, actor: Member) -> tuple[Invite, str]:
    """Create an invite to `actor`'s business and mail its link. Returns the invite and the raw token (only ever
    in the mail)."""
    _check_can_grant(actor=actor, role=role)
    return invite_send(tenant=actor.tenant, email=email, role=role, invited_by=actor.user)


def invite_send(*, tenant: Tenant, email: str, role: str, invited_by: User) -> tuple[Invite, str]:
    """An invite to `tenant` from `invited_by` (a member, or a reseller's person creating a client's business),
    its link mailed once the transaction commits."""
    email = email.strip().lower()
    if Membership.objects.filter(tenant=tenant, user__email__iexact=email).exists():
        raise ValidationError({"email": ["This person is already a member of the team."]})
    token = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            require_within(tenant, Limit.SEATS, adding=1)  # 402 plan_limit
            invite = Invite.objects.create(
                tenant=tenant, email=email, role=role, invited_by=invited_by, token_hash=invite_token_hash(token),
                expires_at=timezone.now() + timedelta(days=settings.INVITE_LIFETIME_DAYS),
            )
    except IntegrityError:
        pending = "An invite to this address is already pending. Revoke it to send a new one."
        raise ValidationError({"email": [pending]}) from None
    # The token rides in the fragment: browsers never send it to a server, so no access log holds it.
    link = f"{tenant_url(tenant)}/invite/accept#token={token}"
    transaction.on_commit(lambda: send_mail(
        subject=f"You're invited to {tenant.name} on ConvoNest",
        message=f"{invited_by.email} invited you to join {tenant.name} as {invite.get_role_display()}.\n\n"
                f"Accept the invitation: {link}\n\nThe link expires in {settings.INVITE_LIFETIME_DAYS} days.",
        from_email=None, recipient_list=[email],
    ))
    return invite, token


def invite_revoke(*, invite: Invite) -> None:
    if invite.status != "pending":
        raise Conflict(f"This invite is already {invite.status}.", code="invite_not_pending")
    invite.revoked_at = timezone.now()
    invite.save(update_fields=["revoked_at"])


def invite_for_token(*, token: str, tenant: Tenant) -> Invite:
    """The pending invite of this tenant that the token opens; the same error for every failure."""
    invite = Invite.objects.filter(token_hash=invite_token_hash(token or ""), tenant=tenant).first()
    if invite is None or invite.status != "pending":
        raise ApplicationError("This invitation is invalid, already used, or expired.", code="invalid_token",
                               status_code=404)
    return invite


@transaction.atomic
def invite_accept(*, token: str, tenant: Tenant, password: str, first_name: str = "",
                  last_name: str = "", client: str | None = None) -> User:
    """Join the team. A new person sets a password; someone with a login proves it with theirs (a login
    attempt: counted like one for `client`, so whoever holds the link cannot guess the login's password)."""
    invite = invite_for_token(token=token, tenant=tenant)
    invite = Invite.objects.select_for_update().get(pk=invite.pk)
    if invite.status != "pending":
        raise ApplicationError("This invitation is invalid, already used, or expired.", code="invalid_token",
                               status_code=404)
    user = User.objects.filter(email__iexact=invite.email).first()
    if user is None:
        if not password:
            raise ValidationError({"password": ["Choose a password."]})
        try:
            validate_password(password, user=User(email=invite.email))
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from None
        user = User.objects.create_user(email=invite.email, password=password,
                                        first_name=first_name.strip(), last_name=last_name.strip())
    else:
        if client is not None:
            login_check_allowed(email=user.email, ip=client)
        if not password or not user.check_password(password):
            if client is not None:
                login_record_failure(email=user.email, ip=client)
            raise ValidationError({"password": ["Enter the password of your existing ConvoNest login."]})
    Membership.objects.get_or_create(user=user, tenant=tenant, defaults={"role": invite.role})
    invite.accepted_at = timezone.now()
    invite.save(update_fields=["accepted_at"])
    return user
