"""Contacts of one business (tenant schema): people, their consent ledger, segments and imports.

Indexes are chosen for a million contacts per business: GIN on tags and attributes (segment filters),
a GIN full-text index on the name (word-prefix search; pg_trgm is not available, see docs/contacts.md),
pattern-ops btrees for phone and email prefix search, and partial unique indexes for the identities.
"""
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import models
from django.db.models import Q


class ContactSettings(models.Model):
    """One row per business: how contacts are read and written."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    default_region = models.CharField(
        max_length=2, blank=True,
        help_text="ISO 3166 country (e.g. IN) used for numbers written without +country code.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="contactsettings_singleton")]

    def __str__(self) -> str:
        return f"contact settings ({self.default_region or 'no region'})"


class AttributeType(models.TextChoices):
    TEXT = "text", "Text"
    NUMBER = "number", "Number"
    DATE = "date", "Date"
    BOOLEAN = "boolean", "Yes / no"
    CHOICE = "choice", "Choice"


class AttributeDefinition(models.Model):
    """A custom field of this business's contacts. Values live in Contact.attributes under `key`."""

    key = models.CharField(max_length=50, unique=True)
    label = models.CharField(max_length=100)
    type = models.CharField(max_length=10, choices=AttributeType.choices)
    choices = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["label", "id"]

    def __str__(self) -> str:
        return self.key

    @property
    def audit_label(self) -> str:  # how the audit log names it
        return f"{self.label} ({self.key})"


class ConsentState(models.TextChoices):
    UNKNOWN = "unknown", "Unknown"
    OPTED_IN = "opted_in", "Opted in"
    OPTED_OUT = "opted_out", "Opted out"


