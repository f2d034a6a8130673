"""Campaign services: every write, with the member who makes it.

    campaign_create / campaign_update / campaign_delete   drafts
    campaign_start    draft -> scheduled (schedule_at in the future) or running; checks the template, the plan's
                      campaigns a month and the portfolio's daily messaging limit
    campaign_pause / campaign_resume / campaign_cancel   by a member; the dispatcher pauses by itself too
                      (apps.campaigns.dispatcher) through `campaign_transition`
    campaign_retarget   a new draft for a funnel stage of a campaign that ran
    campaign_start_due / campaign_finish   the scheduler's start and the dispatcher's end of a campaign

Each write is recorded in the audit log (apps.audit) in its own transaction: by the member (or API key) who made
it, or by the `campaign_scheduler` / `campaign_dispatcher` automations. Status changes only, never a recipient or
a batch: the dispatcher's hot path writes no audit rows.

The status moves only along TRANSITIONS, by a compare-and-set UPDATE: of two concurrent starts one wins and the
other gets 409 `invalid_transition`, so a campaign can't run twice (and its dispatcher holds a lease besides).
"""
from __future__ import annotations

import copy
import datetime as dt
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils import timezone
from rest_framework.exceptions import PermissionDenied

from apps.audit.context import automation
from apps.audit.recorder import diff, record
from apps.campaigns import audience as audiences
from apps.campaigns import due, limits
from apps.campaigns.models import Campaign, CampaignRecipient, CampaignVariant
from apps.campaigns.signals import campaign_finished
from apps.contacts.models import Contact
from apps.core.errors import ApplicationError, Conflict
from apps.messaging import bulk_send
from apps.messaging.selectors import inbox_settings_get
from apps.templates.mapping import contact_preview, mapping_clean
from apps.templates.models import Template
from apps.templates.selectors import access_template
from apps.whatsapp.models import PhoneNumber
from apps.whatsapp.selectors import number_for_sending
from tenants.billing.limits import Limit, require_room, require_within
from tenants.members import REFUSALS, Capability, Member

S = Campaign.Status
TRANSITIONS = {
    S.DRAFT: {S.SCHEDULED, S.RUNNING, S.CANCELLED},
    S.SCHEDULED: {S.RUNNING, S.PAUSED, S.CANCELLED},
    S.RUNNING: {S.PAUSED, S.COMPLETED, S.CANCELLED, S.FAILED},
    S.PAUSED: {S.RUNNING, S.CANCELLED},
}
MAX_VARIANTS = 4
SCHEDULER = automation("campaign_scheduler", "Campaign scheduler")
DISPATCHER = automation("campaign_dispatcher", "Campaign dispatcher")


def _require(member: Member) -> None:
    if not member.can(Capability.RUN_CAMPAIGNS):
        raise PermissionDenied(REFUSALS[Capability.RUN_CAMPAIGNS])


def business_time_zone() -> str:
    return inbox_settings_get().timezone or "UTC"


# --- drafts ------------------------------------------------------------------------------------------------------

def _sendable_template(member: Member, template_id, number: PhoneNumber, field: str) -> Template:
    from django.http import Http404

    try:
        template = access_template(member, template_id)
    except Http404:
        raise ApplicationError("No such template.", code="validation_error",
                               errors={field: ["No template with this id in this business."]}) from None
    problem = template_problem(template, number)
    if problem:
        raise ApplicationError(problem, code="template_not_sendable", errors={field: [problem]})
    return template


def template_problem(template: Template, number: PhoneNumber) -> str:
    """Why `template` can't go out in a campaign from `number` now, or ""."""
    if template.waba_id != number.account.waba_id:
        return "The template belongs to another WhatsApp account than the sending number."
    if template.status != Template.Status.APPROVED:
        return f"The template is {template.status.lower()}; only approved templates can be sent."
    if template.category.upper() == "AUTHENTICATION":
        return "One-time-code (authentication) templates are sent one at a time, not in campaigns."
    return ""


