"""The control plane, in the public schema: businesses, their hosts, people and who may act where (and the
webhook inbox, defined in tenants.ingress.models)."""
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django_tenants.models import DomainMixin, TenantMixin

# The webhook inbox's and billing's tables live with their code; imported here so they stay models of this app.
from tenants.billing.models import OverageCharge, Plan, StripeEvent, Subscription, UsageCounter  # noqa: F401
from tenants.branding.models import DomainClaim, ResellerBrand  # noqa: F401
from tenants.ingress.models import WebhookChange, WebhookEvent  # noqa: F401
from tenants.partners.models import ResellerEvent, ResellerInvite  # noqa: F401


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    ADMIN = "admin", "Admin"
    AGENT = "agent", "Agent"



class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        if not email:
            raise ValueError("Users need an email address")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str, **fields) -> "User":
        return self.create_user(email, password, is_staff=True, is_superuser=True, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Global: one login may belong to several businesses through Membership."""

    email = models.EmailField(unique=True)
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Platform staff (ConvoNest employees).")
    date_joined = models.DateTimeField(default=timezone.now)
    # Access tokens issued before this are refused (tenants.auth): a password change or reset ends every
    # session at once, not when the last access token runs out. In the row that authentication loads anyway.
    password_changed_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    def __str__(self) -> str:
        return self.email

    def set_password(self, raw_password) -> None:
        """Every way a password is set (change, reset, invitation, admin) ends the access tokens issued before.
        A hash upgrade at login saves only `password`, so it doesn't count as a change."""
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()


class Reseller(models.Model):
    """An agency or partner that runs many businesses (tenants) for its clients."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=63, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    is_active = models.BooleanField(default=True, help_text="Platform staff can suspend a whole reseller.")

    def __str__(self) -> str:
        return self.name


class ResellerRole(models.TextChoices):
    ADMIN = "admin", "Reseller admin"
    SUPPORT = "support", "Reseller support"


class ResellerMembership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reseller_memberships")
    reseller = models.ForeignKey(Reseller, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=ResellerRole.choices, default=ResellerRole.SUPPORT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "reseller"], name="uniq_reseller_membership")]

    def __str__(self) -> str:
        return f"{self.user_id} in reseller {self.reseller_id} as {self.role}"


class Tenant(TenantMixin):
    """A business: one PostgreSQL schema, one subdomain, its own WhatsApp credentials."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=63, unique=True)
    reseller = models.ForeignKey(Reseller, null=True, blank=True, on_delete=models.PROTECT, related_name="tenants")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when the reseller (or staff) suspends the business: its host answers as unknown until it is resumed.
    suspended_at = models.DateTimeField(null=True, blank=True)
    # The owner's switch (audit L8): off, the reseller's people lose every role here at once; the reseller still
    # sees the business in its console (plan, usage, health) but can no longer enter it.
    reseller_access = models.BooleanField(default=True)

    # Signup renames a pre-migrated pool schema to this tenant's name first (tenants.schema_pool), so
    # save() finds the schema present and skips migrating; without a pooled schema it migrates inline.
    auto_create_schema = True
    auto_drop_schema = False

    def __str__(self) -> str:
        return self.slug


class Domain(DomainMixin):
    """A host that serves a tenant: {slug}.BASE_DOMAIN, or a custom domain the business owns."""


class Membership(models.Model):
    """Who belongs to which business, with which role. Checked on every tenant API request."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.AGENT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "tenant"], name="uniq_membership")]
        indexes = [models.Index(fields=["tenant", "created_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.tenant_id} as {self.role}"


class Invite(models.Model):
    """An invitation to join a tenant. Only a hash of its token is stored; the token is single-use."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="invites")
    email = models.EmailField()
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.AGENT)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # One open invite per address and tenant; accepted or revoked ones stay as history.
            models.UniqueConstraint(
                "tenant", Lower("email"),
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="uniq_open_invite",
            )
        ]
        indexes = [models.Index(fields=["tenant", "created_at"])]

    def __str__(self) -> str:
        return f"invite of {self.email} to {self.tenant_id}"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"


class PooledSchema(models.Model):
    """A migrated, empty tenant schema waiting to be handed to the next signup.

    `fingerprint` names the migration state it was built at; a schema built by older code is dropped,
    never handed out (see tenants.schema_pool).
    """

    schema_name = models.CharField(max_length=63, unique=True)
    fingerprint = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.schema_name


class PhoneNumberRoute(models.Model):
    """Which business owns a WhatsApp phone_number_id: how Meta's shared webhook finds its tenant.

    Written in the same transaction as the tenant's own PhoneNumber row (apps.whatsapp.services).
    Unique, so a number can never be connected to two businesses.
    """

    phone_number_id = models.CharField(max_length=32, unique=True)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="phone_number_routes")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.phone_number_id} -> {self.tenant_id}"


class WabaRoute(models.Model):
    """Which business owns a WhatsApp Business Account: routes template and account webhooks."""

    waba_id = models.CharField(max_length=32, unique=True)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="waba_routes")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.waba_id} -> {self.tenant_id}"


class DeletionRequest(models.Model):
    """A business's deletion, from the owner's request to the schema's drop (tenants.deletion_schedule).

    Public, and not cascaded: the tenant's own audit log goes with its schema, so this row is the record that
    survives the deletion (who asked, when, when it ran). Names are copied for the same reason. An operator's
    `manage.py delete_business` leaves one too, with no requester.
    """

    class Source(models.TextChoices):
        OWNER = "owner", "The owner, after the grace period"
        OPERATOR = "operator", "An operator (manage.py delete_business)"

    tenant = models.ForeignKey(Tenant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    tenant_slug = models.SlugField(max_length=63)
    tenant_name = models.CharField(max_length=200)
    schema_name = models.CharField(max_length=63)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.OWNER)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    requested_by_email = models.EmailField(blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by_email = models.EmailField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # The archived schema's name when an operator archived instead of dropping; empty when dropped.
    archived_as = models.CharField(max_length=63, blank=True)

    class Meta:
        constraints = [
            # One open request per business; cancelled and completed ones stay as history.
            models.UniqueConstraint(fields=["tenant"], name="uniq_open_deletion_request",
                                    condition=models.Q(cancelled_at__isnull=True, completed_at__isnull=True)),
        ]
        indexes = [models.Index(fields=["due_at"], name="deletion_open_due",
                                condition=models.Q(cancelled_at__isnull=True, completed_at__isnull=True))]

    def __str__(self) -> str:
        return f"deletion of {self.tenant_slug} due {self.due_at:%Y-%m-%d %H:%M}"
