"""Writes of the partner console: reseller signup, client businesses, entering one, and the reseller's team.

Every function that acts for a reseller takes the acting `PartnerMember`; businesses are reached through
selectors.access_business, so another reseller's business is a 404 whatever the door.
"""
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
from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone
from rest_framework.exceptions import PermissionDenied

from apps.core.errors import ApplicationError, Conflict
from tenants.hosts import partners_console_url
from tenants.login_throttle import login_check_allowed, login_record_failure
from tenants.models import Reseller, ResellerMembership, ResellerRole, Role, Tenant, User
from tenants.partners.models import ResellerEvent, ResellerInvite
from tenants.partners.permissions import PartnerCapability, PartnerMember
from tenants.selectors import RESELLER_ROLE_IN_TENANT
from tenants.services import invite_send, invite_token_hash, login_handoff_url, tenant_create
from tenants.slugs import slug_format_problem
from tenants.tasks import webhooks_replay_for_tenant

HANDOFF_SALT = "convonest.partners-handoff"
HANDOFF_MAX_AGE = 300

# Sent after a reseller's person enters a business, and after the business turns its reseller's access off or on:
# the business's own audit log (apps.audit, in its schema) is written by the tenant app that owns it (apps.accounts).
business_entered = Signal()  # tenant, user, role
# Sent inside the suspension's transaction: tenant apps stop what would still go out (campaigns pause).
business_suspended = Signal()  # tenant


def event_log(reseller: Reseller, action: str, *, actor: User | None = None, tenant: Tenant | None = None,
              subject_email: str = "", **detail) -> ResellerEvent:
    return ResellerEvent.objects.create(
        reseller=reseller, action=action, actor_email=actor.email if actor else "", tenant=tenant,
        tenant_name=tenant.name if tenant else "", subject_email=subject_email, detail=detail)


# --- Signup and sign-in ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ResellerSignupResult:
    reseller: Reseller
    user: User
    login_url: str


def _reseller_slug_problem(slug: str) -> str | None:
    problem = slug_format_problem(slug)
    if problem:
        return problem
    return "This name is already taken." if Reseller.objects.filter(slug=slug).exists() else None


def reseller_signup(*, company_name: str, slug: str, email: str, password: str,
                    client: str | None = None) -> ResellerSignupResult:
    """A reseller with its first admin. An email with a ConvoNest login must prove its password (a login attempt,
    counted for `client` like tenants.services.tenant_signup)."""
    email = email.strip().lower()
    problem = _reseller_slug_problem(slug)
    if problem:
        raise ValidationError({"slug": [problem]})
    try:
        validate_password(password, user=User(email=email))
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    if client is not None:
        login_check_allowed(email=email, ip=client)
    user = User.objects.filter(email__iexact=email).first()
    if user is not None and not user.check_password(password):
        if client is not None:
            login_record_failure(email=email, ip=client)
        raise ValidationError({"email": ["This email already has a ConvoNest login; enter its password."]})
    try:
        with transaction.atomic():
            reseller = Reseller.objects.create(name=company_name.strip(), slug=slug)
            if user is None:
                user = User.objects.create_user(email=email, password=password)
            ResellerMembership.objects.create(user=user, reseller=reseller, role=ResellerRole.ADMIN)
            event_log(reseller, ResellerEvent.Action.RESELLER_CREATED, actor=user)
    except IntegrityError:
        raise ValidationError({"slug": ["This name is already taken."]}) from None
    return ResellerSignupResult(reseller=reseller, user=user, login_url=console_handoff_url(user=user,
                                                                                              reseller=reseller))


def console_handoff_url(*, user: User, reseller: Reseller) -> str:
    token = signing.dumps({"u": user.pk, "r": reseller.pk, "n": uuid.uuid4().hex}, salt=HANDOFF_SALT)
    return f"{partners_console_url()}/partners/welcome?token={token}"


def console_handoff_consume(*, token: str) -> tuple[User, Reseller]:
    """The user and reseller a console handoff names, if fresh, unused and still a membership. Single use."""
    invalid = ApplicationError("This sign-in link is invalid or has expired. Please log in.", code="invalid_token")
    try:
        data = signing.loads(token, salt=HANDOFF_SALT, max_age=HANDOFF_MAX_AGE)
    except signing.BadSignature:
        raise invalid from None
    if not caches["global"].add(f"partners-handoff-used:{data['n']}", 1, timeout=HANDOFF_MAX_AGE * 2):
        raise invalid
    membership = (ResellerMembership.objects.select_related("user", "reseller")
                  .filter(user_id=data.get("u"), reseller_id=data.get("r"), user__is_active=True,
                          reseller__is_active=True).first())
    if membership is None:
        raise invalid
    return membership.user, membership.reseller