def _variants(member: Member, data: dict, number: PhoneNumber) -> list[tuple[Template, dict]]:
    template = _sendable_template(member, data["template_id"], number, "template_id")
    mapping = data.get("mapping")
    variants = [(template, template.mapping if mapping is None else _mapping(template, mapping, "mapping"))]
    ab = data.get("ab_test")
    if ab:
        extra = ab.get("variants") or []
        if not 1 <= len(extra) <= MAX_VARIANTS - 1:
            raise ApplicationError("An A/B test compares 2 to 4 templates.", code="validation_error",
                                   errors={"ab_test.variants": [f"Give 1 to {MAX_VARIANTS - 1} more templates."]})
        for i, variant in enumerate(extra):
            other = _sendable_template(member, variant["template_id"], number, f"ab_test.variants[{i}].template_id")
            raw = variant.get("mapping")
            variants.append((other, other.mapping if raw is None else
                             _mapping(other, raw, f"ab_test.variants[{i}].mapping")))
    return variants


def _mapping(template: Template, mapping, field: str) -> dict:
    try:
        return mapping_clean(template, mapping)
    except ApplicationError as exc:
        raise ApplicationError(str(exc.detail), code="validation_error",
                               errors={f"{field}.{key}": value for key, value in exc.errors.items()}) from None


def _schedule(value: dt.datetime | None) -> dt.datetime | None:
    """A naive time is the business's (its inbox time zone)."""
    if value is None:
        return None
    if timezone.is_naive(value):
        value = value.replace(tzinfo=ZoneInfo(business_time_zone()))
    return value


def _fields(data: dict) -> dict:
    fields = {}
    for name in ("name", "throughput_cap", "quiet_hours", "send_at_local_time", "reply_window_hours"):
        if name in data:
            fields[name] = data[name]
    if "schedule_at" in data:
        fields["schedule_at"] = _schedule(data["schedule_at"])
    if "ab_test" in data:
        ab = data["ab_test"]
        fields["ab_test"] = None if not ab else {key: ab[key] for key in
                                                 ("test_percent", "metric", "decide_after_minutes") if key in ab}
    return fields


def _write_variants(campaign: Campaign, variants: list[tuple[Template, dict]]) -> None:
    campaign.variants.all().delete()
    CampaignVariant.objects.bulk_create([CampaignVariant(campaign=campaign, index=i, template=t, mapping=m)
                                         for i, (t, m) in enumerate(variants)])


def _audited(campaign: Campaign) -> dict:
    """What an edit can change, as the audit log shows it: JSON values, the number by its display number, templates
    by id, an audience of picked contacts by their count (ids only ever, and 10,000 of them help nobody)."""
    audience = dict(campaign.audience or {})
    if isinstance(audience.get("contact_ids"), list):
        audience["contact_ids"] = f"{len(audience['contact_ids'])} contacts"
    variants = list(campaign.variants.order_by("index").values_list("template_id", "mapping"))
    return {
        "name": campaign.name, "phone_number": campaign.phone_number.display_phone_number, "audience": audience,
        "templates": [t for t, _ in variants], "mappings": [m for _, m in variants],
        "schedule_at": campaign.schedule_at.isoformat() if campaign.schedule_at else None,
        "throughput_cap": campaign.throughput_cap, "quiet_hours": campaign.quiet_hours,
        "send_at_local_time": campaign.send_at_local_time.isoformat() if campaign.send_at_local_time else None,
        "reply_window_hours": campaign.reply_window_hours, "ab_test": campaign.ab_test,
    }


@transaction.atomic
def campaign_create(*, member: Member, data: dict) -> Campaign:
    _require(member)
    number = number_for_sending(data.get("phone_number_id"))
    variants = _variants(member, data, number)
    campaign = Campaign.objects.create(phone_number=number, audience=audiences.audience_clean(data.get("audience")),
                                       created_by_email=member.user.email, **_fields(data))
    _write_variants(campaign, variants)
    record(member, "campaign.created", target=campaign)
    return campaign


