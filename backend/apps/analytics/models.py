"""The dashboard's pre-aggregated tables, in the business's schema (docs/analytics.md).

They are maintained by PostgreSQL statement-level triggers on messaging_message and messaging_conversation
(rollup.py, installed by migration 0002), in the transaction of the write they count: a status applied twice (Meta
redelivers) changes no row, so it changes no count; a rolled-back write leaves no count behind. Days are the
business's (InboxSettings.timezone); `analytics_rebuild` recomputes them from the raw rows.
"""
from django.db import models


class DailyMessageStats(models.Model):
    """Messages created on `day` (the business's date), by direction, Meta's pricing category and the person who
    sent them (agent_id 0: a customer, an automation, a campaign), counted by the status each has now (cumulative:
    a read message was also sent and delivered)."""

    day = models.DateField()
    direction = models.CharField(max_length=3)
    category = models.CharField(max_length=32, blank=True)
    agent_id = models.BigIntegerField(default=0)
    messages = models.BigIntegerField(default=0)
    sent = models.BigIntegerField(default=0)
    delivered = models.BigIntegerField(default=0)
    read = models.BigIntegerField(default=0)
    failed = models.BigIntegerField(default=0)
    billable = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "direction", "category", "agent_id"],
                                               name="analytics_message_day_key")]

    def __str__(self) -> str:
        return f"{self.day} {self.direction} {self.category or '-'} agent {self.agent_id}: {self.messages}"


class DailyAgentStats(models.Model):
    """Per person and day (the business's): first responses and resolutions with their summed durations, folded
    from ResponseFact."""

    day = models.DateField()
    agent_id = models.BigIntegerField(default=0)
    first_responses = models.BigIntegerField(default=0)
    first_response_seconds = models.FloatField(default=0)
    resolutions = models.BigIntegerField(default=0)
    resolution_seconds = models.FloatField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "agent_id"], name="analytics_agent_day_key")]

    def __str__(self) -> str:
        return f"{self.day} agent {self.agent_id}"


class ConversationClock(models.Model):
    """A conversation's open episode: since when the customer has been waiting for a first answer (opened_at: the
    first inbound message after the conversation began or was resolved) and whether a person answered yet."""

    conversation_id = models.BigIntegerField(primary_key=True)
    opened_at = models.DateTimeField(null=True)
    responded = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"clock of {self.conversation_id}"


class ResponseFact(models.Model):
    """One first response (the first reply by a person after an episode opened) or one resolution (the episode's
    end): the raw rows DailyAgentStats sums."""

    class Kind(models.TextChoices):
        FIRST_RESPONSE = "first_response"
        RESOLUTION = "resolution"

    conversation_id = models.BigIntegerField()
    agent_id = models.BigIntegerField(default=0, help_text="who answered; for a resolution, the assignee (0: none)")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["ended_at"], name="analytics_fact_ended")]

    def __str__(self) -> str:
        return f"{self.kind} of {self.conversation_id}"
