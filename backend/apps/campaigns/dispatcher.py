"""The dispatcher: feeds one running campaign to the outbox's batched door at its number's Meta throughput.

One dispatcher per campaign, by lease (`lease_token` / `lease_until`, renewed every loop): a second task for the
same campaign finds the lease held and returns. Each loop it

1. re-reads the campaign: a pause or cancel stops it at the next loop (a loop lasts BATCH_SECONDS, or longer at a
   low throughput so that a batch holds MIN_BATCH messages, at most TAKE_EVERY_MAX);
2. checks what would make every send fail (the template paused, disabled or no longer approved; the number's
   quality RED or disconnected) and pauses the campaign itself, saying why;
3. takes tokens from the number's bucket (shared with the inbox, apps.messaging.rate_limit) for a loop's worth of
   throughput (the number's, or the campaign's cap), within the portfolio's daily messaging limit when the
   campaign is split across days;
4. claims that many recipients (due, not in quiet hours) and queues their messages in one transaction with the
   recipients' move to `queued`, then sends them (apps.messaging.bulk_send).

Crash safety comes from the outbox's row states: a recipient is `queued` exactly when its Message exists (same
transaction); a `queued` message is sent by whoever claims it (the next dispatcher after a SIGKILL, once the
lease expires); a `sending` one is never sent again by the dispatcher (the status webhook or the outbox's
reconciler settles it). So after a kill nobody is sent twice and nobody is skipped.

Audit: the dispatcher acts as the `campaign_dispatcher` automation (bound for its whole run) and records status
changes only (a pause with its cause, the end of the campaign; the scheduled start as `campaign_scheduler`), never
per batch or recipient: the audit log costs the 1,000 msg/s loop nothing.

Back-off: 130429 (throughput) halves the rate and recovers it step by step (AIMD); 131056 (pair rate) delays that
recipient; a surge of 131049 (Meta's per-person marketing limit, reported in status webhooks) halves the rate too.
"""
from __future__ import annotations

import copy
import logging
import math
import time
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as futures_wait
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.db.models.functions import Now
from django.utils import timezone

from apps.audit.context import acting_as
from apps.campaigns import audience as audiences
from apps.campaigns import due, funnel, limits
from apps.campaigns.models import Campaign, CampaignRecipient
from apps.campaigns.services import (
    DISPATCHER,
    S,
    business_time_zone,
    campaign_finish,
    campaign_start_due,
    template_problem,
)
from apps.contacts.models import Contact
from apps.contacts.selectors import recipient_of
from apps.core.errors import ApplicationError
from apps.messaging import bulk_send, rate_limit
from apps.messaging.models import Message
from apps.messaging.outbox import in_flight
from apps.templates.mapping import contact_preview

logger = logging.getLogger(__name__)

R = CampaignRecipient.State
BATCH_SECONDS = 0.1  # a batch is this much of the number's throughput; also how fast a pause is noticed
CATCH_UP = 4  # a take is up to this many batches' worth: a loop slowed by a busy CPU catches up (2 lost tokens:
#               790 msg/s where 4 sends 896 in the campaign bench, docs/campaigns.md)
MIN_BATCH = 25  # takes are spaced so a batch holds about this many: each batch's statements cost the same CPU for 8
#               messages as for 100 (at 80 msg/s, 0.1 s batches made the dispatcher use 0.30 cores, 3.8 ms a message)
TAKE_EVERY_MAX = 0.5  # ... but a slow campaign (a low throughput cap) still takes twice a second
MAX_IN_FLIGHT = 2  # batches sent but not recorded yet (pipelining)
GUARD_EVERY = 1.0  # seconds between checks of the template and the number
QUIET_EVERY = 60.0  # seconds between moves of recipients who entered quiet hours
# Meta answers these for the campaign as a whole: every further send would fail the same way. The campaign pauses
# and the recipients they failed go back to pending for the resume.
CAMPAIGN_STOPPERS = {132001: "template_missing", 132015: "template_paused", 132016: "template_disabled",
                     133010: "number_unregistered", 190: "token", 131031: "account_locked", 131042: "payment",
                     368: "policy_block"}
THROUGHPUT, PAIR_RATE, MARKETING_CAP = 130429, 131056, 131049
CONTACT_FIELDS = ("id", "name", "phone", "wa_id", "wa_user_id", "email", "attributes", "marketing_consent",
                  "utility_consent", "erased_at")