@transaction.atomic
def campaign_update(*, member: Member, campaign: Campaign, data: dict) -> Campaign:
    """Edit a draft (anything else: 409)."""
    _require(member)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != S.DRAFT:
        raise _not_allowed(campaign, "edit")
    before = _audited(campaign)
    number = number_for_sending(data["phone_number_id"]) if "phone_number_id" in data else campaign.phone_number
    for name, value in _fields(data).items():
        setattr(campaign, name, value)
    campaign.phone_number = number
    if "audience" in data:
        campaign.audience = audiences.audience_clean(data["audience"])
    if {"template_id", "mapping", "ab_test", "phone_number_id"} & set(data):
        current = list(campaign.variants.select_related("template"))
        merged = {"template_id": data.get("template_id", current[0].template_id),
                  "mapping": data.get("mapping", current[0].mapping), "ab_test": data.get("ab_test")}
        if "ab_test" not in data and len(current) > 1:
            merged["ab_test"] = {"variants": [{"template_id": v.template_id, "mapping": v.mapping}
                                              for v in current[1:]]}
        _write_variants(campaign, _variants(member, merged, number))
    campaign.save()
    changes = diff(before, _audited(campaign))
    if changes:  # a PATCH that changes nothing is no event
        record(member, "campaign.updated", target=campaign, changes=changes)
    return campaign


@transaction.atomic
def campaign_delete(*, member: Member, campaign: Campaign) -> None:
    _require(member)
    if not Campaign.objects.filter(pk=campaign.pk, status=S.DRAFT).delete()[0]:
        raise _not_allowed(campaign, "delete")
    record(member, "campaign.deleted", target=campaign)


def sample_previews(template: Template, mapping, contact_ids: list[int]) -> dict[int, dict]:
    """contact id -> the template as that contact gets it with `mapping` (the template's saved one when None):
    {rendered, problems}, from the renderer every send uses."""
    mapped, refused = copy.copy(template), []
    if mapping is not None:
        try:
            mapped.mapping = _mapping(template, mapping, "mapping")
        except ApplicationError as exc:  # a mapping being filled in: show what is missing, keep the counts
            mapped.mapping = {}
            refused = [{"field": field, "message": messages[0]} for field, messages in exc.errors.items()]
    contacts = Contact.objects.in_bulk(contact_ids)
    out = {}
    for pk in contact_ids:
        rendered, _ = contact_preview(mapped, contacts.get(pk))
        out[pk] = {"rendered": rendered.as_dict(), "problems": refused or rendered.problems}
    return out


# --- status ------------------------------------------------------------------------------------------------------

def _not_allowed(campaign: Campaign, action: str) -> Conflict:
    return Conflict(f"A {campaign.get_status_display().lower()} campaign can't {action}.", code="invalid_transition",
                    errors={"status": [campaign.status]})


def campaign_transition(campaign: Campaign, to: str, *, reason: str = "", action: str = "", **fields) -> Campaign:
    """Move `campaign` from the status it was read with to `to`, or 409 if it moved meanwhile or may not."""
    if to not in TRANSITIONS.get(campaign.status, set()):
        raise _not_allowed(campaign, action or f"become {to}")
    updated = Campaign.objects.filter(pk=campaign.pk, status=campaign.status).update(
        status=to, status_reason=reason[:500], updated_at=timezone.now(), **fields)
    if not updated:
        campaign.refresh_from_db()
        raise _not_allowed(campaign, action or f"become {to}")
    campaign.refresh_from_db()
    if campaign.is_final:
        campaign_finished.send(sender=Campaign, campaign=campaign)
    return campaign