# --- Client businesses -------------------------------------------------------------------------------------------

def _require(actor: PartnerMember, capability: PartnerCapability, message: str) -> None:
    if not actor.can(capability):
        raise PermissionDenied(message)


def business_create(*, actor: PartnerMember, business_name: str, slug: str, owner_email: str) -> Tenant:
    """A business for a client of the reseller, on a schema from the warm pool; its owner gets an invitation
    (they choose their own password). The reseller's people act in it through their reseller role."""
    _require(actor, PartnerCapability.MANAGE_BUSINESSES, "Only reseller admins can create businesses.")
    with transaction.atomic():
        tenant = tenant_create(business_name=business_name, slug=slug, reseller=actor.reseller)
        invite_send(tenant=tenant, email=owner_email, role=Role.OWNER, invited_by=actor.user)
        event_log(actor.reseller, ResellerEvent.Action.BUSINESS_CREATED, actor=actor.user, tenant=tenant,
                  subject_email=owner_email.strip().lower())
    return tenant


def business_suspend(*, actor: PartnerMember, tenant: Tenant, reason: str = "") -> Tenant:
    """Its host answers as unknown (every session and API call stops) and its campaigns pause until it is resumed.
    What Meta sends for its numbers meanwhile is kept as unroutable and routed when it resumes: nothing is lost."""
    _require(actor, PartnerCapability.MANAGE_BUSINESSES, "Only reseller admins can suspend businesses.")
    with transaction.atomic():
        updated = Tenant.objects.filter(pk=tenant.pk, is_active=True).update(is_active=False,
                                                                              suspended_at=timezone.now())
        if not updated:
            raise Conflict("This business is already suspended.", code="invalid_transition")
        event_log(actor.reseller, ResellerEvent.Action.BUSINESS_SUSPENDED, actor=actor.user, tenant=tenant,
                  reason=reason[:500])
        business_suspended.send(sender=Tenant, tenant=tenant)
    tenant.refresh_from_db()
    return tenant


def business_resume(*, actor: PartnerMember, tenant: Tenant) -> Tenant:
    _require(actor, PartnerCapability.MANAGE_BUSINESSES, "Only reseller admins can resume businesses.")
    with transaction.atomic():
        updated = Tenant.objects.filter(pk=tenant.pk, is_active=False, suspended_at__isnull=False).update(
            is_active=True, suspended_at=None)
        if not updated:
            raise Conflict("This business is not suspended.", code="invalid_transition")
        event_log(actor.reseller, ResellerEvent.Action.BUSINESS_RESUMED, actor=actor.user, tenant=tenant)
        # What Meta sent meanwhile was kept as unroutable (a suspended business receives nothing): route it now.
        transaction.on_commit(lambda: webhooks_replay_for_tenant.delay(tenant.pk))
    tenant.refresh_from_db()
    return tenant


def business_enter(*, actor: PartnerMember, tenant: Tenant) -> str:
    """A single-use sign-in link to the business's host for the acting reseller person, as the role their reseller
    role grants there. Audited on both sides: here, and in the business's team log (business_entered)."""
    _require(actor, PartnerCapability.ENTER_BUSINESSES, "You may not enter this reseller's businesses.")
    if not tenant.is_active:
        raise Conflict("This business is suspended. Resume it to enter.", code="business_suspended")
    if not tenant.reseller_access:
        raise ApplicationError("This business has turned off its reseller's access. Its owner can turn it back "
                               "on in Settings → Team.", code="reseller_access_revoked", status_code=403)
    role = RESELLER_ROLE_IN_TENANT[actor.role]
    event_log(actor.reseller, ResellerEvent.Action.BUSINESS_ENTERED, actor=actor.user, tenant=tenant, role=role)
    business_entered.send(sender=Tenant, tenant=tenant, user=actor.user, role=role)
    return login_handoff_url(user=actor.user, tenant=tenant, via_reseller=True)


# --- The reseller's team -----------------------------------------------------------------------------------------

def _check_can_grant(actor: PartnerMember) -> None:
    _require(actor, PartnerCapability.MANAGE_TEAM, "Only reseller admins can manage the team.")


def _ensure_an_admin_remains(membership: ResellerMembership) -> None:
    if membership.role == ResellerRole.ADMIN and ResellerMembership.objects.filter(
            reseller_id=membership.reseller_id, role=ResellerRole.ADMIN).count() <= 1:
        raise Conflict("A reseller needs at least one admin.", code="last_admin")