def campaign_dispatch(campaign_id: int, *, run_seconds: float | None = None) -> str:
    """Run the campaign's dispatcher for up to `run_seconds` (then the task hands over to a fresh one). Returns
    what stopped it: completed, paused, cancelled, failed, waiting, handed_over, busy (another holds the lease)
    or not_running."""
    status = Campaign.objects.filter(pk=campaign_id).values_list("status", flat=True).first()
    if status not in (S.RUNNING, S.SCHEDULED):
        return status or "not_running"
    token = uuid.uuid4()
    if not _lease_take(campaign_id, token):
        return "busy"
    dispatcher = _Dispatcher(campaign_id, token)
    try:
        with acting_as(DISPATCHER):
            return dispatcher.run(run_seconds or settings.CAMPAIGN_DISPATCH_SECONDS)
    finally:
        dispatcher.close()
        Campaign.objects.filter(pk=campaign_id, lease_token=token).update(lease_token=None, lease_until=None)


def _lease_until():
    return timezone.now() + timedelta(seconds=settings.CAMPAIGN_LEASE_SECONDS)


def _lease_take(campaign_id: int, token: uuid.UUID) -> bool:
    from django.db.models import Q

    return bool(Campaign.objects.filter(pk=campaign_id, status__in=[S.RUNNING, S.SCHEDULED])
                .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=timezone.now()))
                .update(lease_token=token, lease_until=_lease_until()))


def queued_again(campaign: Campaign, *, sending: list[uuid.UUID]):
    """Ids of the campaign's messages queued again (a retry whose back-off is over, a crash before the send) and not
    among `sending`. Through the business's in-flight messages (msg_in_flight), never all of the campaign's
    recipients: the dispatcher asks before every batch."""
    return (in_flight().filter(status=Message.Status.QUEUED, campaign_recipient__campaign=campaign,
                               campaign_recipient__not_before__lte=Now())
            .exclude(pk__in=sending).values_list("pk", flat=True))