@transaction.atomic
def campaign_start(*, member: Member, campaign: Campaign, split_across_days: bool = False) -> Campaign:
    _require(member)
    campaign = Campaign.objects.select_related("phone_number__account").get(pk=campaign.pk)
    if campaign.status != S.DRAFT:
        raise _not_allowed(campaign, "start")
    for variant in campaign.variants.select_related("template"):
        problem = template_problem(variant.template, campaign.phone_number)
        if problem:
            raise ApplicationError(problem, code="template_not_sendable", errors={"template_id": [problem]})
    size = audiences.audience_preview(campaign.audience, campaign.variants.first().template).counts.recipients
    require_room(connection.tenant, Limit.MESSAGES_PER_MONTH, needed=size)  # 402: it would stop half-way
    if not split_across_days:
        budget = limits.daily_budget(campaign.phone_number)
        if budget.remaining is not None and size > budget.remaining:
            raise Conflict(
                f"{size:,} recipients, but the daily messaging limit ({budget.limit:,} people a day) has "
                f"{budget.remaining:,} left today. Start it split across days to send the rest later.",
                code="daily_limit", errors={"split_across_days": [
                    f"{size:,} recipients; {budget.remaining:,} of {budget.limit:,} left in the last 24 hours."]})
    require_within(connection.tenant, Limit.CAMPAIGNS_PER_MONTH)  # 402 plan_limit
    now = timezone.now()
    detail = {"audience_size": size, "split_across_days": split_across_days}
    if campaign.schedule_at and campaign.schedule_at > now:
        campaign = campaign_transition(campaign, S.SCHEDULED, action="start", split_across_days=split_across_days,
                                       next_run_at=campaign.schedule_at)
        record(member, "campaign.scheduled", target=campaign,
               detail={**detail, "schedule_at": campaign.schedule_at.isoformat()})
    else:
        campaign = campaign_transition(campaign, S.RUNNING, action="start", split_across_days=split_across_days,
                                       started_at=now, next_run_at=now)
        record(member, "campaign.started", target=campaign, detail=detail)
    due.campaign_due_on_commit(campaign)
    return campaign


@transaction.atomic
def campaign_start_due(campaign: Campaign) -> Campaign:
    """The scheduler starts a scheduled campaign when its time has come (the dispatcher calls this)."""
    scheduled_for = campaign.schedule_at
    campaign = campaign_transition(campaign, S.RUNNING, started_at=timezone.now())
    record(SCHEDULER, "campaign.started", target=campaign,
           detail={"scheduled_for": scheduled_for.isoformat() if scheduled_for else None})
    return campaign


@transaction.atomic
def campaign_finish(campaign: Campaign, to: str, *, cause: str, reason: str = "", **fields) -> Campaign:
    """The dispatcher ends a campaign: completed (everyone handled, or no one to send to) or failed (its number was
    disconnected). `cause` is the machine-readable why, for the audit log; `reason` the text people read."""
    campaign = campaign_transition(campaign, to, reason=reason, **fields)
    record(DISPATCHER, "campaign.finished", target=campaign, detail={"status": to, "reason": cause})
    return campaign


def _unqueue(campaign: Campaign) -> None:
    """Messages queued for the campaign but not claimed by a sender go back to pending recipients, so nothing is
    sent while it is paused or after it is cancelled (a claimed one finishes: it may already be at Meta)."""
    queued = list(CampaignRecipient.objects.filter(campaign=campaign, state=CampaignRecipient.State.QUEUED,
                                                   message__status="queued").values_list("message_id", flat=True))
    removed = bulk_send.messages_unqueue(queued)
    CampaignRecipient.objects.filter(campaign=campaign, message_id__in=removed).update(
        state=CampaignRecipient.State.PENDING, message=None)