def member_role_change(*, actor: PartnerMember, membership: ResellerMembership, role: str) -> ResellerMembership:
    _check_can_grant(actor)
    if role == membership.role:
        return membership
    with transaction.atomic():
        membership = ResellerMembership.objects.select_for_update().get(pk=membership.pk)
        if role != ResellerRole.ADMIN:
            _ensure_an_admin_remains(membership)
        old, membership.role = membership.role, role
        membership.save(update_fields=["role"])
        event_log(actor.reseller, ResellerEvent.Action.ROLE_CHANGED, actor=actor.user,
                  subject_email=membership.user.email, old=old, new=role)
    return membership


def member_remove(*, actor: PartnerMember, membership: ResellerMembership) -> None:
    _check_can_grant(actor)
    with transaction.atomic():
        membership = ResellerMembership.objects.select_for_update().get(pk=membership.pk)
        _ensure_an_admin_remains(membership)
        membership.delete()
        event_log(actor.reseller, ResellerEvent.Action.MEMBER_REMOVED, actor=actor.user,
                  subject_email=membership.user.email)


def invite_create(*, actor: PartnerMember, email: str, role: str) -> ResellerInvite:
    """Invite someone to the reseller's team; the link goes only to their mailbox."""
    _check_can_grant(actor)
    email = email.strip().lower()
    if ResellerMembership.objects.filter(reseller=actor.reseller, user__email__iexact=email).exists():
        raise ValidationError({"email": ["This person is already on the team."]})
    token = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            invite = ResellerInvite.objects.create(
                reseller=actor.reseller, email=email, role=role, invited_by=actor.user,
                token_hash=invite_token_hash(token),
                expires_at=timezone.now() + timedelta(days=settings.INVITE_LIFETIME_DAYS))
            event_log(actor.reseller, ResellerEvent.Action.INVITE_SENT, actor=actor.user, subject_email=email,
                      role=role)
    except IntegrityError:
        raise ValidationError({"email": ["An invite to this address is already pending. Revoke it to send a new "
                                         "one."]}) from None
    link = f"{partners_console_url()}/partners/invite/accept#token={token}"
    reseller_name, inviter = actor.reseller.name, actor.user.email
    transaction.on_commit(lambda: send_mail(
        subject=f"You're invited to {reseller_name}'s partner console on ConvoNest",
        message=f"{inviter} invited you to {reseller_name} as {ResellerRole(role).label}.\n\n"
                f"Accept the invitation: {link}\n\nThe link expires in {settings.INVITE_LIFETIME_DAYS} days.",
        from_email=None, recipient_list=[email]))
    return invite


def invite_revoke(*, actor: PartnerMember, invite: ResellerInvite) -> None:
    _check_can_grant(actor)
    if invite.status != "pending":
        raise Conflict(f"This invite is already {invite.status}.", code="invite_not_pending")
    invite.revoked_at = timezone.now()
    invite.save(update_fields=["revoked_at"])
    event_log(actor.reseller, ResellerEvent.Action.INVITE_REVOKED, actor=actor.user, subject_email=invite.email)


def invite_for_token(*, token: str) -> ResellerInvite:
    invite = ResellerInvite.objects.select_related("reseller").filter(token_hash=invite_token_hash(token or "")).first()
    if invite is None or invite.status != "pending" or not invite.reseller.is_active:
        raise ApplicationError("This invitation is invalid, already used, or expired.", code="invalid_token",
                               status_code=404)
    return invite


@transaction.atomic
def invite_accept(*, token: str, password: str, first_name: str = "", last_name: str = "",
                  client: str | None = None) -> tuple[User, Reseller]:
    """Join the reseller's team: a new person sets a password; someone with a login proves it (a login attempt)."""
    invite = ResellerInvite.objects.select_for_update().get(pk=invite_for_token(token=token).pk)
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
        user = User.objects.create_user(email=invite.email, password=password, first_name=first_name.strip(),
                                        last_name=last_name.strip())
    else:
        if client is not None:
            login_check_allowed(email=user.email, ip=client)
        if not password or not user.check_password(password):
            if client is not None:
                login_record_failure(email=user.email, ip=client)
            raise ValidationError({"password": ["Enter the password of your existing ConvoNest login."]})
    ResellerMembership.objects.get_or_create(user=user, reseller=invite.reseller, defaults={"role": invite.role})
    invite.accepted_at = timezone.now()
    invite.save(update_fields=["accepted_at"])
    event_log(invite.reseller, ResellerEvent.Action.MEMBER_JOINED, actor=user, subject_email=user.email,
              role=invite.role)
    return user, invite.reseller