class _Dispatcher:
    def __init__(self, campaign_id: int, token: uuid.UUID):
        self.campaign_id = campaign_id
        self.token = token
        self.rate_factor = 1.0  # AIMD on Meta's throughput answers
        self.took_at = 0.0  # the last take of tokens (monotonic)
        self.guarded_at = 0.0
        self.quiet_at = 0.0
        self.budget: limits.Budget | None = None
        self.budget_at = 0.0
        self.marketing_checked_at = 0.0
        self.sent_window: list[tuple[float, int]] = []
        self.templates: dict[int, object] = {}
        # Pipelining: batch k is sent on a sender thread (its own connection) while batch k+1 is prepared here.
        self.sender = ThreadPoolExecutor(max_workers=1, thread_name_prefix="campaign-sender") \
            if settings.CAMPAIGN_PIPELINE else None
        self.inflight: list[tuple[Future, list[uuid.UUID]]] = []
        self.campaign: Campaign | None = None

    def close(self) -> None:
        """Finish the sends in flight (their outcomes recorded), then free the sender thread and its connection."""
        try:
            if self.campaign is not None:
                self._collect(self.campaign, wait=True)
        finally:
            if self.sender is not None:
                self.sender.submit(lambda: connection.close()).result()  # the sender thread's own connection
                self.sender.shutdown()

    # --- the loop ------------------------------------------------------------------------------------------------
    def run(self, run_seconds: float) -> str:
        deadline = time.monotonic() + run_seconds
        while True:
            campaign = Campaign.objects.select_related("phone_number__account").get(pk=self.campaign_id)
            self.campaign = campaign
            if campaign.status == S.SCHEDULED:
                if campaign.schedule_at and campaign.schedule_at > timezone.now():
                    due.campaign_due(campaign.pk, campaign.schedule_at)
                    return "waiting"
                campaign = campaign_start_due(campaign)
            if campaign.status != S.RUNNING:
                return campaign.status
            lease_until = _lease_until()
            if not Campaign.objects.filter(pk=campaign.pk, lease_token=self.token).update(lease_until=lease_until):
                return "lost_lease"
            due.campaign_due(campaign.pk, lease_until)  # picked up again if this process dies
            if campaign.materialised_at is None:
                if not self._materialise(campaign):
                    return "completed"
                audiences.recipients_analyze()
                continue
            outcome = self._guard(campaign) or self._decide_ab(campaign)
            if outcome:
                return outcome
            if time.monotonic() > deadline:
                return "handed_over"
            try:
                outcome = self._step(campaign)
            except (OperationalError, InterfaceError) as exc:  # a deadlock, a lost connection: that step again
                logger.warning("campaign %s: a dispatch step failed, trying again: %s", campaign.pk, exc)
                connection.close_if_unusable_or_obsolete()
                time.sleep(BATCH_SECONDS)
                continue
            if outcome:
                return outcome

    def _step(self, campaign: Campaign) -> str:
        number = campaign.phone_number
        mps = min(campaign.throughput_cap or number.throughput_mps, number.throughput_mps)
        rate = max(1.0, mps * self.rate_factor)
        every = min(max(BATCH_SECONDS, MIN_BATCH / rate), TAKE_EVERY_MAX)
        want = max(1, math.ceil(rate * max(every, BATCH_SECONDS * CATCH_UP)))
        budget = self._budget(campaign)
        if budget is not None and budget.remaining is not None:
            if budget.remaining <= 0:
                return self._wait(campaign, "daily_limit", budget.frees_at or timezone.now() + timedelta(hours=1),
                                  "The daily messaging limit is used up; the rest goes as it frees up.")
            want = min(want, budget.remaining)
        since = time.monotonic() - self.took_at
        if since < every:  # a batch's worth accrues between takes: the loop never spins on a token or two
            time.sleep(every - since)
        self.took_at = time.monotonic()
        # The bucket holds no more than this take (not a second's worth): Meta's bucket then stays nearly full and
        # absorbs the jitter between taking a token here and the request reaching Meta (else: 130429).
        grant = rate_limit.number_take_many(number.phone_number_id, mps=max(1, round(rate)), want=want, burst=want)
        if not grant.granted:
            time.sleep(min(max(grant.retry_after, 0.005), BATCH_SECONDS))
            return ""
        try:
            ids = self._batch(campaign, grant.granted)
        except ApplicationError as exc:  # the whole batch refused (rolled back): the plan, the number
            if exc.code == "number_disconnected":
                self.guarded_at = 0.0
                return self._guard(campaign) or "failed"
            self._pause(campaign, f"Paused by ConvoNest: {exc.detail}", exc.code or "refused")
            return "paused"
        if not ids:
            return self._collect(campaign, wait=True) if self.inflight else self._idle(campaign)
        if campaign.waiting_reason:
            Campaign.objects.filter(pk=campaign.pk).update(waiting_reason="", status_reason="", next_run_at=None)
        if budget is not None and budget.limit is not None:
            self.budget = limits.Budget(budget.tier, budget.limit, budget.used + len(ids), budget.oldest_at)
        if self.sender is None:
            return self._after(campaign, bulk_send.messages_send(number=number, message_ids=ids))
        self._send_async(number, ids)
        if len(self.inflight) >= MAX_IN_FLIGHT:
            futures_wait([self.inflight[0][0]])
        return self._collect(campaign, wait=False)

    def _send_async(self, number, ids: list[uuid.UUID]) -> None:
        schema = connection.schema_name

        def send():
            connection.set_schema(schema)  # the sender thread's own connection, in this business's schema
            return bulk_send.messages_send(number=number, message_ids=ids)

        self.inflight.append((self.sender.submit(send), ids))

    def _collect(self, campaign: Campaign, *, wait: bool) -> str:
        """Record the outcomes of sends that finished (all of them when `wait`); the first stop wins."""
        outcome = ""
        while self.inflight and (wait or self.inflight[0][0].done()):
            future, ids = self.inflight.pop(0)
            try:
                outcomes = future.result()
            except DatabaseError as exc:  # left `sending`: the status webhooks or the reconciler settle them
                logger.warning("campaign %s: recording a batch of %s sends failed: %s", campaign.pk, len(ids), exc)
                continue
            outcome = self._after(campaign, outcomes) or outcome
        return outcome

    # --- recipients -> messages --------------------------------------------------------------------------------------
    @transaction.atomic
    def _batch(self, campaign: Campaign, n: int) -> list[uuid.UUID]:
        """Up to `n` message ids to send now: queued ones left by a crash or a retry first, then new ones."""
        ids = list(queued_again(campaign, sending=[i for _, batch in self.inflight for i in batch])[:n])
        if len(ids) >= n:
            return ids
        with connection.cursor() as cursor:
            cursor.execute("""SELECT id, contact_id, variant FROM campaigns_campaignrecipient
                              WHERE campaign_id = %s AND state = 'pending' AND not_before <= now()
                              ORDER BY not_before, id LIMIT %s FOR UPDATE SKIP LOCKED""", [campaign.pk, n - len(ids)])
            claimed = cursor.fetchall()
        if claimed:
            ids += self._queue(campaign, claimed)
        return ids

    def _template(self, campaign: Campaign, variant: int):
        """The variant's template carrying the campaign's mapping (the renderer reads `template.mapping`)."""
        if variant not in self.templates:
            row = campaign.variants.select_related("template").get(index=variant)
            template = copy.copy(row.template)
            template.mapping = row.mapping
            self.templates[variant] = template
        return self.templates[variant]

    def _queue(self, campaign: Campaign, claimed: list[tuple]) -> list[uuid.UUID]:
        contacts = Contact.objects.only(*CONTACT_FIELDS).in_bulk([row[1] for row in claimed if row[1]])
        batch, positions, skipped = [], [], []
        for recipient_id, contact_id, variant in claimed:
            contact = contacts.get(contact_id)
            to = recipient_of(contact) if contact is not None and contact.erased_at is None else ""
            if not to:
                skipped.append((recipient_id, "erased", ""))
                continue
            rendered, payload = contact_preview(self._template(campaign, variant or 0), contact)
            if payload is None:
                skipped.append((recipient_id, "mapping", "; ".join(p["message"] for p in rendered.problems)[:300]))
                continue
            batch.append(bulk_send.Outgoing(contact=contact, to=to, message={"type": "template", "template": payload}))
            positions.append(recipient_id)
        queued: list[tuple[int, uuid.UUID]] = []
        if batch:
            results = bulk_send.messages_queue(number=campaign.phone_number, batch=batch)  # 402 rolls back the batch
            for recipient_id, result in zip(positions, results, strict=True):
                if result.message_id is not None:
                    queued.append((recipient_id, result.message_id))
                else:
                    skipped.append((recipient_id, "opted_out" if result.refused == "opted_out" else "mapping",
                                    result.detail[:300]))
        with connection.cursor() as cursor:
            if queued:
                cursor.execute("""UPDATE campaigns_campaignrecipient r SET state = 'queued', message_id = v.mid
                                  FROM unnest(%s::bigint[], %s::uuid[]) AS v(id, mid) WHERE r.id = v.id""",
                               [[q[0] for q in queued], [q[1] for q in queued]])
            if skipped:
                cursor.execute("""UPDATE campaigns_campaignrecipient r SET state = 'skipped', skip_reason = v.reason,
                                         error_title = v.detail
                                  FROM unnest(%s::bigint[], %s::text[], %s::text[]) AS v(id, reason, detail)
                                  WHERE r.id = v.id""",
                               [[s[0] for s in skipped], [s[1] for s in skipped], [s[2] for s in skipped]])
        return [q[1] for q in queued]

    # --- after a batch -----------------------------------------------------------------------------------------------
    def _after(self, campaign: Campaign, outcomes: list[bulk_send.Sent]) -> str:
        now = time.monotonic()
        sent = sum(o.outcome == "sent" for o in outcomes)
        self.sent_window = [(t, c) for t, c in self.sent_window if now - t < 2.0] + [(now, sent)]
        throttled = [o for o in outcomes if o.outcome == "retry" and o.error_code == THROUGHPUT]
        if throttled:
            self.rate_factor = max(0.1, self.rate_factor / 2)
            logger.info("campaign %s: Meta's throughput limit (130429); rate x%.2f", campaign.pk, self.rate_factor)
            time.sleep(min(max(o.retry_after for o in throttled), 1.0))
        elif self.rate_factor < 1.0:
            self.rate_factor = min(1.0, self.rate_factor + 0.05)
        paired = [o.message_id for o in outcomes if o.outcome == "retry" and o.error_code == PAIR_RATE]
        if paired:
            delay = max(o.retry_after for o in outcomes if o.message_id in set(paired))
            CampaignRecipient.objects.filter(message_id__in=paired).update(
                not_before=timezone.now() + timedelta(seconds=max(6.0, delay)))
        stopped = [o for o in outcomes if o.outcome == "failed" and o.error_code in CAMPAIGN_STOPPERS]
        if stopped:
            return self._stop(campaign, stopped)
        self._marketing_limit(campaign)
        self._rate_report(campaign)
        return ""

    def _stop(self, campaign: Campaign, stopped: list[bulk_send.Sent]) -> str:
        """Meta refused the send for the whole campaign: pause, saying why, and give those recipients back."""
        from apps.campaigns.reference.errors import explain

        first = stopped[0]
        explanation = explain(first.error_code, first.error_title)
        with transaction.atomic():
            CampaignRecipient.objects.filter(message_id__in=[o.message_id for o in stopped]).update(
                state=R.PENDING, message=None)
            self._pause(campaign, f"Paused by ConvoNest: WhatsApp answered {first.error_code} "
                                  f"({explanation.title}). {explanation.action}",
                        CAMPAIGN_STOPPERS[first.error_code], error_code=first.error_code)
        return "paused"

    def _pause(self, campaign: Campaign, reason: str, cause: str, **detail) -> None:
        """Pause it by itself (the audit log's `campaign_dispatcher`, bound in campaign_dispatch), saying why."""
        from apps.campaigns.services import campaign_pause

        try:
            campaign_pause(member=None, campaign=campaign, reason=reason, cause=cause, detail=detail)
        except ApplicationError:  # a member paused or cancelled it meanwhile
            pass

    def _marketing_limit(self, campaign: Campaign) -> None:
        """Meta's per-person marketing limit shows as failed statuses (131049): a surge slows the campaign down."""
        now = time.monotonic()
        if now - self.marketing_checked_at < 10:
            return
        self.marketing_checked_at = now
        with connection.cursor() as cursor:
            cursor.execute("""SELECT count(*) FILTER (WHERE m.error_code = %s), count(*)
                              FROM campaigns_campaignrecipient r JOIN messaging_message m ON m.id = r.message_id
                              WHERE r.campaign_id = %s AND m.updated_at > now() - interval '60 seconds'""",
                           [MARKETING_CAP, campaign.pk])
            capped, recent = cursor.fetchone()
        if recent and capped / recent > 0.05:
            self.rate_factor = max(0.1, self.rate_factor / 2)
            logger.info("campaign %s: %s of %s recent sends hit Meta's per-person marketing limit (131049); "
                        "rate x%.2f", campaign.pk, capped, recent, self.rate_factor)

    def _rate_report(self, campaign: Campaign) -> None:
        if len(self.sent_window) < 2:
            return
        span = self.sent_window[-1][0] - self.sent_window[0][0]
        if span >= 1.0:
            rate = sum(c for _, c in self.sent_window[1:]) / span
            Campaign.objects.filter(pk=campaign.pk).update(rate_current=round(rate, 1))
            self.sent_window = self.sent_window[-1:]

    # --- guards and waits --------------------------------------------------------------------------------------------
    def _guard(self, campaign: Campaign) -> str:
        now = time.monotonic()
        if now - self.guarded_at < GUARD_EVERY:
            return ""
        self.guarded_at = now
        number = campaign.phone_number
        if number.disconnected_at is not None:
            campaign_finish(campaign, S.FAILED, cause="number_disconnected", completed_at=timezone.now(),
                            reason="The sending number was disconnected from the business.")
            due.campaign_not_due(campaign.pk)
            return "failed"
        if (number.quality_rating or "").upper() == "RED":
            self._pause(campaign, "Paused by ConvoNest: the number's quality rating dropped to RED. Sending more "
                                  "now risks a block; resume once quality recovers.", "quality_red")
            return "paused"
        for variant in campaign.variants.select_related("template"):
            problem = template_problem(variant.template, number)
            if problem:
                cause = {"PAUSED": "template_paused", "DISABLED": "template_disabled"}.get(
                    (variant.template.status or "").upper(), "template_not_sendable")
                self._pause(campaign, f"Paused by ConvoNest: template {variant.template.name} — {problem}", cause,
                            template_id=variant.template_id)
                return "paused"
        if campaign.quiet_hours and now - self.quiet_at > QUIET_EVERY:
            self.quiet_at = now
            quiet_hours_defer(campaign)
        return ""

    def _budget(self, campaign: Campaign) -> limits.Budget | None:
        if not campaign.split_across_days:
            return None
        now = time.monotonic()
        if self.budget is None or now - self.budget_at > 30:
            self.budget, self.budget_at = limits.daily_budget(campaign.phone_number), now
        return self.budget

    def _idle(self, campaign: Campaign) -> str:
        """Nothing to send right now: finished, or waiting (quiet hours, local time, back-off, the A/B decision)."""
        pending = (CampaignRecipient.objects.filter(campaign=campaign, state=R.PENDING)
                   .order_by("not_before").values_list("not_before", flat=True).first())
        if pending is not None:
            reason = ("local_time" if campaign.send_at_local_time else
                      "quiet_hours" if campaign.quiet_hours else "backoff")
            if pending - timezone.now() < timedelta(seconds=2):
                time.sleep(0.05)
                return ""
            return self._wait(campaign, reason, pending, "")
        if in_flight().filter(campaign_recipient__campaign=campaign, status=Message.Status.QUEUED).exists():
            time.sleep(0.05)  # retries not due yet
            return ""
        if CampaignRecipient.objects.filter(campaign=campaign, state=R.HELD).exists():
            return self._wait(campaign, "ab_decision", campaign.decide_at or timezone.now(), "")
        campaign_finish(campaign, S.COMPLETED, cause="all_sent", completed_at=timezone.now(), waiting_reason="",
                        next_run_at=None, rate_current=0)
        due.campaign_not_due(campaign.pk)
        return "completed"

    def _wait(self, campaign: Campaign, reason: str, until, text: str) -> str:
        Campaign.objects.filter(pk=campaign.pk).update(waiting_reason=reason, next_run_at=until, status_reason=text,
                                                       rate_current=0)
        due.campaign_due(campaign.pk, until)
        return "waiting"

    # --- materialisation and the A/B test ------------------------------------------------------------------------
    @transaction.atomic
    def _materialise(self, campaign: Campaign) -> bool:
        counts = audiences.recipients_materialise(campaign=campaign, business_time_zone=business_time_zone())
        now = timezone.now()
        ab = campaign.ab_test or {}
        decide_at = now + timedelta(minutes=int(ab.get("decide_after_minutes", 0))) if ab else None
        Campaign.objects.filter(pk=campaign.pk).update(
            materialised_at=now, excluded_opted_out=counts.opted_out, excluded_unreachable=counts.unreachable,
            excluded_duplicates=counts.duplicates, decide_at=decide_at)
        if campaign.quiet_hours:
            quiet_hours_defer(campaign)
        if counts.recipients == 0:
            campaign_finish(campaign, S.COMPLETED, cause="no_recipients", completed_at=now,
                            reason="No one to send to: everyone in the audience was excluded or the audience is empty.")
            due.campaign_not_due_on_commit(campaign)
            return False
        return True

    def _decide_ab(self, campaign: Campaign) -> str:
        if not campaign.ab_test or campaign.winner_variant is not None or campaign.decide_at is None \
                or campaign.decide_at > timezone.now():
            return ""
        ab_decide(campaign)
        return ""