class Contact(models.Model):
    id = models.BigAutoField(primary_key=True)
    # NULL, not "", when absent: the identities are unique only where present (partial unique indexes).
    phone = models.CharField(max_length=20, null=True, blank=True,  # noqa: DJ001
                             help_text="E.164, e.g. +919876543210")
    wa_user_id = models.CharField(max_length=256, null=True, blank=True,  # noqa: DJ001
                                  help_text="WhatsApp business-scoped user id (BSUID).")
    wa_id = models.CharField(max_length=20, blank=True, help_text="The wa_id Meta last reported.")
    name = models.CharField(max_length=200, blank=True)
    email = models.CharField(max_length=254, blank=True)  # stored lowercased
    language = models.CharField(max_length=16, blank=True)
    tags = ArrayField(models.CharField(max_length=64), default=list, blank=True)  # normalised, sorted
    attributes = models.JSONField(default=dict, blank=True)
    # Denormalised from the consent ledger in the same transaction (services.consent_record).
    marketing_consent = models.CharField(max_length=10, choices=ConsentState.choices, default=ConsentState.UNKNOWN)
    utility_consent = models.CharField(max_length=10, choices=ConsentState.choices, default=ConsentState.UNKNOWN)
    first_seen_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    # Conversation activity, maintained by the messaging module.
    last_inbound_at = models.DateTimeField(null=True, blank=True)
    last_outbound_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Import bookkeeping (apps.contacts.import_sql): the last import that touched the row (negative:
    # it was only skipped) and what that import did to it. Not indexed, so updates stay HOT.
    import_id = models.BigIntegerField(null=True, blank=True, editable=False)
    import_outcome = models.SmallIntegerField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["phone"], condition=Q(phone__isnull=False), name="contact_phone_uniq",
                                    opclasses=["varchar_pattern_ops"]),
            models.UniqueConstraint(fields=["wa_user_id"], condition=Q(wa_user_id__isnull=False),
                                    name="contact_wa_user_id_uniq"),
        ]
        indexes = [
            GinIndex(fields=["tags"], name="contact_tags_gin"),
            GinIndex(fields=["attributes"], name="contact_attributes_gin"),
            GinIndex(SearchVector("name", config="simple"), name="contact_name_search"),
            # Partial: most imported rows have no email and no activity yet, and skip these indexes.
            models.Index(fields=["email"], opclasses=["varchar_pattern_ops"], name="contact_email_prefix",
                         condition=~Q(email="")),
            models.Index(fields=["last_inbound_at"], name="contact_last_inbound",
                         condition=Q(last_inbound_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return self.phone or self.wa_user_id or f"contact {self.pk}"


class ConsentCategory(models.TextChoices):
    MARKETING = "marketing", "Marketing"
    UTILITY = "utility", "Utility"


class ConsentAction(models.TextChoices):
    OPT_IN = "opt_in", "Opted in"
    OPT_OUT = "opt_out", "Opted out"


class ConsentSource(models.TextChoices):
    WEB_FORM = "web_form", "Web form"
    WHATSAPP = "whatsapp", "WhatsApp conversation"
    CHECKOUT = "checkout", "Checkout"
    OFFLINE = "offline", "In person / paper"
    IMPORT = "import", "Import"
    API = "api", "API"
    AGENT = "agent", "Agent"
    KEYWORD = "keyword", "Keyword (e.g. STOP)"
    META_PREFERENCE = "meta_preference", "Meta user preference"
    SUPPRESSION = "suppression", "Earlier opt-out of an erased contact"


class ConsentEvent(models.Model):
    """Append-only: one opt-in or opt-out. A contact's state per category is its latest event."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="consent_events")
    category = models.CharField(max_length=10, choices=ConsentCategory.choices)
    action = models.CharField(max_length=8, choices=ConsentAction.choices)
    source = models.CharField(max_length=20, choices=ConsentSource.choices)
    proof = models.TextField(blank=True, help_text="What the person saw or did, e.g. the form's wording.")
    keyword = models.CharField(max_length=64, blank=True)
    actor_email = models.EmailField(blank=True)  # copied: the ledger outlives memberships
    occurred_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["contact", "category", "-occurred_at", "-id"], name="consent_latest")]

    def __str__(self) -> str:
        return f"{self.contact_id} {self.category} {self.action}"


class Suppression(models.Model):
    """What survives an erased contact who had opted out: a keyed hash of an identity (never the
    identity) and the categories, so a re-created contact with that identity starts opted out."""

    identity_hash = models.CharField(max_length=64, unique=True)
    categories = ArrayField(models.CharField(max_length=10))
    erased_contact_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"suppression of {', '.join(self.categories)}"


class ContactMergeRecord(models.Model):
    """Audit of one merge: `merged_id` was folded into `survivor` and deleted."""

    survivor = models.ForeignKey(Contact, null=True, on_delete=models.SET_NULL, related_name="merges")
    survivor_ref = models.BigIntegerField()  # kept when the survivor is deleted later
    merged_id = models.BigIntegerField()
    actor_email = models.EmailField(blank=True)
    field_winners = models.JSONField(default=dict)  # field -> "survivor" | "merged"
    merged_snapshot = models.JSONField(default=dict)  # the merged contact's profile before the merge
    moved_consent_events = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.merged_id} merged into {self.survivor_ref}"


class Segment(models.Model):
    """A saved dynamic filter (apps.contacts.filters), evaluated in SQL whenever it is used."""

    name = models.CharField(max_length=100, unique=True)
    description = models.CharField(max_length=500, blank=True)
    filter = models.JSONField()
    created_by_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_label(self) -> str:  # how the audit log names it
        return self.name


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class OnExisting(models.TextChoices):
    UPDATE = "update", "Update existing contacts"
    SKIP = "skip", "Skip existing contacts"


class ContactImport(models.Model):
    """One CSV import. Counters are committed with each chunk of rows, so they are live and resumable."""

    status = models.CharField(max_length=8, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    file_name = models.CharField(max_length=255)  # as uploaded, for people
    file_path = models.CharField(max_length=255)  # in apps.contacts.storage; cleared when the file is gone
    file_size = models.BigIntegerField(default=0)
    encoding = models.CharField(max_length=16, default="utf-8")
    delimiter = models.CharField(max_length=1, default=",")
    mapping = models.JSONField(default=dict)  # csv column -> target (resolved)
    on_existing = models.CharField(max_length=6, choices=OnExisting.choices, default=OnExisting.UPDATE)
    tags = ArrayField(models.CharField(max_length=64), default=list, blank=True)
    total_rows = models.PositiveIntegerField(null=True, blank=True)  # estimate while running, exact when done
    processed_rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)
    failure = models.CharField(max_length=500, blank=True)
    created_by_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"import {self.pk} of {self.file_name}"

    @property
    def audit_label(self) -> str:  # the file's name (its rows stay out of the log)
        return self.file_name


class ContactImportError(models.Model):
    """One problem in one row of an import (a row may have several)."""

    contact_import = models.ForeignKey(ContactImport, on_delete=models.CASCADE, related_name="row_errors")
    row_number = models.PositiveIntegerField()  # as in a spreadsheet: the header is row 1
    column = models.CharField(max_length=200, blank=True)
    value = models.CharField(max_length=200, blank=True)
    reason = models.CharField(max_length=300)

    class Meta:
        indexes = [models.Index(fields=["contact_import", "row_number"], name="import_error_row")]

    def __str__(self) -> str:
        return f"row {self.row_number}: {self.reason}"
