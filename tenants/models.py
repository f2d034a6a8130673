"""The control plane, in the public schema: businesses, their hosts, people and who may act where."""
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django_tenants.models import DomainMixin, TenantMixin


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
    # Access tokens issued before this are refused (apps.core.auth): a password change or reset ends every
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


class WebhookEvent(models.Model):
    """One POST from Meta, stored raw before anything else happens (Meta can't resend old events).

    Unique on the body's hash: a redelivered POST is a no-op. The router splits it into WebhookChange rows.
    """

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        PROCESSED = "processed", "Processed"
        FAILED = "failed", "Failed (will be retried by the sweeper)"
        DEAD = "dead", "Dead (attempts exhausted or unreadable; needs a person)"

    # Emptied ("") by the retention job once processed (WEBHOOK_BODY_RETENTION_HOURS); sha256 stays for dedup.
    body = models.TextField()
    sha256 = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    attempts = models.PositiveSmallIntegerField(default=0)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    # Until then a route task is (or may be) queued or running, so the sweeper leaves the event alone; after a
    # failure it is the back-off (tenants.webhook_router).
    lease_until = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True, help_text="Why the last attempt failed, or why the event is dead")
    redacted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "received_at"], name="webhook_event_pending")]

    def __str__(self) -> str:
        return f"webhook {self.pk} ({self.status})"


class WebhookChange(models.Model):
    """One `entry[].changes[]` of an event, with the business it belongs to (or none: unroutable)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Routed, not handled yet"
        HANDLED = "handled", "Handled"
        UNROUTABLE = "unroutable", "No business owns this number/account"
        FAILED = "failed", "Handler failed"
        REJECTED = "rejected", "Not what Meta sends (see error); not handled"

    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="changes")
    position = models.PositiveIntegerField(help_text="Order within the event")
    field = models.CharField(max_length=64)
    phone_number_id = models.CharField(max_length=32, blank=True)
    waba_id = models.CharField(max_length=32, blank=True)
    tenant = models.ForeignKey(Tenant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    error = models.TextField(blank=True)
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "position"], name="uniq_webhook_change")]

    def __str__(self) -> str:
        return f"{self.field} of event {self.event_id} ({self.status})"
