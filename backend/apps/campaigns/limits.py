"""The portfolio's daily messaging limit (Meta: unique people a business may start conversations with in a rolling
24 hours, shared by all numbers of the business portfolio; TIER_250 ... TIER_UNLIMITED on each number).

Used = distinct people sent a template from any of the portfolio's numbers in this business in the last 24 hours
(templates are what opens a conversation outside the customer's window). A campaign checks the budget before it
starts and, split across days, sends no more than what is left, going on as the oldest sends leave the window.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.utils import timezone

from apps.whatsapp.models import PhoneNumber

TIERS = {"TIER_50": 50, "TIER_250": 250, "TIER_1K": 1_000, "TIER_2K": 2_000, "TIER_10K": 10_000,
         "TIER_100K": 100_000, "TIER_UNLIMITED": None}
WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class Budget:
    tier: str
    limit: int | None  # None: unlimited
    used: int
    oldest_at: datetime | None  # the oldest counted send: when it leaves the window, one more person fits

    @property
    def remaining(self) -> int | None:
        return None if self.limit is None else max(0, self.limit - self.used)

    @property
    def frees_at(self) -> datetime | None:
        return self.oldest_at + WINDOW if self.oldest_at else None


def daily_budget(number: PhoneNumber) -> Budget:
    tier = number.messaging_limit_tier or "TIER_250"  # Meta's default for a new portfolio
    limit = TIERS.get(tier, 250)
    if limit is None:
        return Budget(tier, None, 0, None)
    business_id = number.account.business_id
    numbers = list(PhoneNumber.objects.filter(account__business_id=business_id).values_list("pk", flat=True)
                   if business_id else [number.pk])
    with connection.cursor() as cursor:
        cursor.execute("""SELECT count(DISTINCT "to"), min(created_at) FROM messaging_message
                          WHERE direction = 'out' AND type = 'template' AND phone_number_id = ANY(%s)
                            AND created_at > %s AND status <> 'failed'""",
                       [numbers, timezone.now() - WINDOW])
        used, oldest = cursor.fetchone()
    return Budget(tier, limit, used, oldest)