def quiet_hours_defer(campaign: Campaign) -> int:
    """Pending recipients whose local time is inside the quiet hours wait until they end (their not_before)."""
    quiet = campaign.quiet_hours or {}
    start, end = quiet.get("start"), quiet.get("end")
    if not start or not end or start == end:
        return 0
    local = "(now() AT TIME ZONE r.time_zone)::time"
    inside = (f"({local} >= %(start)s::time AND {local} < %(end)s::time)" if start < end
              else f"({local} >= %(start)s::time OR {local} < %(end)s::time)")
    ends = f"""(date(now() AT TIME ZONE r.time_zone) + %(end)s::time
                + CASE WHEN {local} >= %(end)s::time THEN interval '1 day' ELSE interval '0' END)
               AT TIME ZONE r.time_zone"""
    with connection.cursor() as cursor:
        cursor.execute(f"""UPDATE campaigns_campaignrecipient r SET not_before = {ends}
                           WHERE r.campaign_id = %(campaign)s AND r.state = 'pending' AND {inside}
                             AND r.not_before < {ends}""",
                       {"campaign": campaign.pk, "start": start, "end": end})
        return cursor.rowcount


def ab_decide(campaign: Campaign) -> int:
    """Pick the variant with the best rate of the test's metric among those sent, and give it the held recipients."""
    winner = funnel.ab_leader(campaign, funnel.campaign_counts(campaign)[1]) or 0
    with transaction.atomic():
        Campaign.objects.filter(pk=campaign.pk).update(winner_variant=winner, waiting_reason="")
        return CampaignRecipient.objects.filter(campaign=campaign, state=R.HELD).update(state=R.PENDING,
                                                                                     variant=winner)