@transaction.atomic
def campaign_pause(*, member: Member | None, campaign: Campaign, reason: str = "", cause: str = "",
                   detail: dict | None = None) -> Campaign:
    """Pause by a member, or (member None) by whoever is acting: the dispatcher (bound by `acting_as` in
    apps.campaigns.dispatcher), the control plane suspending the business. `cause` is the machine-readable why
    (template_paused, quality_red, business_suspended, ...) the audit log records with `detail`."""
    if member is not None:
        _require(member)
        reason = reason or f"Paused by {member.user.email}."
    campaign = campaign_transition(campaign, S.PAUSED, reason=reason, action="pause", waiting_reason="",
                                   next_run_at=None)
    _unqueue(campaign)
    about = {**({"reason": cause} if cause else {}), **(detail or {})}
    record(member, "campaign.paused", target=campaign, detail=about or None)
    return campaign


@transaction.atomic
def campaign_resume(*, member: Member, campaign: Campaign) -> Campaign:
    _require(member)
    campaign = Campaign.objects.select_related("phone_number__account").get(pk=campaign.pk)
    if campaign.status != S.PAUSED:
        raise _not_allowed(campaign, "resume")
    for variant in campaign.variants.select_related("template"):
        problem = template_problem(variant.template, campaign.phone_number)
        if problem:
            raise ApplicationError(f"Can't resume yet: {problem}", code="template_not_sendable",
                                   errors={"template_id": [problem]})
    now = timezone.now()
    campaign = campaign_transition(campaign, S.RUNNING, action="resume", started_at=campaign.started_at or now,
                                   next_run_at=now)
    record(member, "campaign.resumed", target=campaign)
    due.campaign_due_on_commit(campaign)
    return campaign


@transaction.atomic
def campaign_cancel(*, member: Member, campaign: Campaign) -> Campaign:
    _require(member)
    campaign = campaign_transition(campaign, S.CANCELLED, reason=f"Cancelled by {member.user.email}.",
                                   action="cancel", completed_at=timezone.now(), waiting_reason="", next_run_at=None)
    _unqueue(campaign)
    CampaignRecipient.objects.filter(campaign=campaign, state__in=[CampaignRecipient.State.PENDING,
                                                                   CampaignRecipient.State.HELD]).update(
        state=CampaignRecipient.State.SKIPPED, skip_reason="cancelled")
    record(member, "campaign.cancelled", target=campaign)
    due.campaign_not_due_on_commit(campaign)
    return campaign


@transaction.atomic
def campaign_retarget(*, member: Member, campaign: Campaign, stage: str, name: str = "") -> Campaign:
    """A new draft to the recipients of `campaign` at `stage`, with the same number and first template (change them
    in the draft before starting)."""
    _require(member)
    if campaign.materialised_at is None:
        raise _not_allowed(campaign, "be retargeted before it has sent")
    if stage not in audiences.STAGES:
        raise ApplicationError("Unknown stage.", code="validation_error",
                               errors={"stage": [f"One of {', '.join(audiences.STAGES)}."]})
    first = campaign.variants.order_by("index").first()
    retarget = Campaign.objects.create(
        name=(name or f"{campaign.name} — {stage.replace('_', ' ')}")[:200], phone_number=campaign.phone_number,
        audience={"retarget": {"campaign_id": campaign.pk, "stage": stage}}, retarget_of=campaign,
        retarget_stage=stage, throughput_cap=campaign.throughput_cap, quiet_hours=campaign.quiet_hours,
        reply_window_hours=campaign.reply_window_hours, created_by_email=member.user.email)
    CampaignVariant.objects.create(campaign=retarget, index=0, template=first.template, mapping=first.mapping)
    record(member, "campaign.created", target=retarget, detail={"retarget_of": campaign.pk, "stage": stage})
    return retarget


def campaigns_pause_all(*, reason: str) -> int:
    """Pause every running or scheduled campaign of this business (it was suspended: nothing may go out). Each is
    resumed by a person later, once the business is back."""
    paused = 0
    for campaign in Campaign.objects.filter(status__in=[S.RUNNING, S.SCHEDULED]):
        try:
            campaign_pause(member=None, campaign=campaign, reason=reason, cause="business_suspended")
            paused += 1
        except Conflict:  # it finished or was paused meanwhile
            continue
    return paused
