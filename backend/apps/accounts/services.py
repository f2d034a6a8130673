"""Team changes as the tenant sees them: the control-plane write plus the business's audit log.

Membership and invites live in the public schema (tenants.services); the audit log lives in the tenant's
schema. Both are written in one transaction, on the tenant's connection (search_path: tenant, public).
"""
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tenants.utils import schema_context

from apps.audit.context import automation
from apps.audit.recorder import record
from tenants import services as control
from tenants.login_throttle import email_digest, window_count
from tenants.members import Member, member_of
from tenants.models import Invite, Membership, Tenant, User
from tenants.partners.models import ResellerEvent
from tenants.partners.services import event_log
from tenants.selectors import tenant_role_for

STRIPE = automation("stripe", "Stripe billing")


def _record(actor: Member, action: str, *, subject: User | None = None, subject_email: str = "", **detail) -> None:
    """A team change in the audit log: its target is the person it concerned (a member, or an invited address)."""
    if subject is not None:
        record(actor, action, target_type="user", target_id=subject.pk, target_label=subject.email, detail=detail)
    else:
        record(actor, action, target_type="invite", target_label=subject_email, detail=detail)


@transaction.atomic
def team_role_change(*, membership: Membership, role: str, actor: Member) -> Membership:
    old_role = membership.role
    membership = control.member_role_change(membership=membership, role=role, actor=actor)
    if old_role != role:
        record(actor, "team.role_changed", target_type="user", target_id=membership.user.pk,
               target_label=membership.user.email, changes={"role": [old_role, role]})
    return membership


@transaction.atomic
def team_member_remove(*, membership: Membership, actor: Member) -> None:
    user, role = membership.user, membership.role
    control.member_remove(membership=membership, actor=actor)
    _record(actor, "team.member_removed", subject=user, role=role)


@transaction.atomic
def team_invite(*, email: str, role: str, actor: Member) -> Invite:
    invite, _token = control.invite_create(email=email, role=role, actor=actor)
    _record(actor, "team.invite_sent", subject_email=invite.email, role=role)
    return invite


@transaction.atomic
def team_invite_revoke(*, invite: Invite, actor: Member) -> None:
    control.invite_revoke(invite=invite)
    _record(actor, "team.invite_revoked", subject_email=invite.email)


@transaction.atomic
def team_join(*, tenant: Tenant, token: str, password: str, first_name: str = "", last_name: str = "",
              client: str | None = None) -> User:
    user = control.invite_accept(tenant=tenant, token=token, password=password, first_name=first_name,
                                 last_name=last_name, client=client)
    _record(member_of(user=user, tenant=tenant), "team.member_joined", subject=user)
    return user


@transaction.atomic
def session_started(*, member: Member | None, method: str) -> None:
    """A sign-in to the business (password, or a single-use handoff link), in its audit log with where from."""
    record(member, "auth.login", detail={"method": method})


@transaction.atomic
def password_change(*, actor: Member, serializer) -> None:
    """dj-rest-auth's change (it checked the old password), with the audit event in the same transaction."""
    serializer.save()
    record(actor, "auth.password_changed", target_type="user", target_id=actor.user.pk,
           target_label=actor.user.email)


# --- Password reset -----------------------------------------------------------------------------

def _reset_mail_allowed(email: str) -> bool:
    """At most PASSWORD_RESET_MAILS_PER_HOUR requests per address per hour, across every business.
    Counted for every address alike, known or not, so the count says nothing either."""
    return window_count(f"reset-mail:{email_digest(email)}", 3600) <= settings.PASSWORD_RESET_MAILS_PER_HOUR


def password_reset_request(*, tenant: Tenant, email: str) -> None:
    """Queue a reset mail. No lookup here: a member and a stranger cost the request the same."""
    from apps.accounts.tasks import password_reset_mail

    email = email.strip().lower()
    if _reset_mail_allowed(email):
        transaction.on_commit(lambda: password_reset_mail.delay(tenant_id=tenant.pk, email=email))


def _may_reset_here(*, user: User, tenant: Tenant) -> bool:
    # Members, and people invited here who already have a login (perhaps one they forgot, or one
    # somebody else signed up with their address): the mail goes to the address's owner either way.
    if tenant_role_for(user=user, tenant=tenant) is not None:
        return True
    return Invite.objects.filter(tenant=tenant, email__iexact=user.email, accepted_at__isnull=True,
                                 revoked_at__isnull=True, expires_at__gt=timezone.now()).exists()


def password_reset_mail_send(*, tenant_id: int, email: str) -> bool:
    """Mail a reset link on the business's own host, if the address may reset there. The uid and token
    travel in the link's fragment, which browsers never send to a server (no access logs)."""
    tenant = Tenant.objects.filter(pk=tenant_id, is_active=True).first()
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if tenant is None or user is None or not _may_reset_here(user=user, tenant=tenant):
        return False
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = f"{control.tenant_url(tenant)}/reset-password#uid={uid}&token={token}"
    send_mail(
        subject=f"Reset your ConvoNest password for {tenant.name}",
        message=f"Someone asked to reset the password of {user.email}.\n\n"
                f"Choose a new password: {link}\n\nIf it wasn't you, ignore this email.",
        from_email=None, recipient_list=[user.email],
    )
    return True


def record_reseller_entry(*, tenant: Tenant, user: User, role: str, **_) -> None:
    """The business's side of a reseller person entering it (business_entered): in its own audit log."""
    with schema_context(tenant.schema_name), transaction.atomic():
        _record(Member(user=user, tenant=tenant, role=role), "team.reseller_entered", subject=user, role=role)


def record_domain_change(*, tenant: Tenant, claim, change: str, actor: Member | None, **_) -> None:
    """A custom domain of the business added, verified or removed (tenants.branding's domain_changed)."""
    with schema_context(tenant.schema_name):
        record(actor, f"domain.{change}", target_type="domain", target_id=claim.pk, target_label=claim.domain)


def record_subscription_change(*, tenant: Tenant, changes: dict, source: str, **_) -> None:
    """The plan or status moved (tenants.billing's subscription_changed): Stripe's events, or the reseller's wallet."""
    by = STRIPE if source == "stripe" else automation("reseller_billing", "Reseller billing")
    with schema_context(tenant.schema_name):
        record(by, "billing.subscription_changed", target_type="subscription", target_label=tenant.name,
               changes=changes)


@transaction.atomic
def reseller_access_set(*, actor: Member, enabled: bool) -> Tenant:
    """The owner lets the business's reseller in, or keeps it out (its people lose their roles here at once).
    Recorded on both sides: this business's audit log and the reseller's."""
    tenant = Tenant.objects.select_for_update().get(pk=actor.tenant.pk)
    if tenant.reseller_id is None or tenant.reseller_access == enabled:
        return tenant
    tenant.reseller_access = enabled
    tenant.save(update_fields=["reseller_access"])
    record(actor, "team.reseller_access_changed", target_type="reseller", target_id=tenant.reseller_id,
           target_label=tenant.reseller.name, changes={"reseller_access": [not enabled, enabled]})
    event_log(tenant.reseller, ResellerEvent.Action.ACCESS_RESTORED if enabled else ResellerEvent.Action.ACCESS_REVOKED,
              actor=actor.user, tenant=tenant)
    return tenant
