"""Broadcast campaigns, in the business's own schema (design §5.3).

A campaign sends one approved template (or, in an A/B test, one of a few) from one number to an audience. Its
recipients are materialised once, in SQL, when it starts (apps.campaigns.audience); from then on each recipient
is a row with its state, its message and its error. Once a recipient has its Message, the message's status is
the truth (sent, delivered, read, failed): statuses are applied to messages only, and the funnel reads them.
"""
from django.db import models
from django.db.models import Q


class Campaign(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        RUNNING = "running", "Running"
        PAUSED = "paused", "Paused"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"
        FAILED = "failed", "Failed"

    name = models.CharField(max_length=200)
    phone_number = models.ForeignKey("whatsapp.PhoneNumber", on_delete=models.PROTECT, related_name="campaigns")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    status_reason = models.CharField(max_length=500, blank=True, help_text="Why it is paused, failed or waiting")
    audience = models.JSONField(help_text="Exactly one of segment_id, tags, contact_ids, import_id, all_opted_in, "
                                          "retarget")
    schedule_at = models.DateTimeField(null=True, blank=True)
    throughput_cap = models.PositiveIntegerField(null=True, blank=True, help_text="Messages a second, at most")
    quiet_hours = models.JSONField(null=True, blank=True, help_text='{"start": "21:00", "end": "08:00"} in each '
                                                                    "recipient's time zone")
    send_at_local_time = models.TimeField(null=True, blank=True, help_text="Each recipient at this local time")
    reply_window_hours = models.PositiveSmallIntegerField(default=24)
    split_across_days = models.BooleanField(default=False, help_text="Keep within the daily messaging limit, "
                                                                     "going on the next day")
    ab_test = models.JSONField(null=True, blank=True, help_text="test_percent, metric, decide_after_minutes")
    winner_variant = models.PositiveSmallIntegerField(null=True, blank=True)
    decide_at = models.DateTimeField(null=True, blank=True, help_text="When the A/B test picks its winner")
    retarget_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    retarget_stage = models.CharField(max_length=24, blank=True)
    excluded_opted_out = models.PositiveIntegerField(default=0)
    excluded_unreachable = models.PositiveIntegerField(default=0)
    excluded_duplicates = models.PositiveIntegerField(default=0)
    # One dispatcher per campaign: whoever holds an unexpired lease (apps.campaigns.dispatcher).
    lease_token = models.UUIDField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    waiting_reason = models.CharField(max_length=24, blank=True, help_text="quiet_hours, daily_limit, local_time, "
                                                                           "ab_decision, backoff")
    next_run_at = models.DateTimeField(null=True, blank=True)
    rate_current = models.FloatField(default=0, help_text="Messages a second over the dispatcher's last seconds")
    materialised_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_by_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["status"], name="campaign_status")]

    def __str__(self) -> str:
        return f"{self.name} ({self.status})"

    @property
    def audit_label(self) -> str:
        return self.name

    @property
    def is_final(self) -> bool:
        return self.status in (self.Status.COMPLETED, self.Status.CANCELLED, self.Status.FAILED)


class CampaignVariant(models.Model):
    """The template a share of the recipients gets: one variant (A) for a plain campaign, more for an A/B test."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="variants")
    index = models.PositiveSmallIntegerField()
    template = models.ForeignKey("templates.Template", on_delete=models.PROTECT, related_name="+")
    mapping = models.JSONField(default=dict, blank=True, help_text="The templates.mapping shape")

    class Meta:
        ordering = ["index"]
        constraints = [models.UniqueConstraint(fields=["campaign", "index"], name="campaign_variant_index")]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.label}"

    @property
    def label(self) -> str:
        return chr(ord("A") + self.index)


class CampaignRecipient(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        HELD = "held", "Held back until the A/B test picks its winner"
        QUEUED = "queued", "Handed to the outbox (the message's status tells the rest)"
        SKIPPED = "skipped", "Not sent"

    id = models.BigAutoField(primary_key=True)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="recipients")
    # A plain column, no foreign key: a million-row INSERT ... SELECT stays one cheap statement, and a deleted
    # contact keeps its line in the report.
    contact_id = models.BigIntegerField(null=True, blank=True)
    identity = models.CharField(max_length=256, help_text="Meta's `to`: wa_id, else the phone's digits, else BSUID")
    country = models.CharField(max_length=2, blank=True)
    time_zone = models.CharField(max_length=64, blank=True)
    variant = models.PositiveSmallIntegerField(null=True, blank=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    message = models.OneToOneField("messaging.Message", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="campaign_recipient")
    skip_reason = models.CharField(max_length=24, blank=True)
    error_code = models.IntegerField(null=True, blank=True)
    error_title = models.CharField(max_length=300, blank=True)
    not_before = models.DateTimeField(null=True, blank=True, help_text="Not sent before this: materialisation, "
                                      "the local send time, quiet hours, a back-off")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "identity"], name="campaign_recipient_identity")]
        indexes = [
            # The dispatcher's next batch: pending rows that are due, without scanning those that wait.
            models.Index(fields=["campaign", "not_before", "id"], condition=Q(state="pending"),
                         name="campaign_recipient_due"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.identity} ({self.state})"
