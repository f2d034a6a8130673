"""Writes to templates: members creating, editing, deleting and acknowledging them (through the WABA's Graph
client), header samples uploaded for the builder, and Meta's template webhooks (apps.webhooks.template_updates
parses them and calls `template_for_update` / `template_update_apply`). Syncs with Meta's list: sync.py.

Every change is recorded in the audit log (apps.audit) in its transaction: by the member (or API key) for theirs, by
Meta for the statuses Meta changes (a webhook, or a sync that finds one)."""
import hashlib
import json
import logging
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from rest_framework.exceptions import PermissionDenied

from apps.audit.context import META
from apps.audit.recorder import record
from apps.core.errors import ApplicationError, Conflict
from apps.templates.models import Template, TemplateEvent
from apps.templates.signals import template_status_changed
from apps.templates.validation import definition_problems
from apps.whatsapp.client import RESUMABLE_UPLOAD_LIMITS, GraphClient
from apps.whatsapp.errors import BuilderError, GraphError, TransientError
from apps.whatsapp.models import BusinessAccount
from apps.whatsapp.services import graph_client
from tenants.members import REFUSALS, Capability, Member

logger = logging.getLogger(__name__)

# Meta's Resumable Upload takes these for header samples (reference §5.3), each up to its media size limit.
SAMPLE_TYPES = {"image/jpeg": "IMAGE", "image/png": "IMAGE", "video/mp4": "VIDEO", "application/pdf": "DOCUMENT"}
SAMPLE_LIMITS = {mime: RESUMABLE_UPLOAD_LIMITS[mime] for mime in SAMPLE_TYPES}
EDITABLE = (Template.Status.APPROVED, Template.Status.REJECTED, Template.Status.PAUSED)
APPROVED_EDITS_PER_DAY, APPROVED_EDITS_PER_30_DAYS = 1, 10
# What a status means for the team (reference §5.6): shown until a member acknowledges it.
ATTENTION_STATUSES = {"REJECTED": "Rejected", "PAUSED": "Paused", "DISABLED": "Disabled", "FLAGGED": "Flagged"}


def _fingerprint(kind: str, value: dict) -> str:
    return hashlib.sha256(json.dumps([kind, value], sort_keys=True, default=str).encode()).hexdigest()


def _require_manager(member: Member) -> None:
    if not member.can(Capability.MANAGE_TEMPLATES):
        raise PermissionDenied(REFUSALS[Capability.MANAGE_TEMPLATES])


def waba_lock_key(schema_name: str, waba_id: str) -> int:
    """The advisory-lock key of one business's WABA templates (64-bit, from its text), the same in every process."""
    digest = hashlib.sha256(f"convonest.templates:{schema_name}:{waba_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def waba_lock(waba_id: str) -> None:
    """Serialise writes of one WABA's templates (syncs, submissions, webhooks creating rows) until this
    transaction ends, so two of them never both insert the same Meta template."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [waba_lock_key(connection.schema_name, waba_id)])


# --- Meta's template object -> our row ------------------------------------------------------------------

def _text(value, limit: int) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _upper_text(value, limit: int) -> str:
    return _text(value, limit).upper()


def meta_fields(meta: dict) -> dict:
    """Our columns from Meta's template object (list, read or webhook-free answers), whatever Meta left out."""
    quality = meta.get("quality_score")
    if isinstance(quality, dict):  # Meta: {"score": "GREEN", "date": ...}
        quality = quality.get("score")
    reason = _upper_text(meta.get("rejected_reason"), 64)
    info = meta.get("rejection_info") if isinstance(meta.get("rejection_info"), dict) else {}
    detail = "\n".join(f"{k}: {info[k]}" for k in ("reason", "recommendation") if isinstance(info.get(k), str))
    ttl = meta.get("message_send_ttl_seconds")
    fmt = _upper_text(meta.get("parameter_format"), 10)
    return {
        "name": _text(meta.get("name"), 512), "language": _text(meta.get("language"), 16),
        "category": _upper_text(meta.get("category"), 32), "status": _upper_text(meta.get("status"), 20) or "UNKNOWN",
        "sub_category": _upper_text(meta.get("sub_category"), 32),
        "quality_score": _upper_text(quality, 16), "rejected_reason": "" if reason == "NONE" else reason,
        "reason_detail": detail,
        "parameter_format": fmt if fmt in Template.ParameterFormat.values else Template.ParameterFormat.POSITIONAL,
        "components": meta.get("components") if isinstance(meta.get("components"), list) else [],
        "message_send_ttl_seconds": ttl if isinstance(ttl, int) and not isinstance(ttl, bool) else None,
        "previous_category": _upper_text(meta.get("previous_category"), 32),
        "pending_category": _upper_text(meta.get("correct_category"), 32),
        "library_template_name": _text(meta.get("library_template_name"), 512),
    }


# --- accounts and clients -------------------------------------------------------------------------------

def account_for(waba_id: str | None) -> BusinessAccount:
    """The WhatsApp account a template call acts on: the one named, or the business's only one."""
    accounts = BusinessAccount.objects.exclude(access_token="")
    if waba_id:
        account = accounts.filter(waba_id=str(waba_id)).first()
        if account is None:
            raise ApplicationError("This business has no such WhatsApp account.", code="validation_error",
                                   errors={"waba_id": ["Not a WhatsApp account of this business."]})
        return account
    first_two = list(accounts.order_by("created_at", "id")[:2])
    if not first_two:
        raise ApplicationError("Connect a WhatsApp number first (Settings → WhatsApp).", code="no_number")
    if len(first_two) > 1:
        raise ApplicationError("This business has several WhatsApp accounts: say which one.",
                               code="validation_error",
                               errors={"waba_id": ["Required when the business has several WhatsApp accounts."]})
    return first_two[0]


def client_for(account: BusinessAccount) -> GraphClient:
    return graph_client(account.access_token)


# Meta's template subcodes (reference §5.2, §8.2) -> the component the problem is in.
_SUBCODE_FIELDS = {2388042: "name", 2388024: "name", 2388040: "components", 2388047: "HEADER", 2388072: "BODY",
                   2388073: "FOOTER", 2388293: "BODY", 2388299: "BODY", 2388045: "components",
                   2494102: "HEADER"}  # a sample handle Meta did not issue


def _refusal(exc: GraphError, body: dict) -> ApplicationError:
    """Meta's answer, told the way local validation tells problems: the field where Meta's subcode names one."""
    if isinstance(exc, TransientError):
        return ApplicationError("WhatsApp did not answer; try again in a moment.", code="whatsapp_rejected")
    message = f"WhatsApp refused the template: {exc.title}" if exc.title else "WhatsApp refused the template."
    if exc.details and exc.details != exc.title:
        message += f" ({exc.details})"
    if exc.code != 100:
        return ApplicationError(message, code="whatsapp_rejected")
    field = _SUBCODE_FIELDS.get(exc.subcode or 0, "")
    if field.isupper():  # a component: name it by its position in what was sent
        components = body.get("components") or []
        index = next((i for i, c in enumerate(components)
                      if isinstance(c, dict) and str(c.get("type", "")).upper() == field), None)
        field = f"components[{index}]" + (".text" if field != "HEADER" else "") if index is not None \
            else "components"
    errors = {field or "non_field_errors": [exc.details or exc.title or "refused by Meta"]}
    return ApplicationError(message, code="template_refused", errors=errors)


def _event(template: Template, kind: str, *, value: str = "", detail: dict | None = None,
           source: str = TemplateEvent.Source.MEMBER, actor_email: str = "") -> TemplateEvent:
    return TemplateEvent.objects.create(template=template, kind=kind, value=value[:64], detail=detail or {},
                                        source=source, actor_email=actor_email)


# --- members' writes ------------------------------------------------------------------------------------

def _creation_body(definition: dict) -> dict:
    keys = ("name", "language", "category", "parameter_format", "components", "message_send_ttl_seconds")
    body = {k: definition[k] for k in keys if definition.get(k) is not None}
    body["category"] = str(body["category"]).upper()
    if "parameter_format" in body:
        body["parameter_format"] = str(body["parameter_format"]).lower()
    return body


def _as_meta_has_it(client: GraphClient, meta_template_id: str, submitted: dict) -> dict:
    """Meta's own copy of what was just submitted (it upper-cases types, writes authentication texts, stores OTP
    buttons as URL buttons), so the next sync finds nothing changed; what was sent when Meta can't say."""
    from apps.templates.sync import LIST_FIELDS

    try:
        stored = client.get_template(meta_template_id, fields=LIST_FIELDS)
    except GraphError as exc:
        logger.warning("template %s: Meta's copy not read back (%s); keeping what was sent", meta_template_id, exc)
        return submitted
    return {**submitted, **{k: v for k, v in stored.items() if v not in (None, "", [])}}


def template_create(*, member: Member, definition: dict, waba_id: str | None = None) -> Template:
    """Check the definition as Meta would, submit it to the WABA, and keep Meta's answer (usually PENDING)."""
    _require_manager(member)
    problems = definition_problems(definition)
    if problems:
        raise ApplicationError("The template breaks WhatsApp's rules; see each field.", code="template_invalid",
                               errors=problems)
    account = account_for(waba_id)
    body = _creation_body(definition)
    client = client_for(account)
    try:
        answer = client.create_template(account.waba_id, body)
    except GraphError as exc:
        raise _refusal(exc, body) from exc
    except BuilderError as exc:
        raise ApplicationError(exc.message, code="whatsapp_rejected") from None
    submitted = {**body, "status": answer.get("status") or "PENDING",
                 "category": answer.get("category") or body["category"]}
    fields = {**meta_fields(_as_meta_has_it(client, str(answer.get("id")), submitted)),
              "waba_id": account.waba_id, "created_by": member.user}
    with transaction.atomic():
        waba_lock(account.waba_id)
        template, created = Template.objects.select_for_update().get_or_create(
            meta_template_id=str(answer.get("id")), defaults=fields)
        if not created:
            # Meta's review webhook got here first (it created the row from its own fields): keep its status.
            keep = {"status"} if template.status != Template.Status.UNKNOWN else set()
            for field, value in fields.items():
                if field not in keep:
                    setattr(template, field, value)
            template.save()
        _event(template, TemplateEvent.Kind.CREATED, value=template.status, actor_email=member.user.email,
               detail={"waba_id": account.waba_id})
        record(member, "template.created", target=template,
               detail={"waba_id": account.waba_id, "category": template.category, "status": template.status})
    return template


def _edit_limit(template: Template) -> None:
    """Meta's limits for approved templates (reference §5.4), counted from our own history of edits."""
    now = timezone.now()
    edits = template.events.filter(kind=TemplateEvent.Kind.EDITED, detail__status_before="APPROVED",
                                   created_at__gte=now - timedelta(days=30)).values_list("created_at", flat=True)
    edits = list(edits)
    if sum(at > now - timedelta(days=1) for at in edits) >= APPROVED_EDITS_PER_DAY:
        raise Conflict("An approved template can be edited once a day; try again tomorrow.",
                       code="template_edit_limit")
    if len(edits) >= APPROVED_EDITS_PER_30_DAYS:
        raise Conflict("An approved template can be edited 10 times in 30 days.", code="template_edit_limit")


def template_edit(*, member: Member, template: Template, components: list | None = None,
                  category: str | None = None, message_send_ttl_seconds: int | None = None) -> Template:
    """Edit where Meta allows it: category, components (replaced whole) and TTL of an approved, rejected or
    paused template; an edited template goes back to review."""
    _require_manager(member)
    if components is None and category is None and message_send_ttl_seconds is None:
        raise ApplicationError("Give components, category or message_send_ttl_seconds to change.",
                               code="validation_error",
                               errors={"non_field_errors": ["Nothing to change."]})
    if template.status not in EDITABLE:
        label = dict(Template.Status.choices).get(template.status, template.status).lower()
        raise Conflict(f"WhatsApp allows no edit of a template that is {label}: only approved, rejected or paused "
                       "ones.", code="template_not_editable")
    new_category = str(category).upper() if category is not None else template.category
    if template.status == Template.Status.APPROVED and new_category != template.category:
        raise ApplicationError("The category of an approved template can't be changed.",
                               code="template_not_editable", errors={"category": ["Can't change once approved."]})
    draft = {"name": template.name, "language": template.language, "category": new_category,
             "parameter_format": template.parameter_format,
             "components": components if components is not None else template.components,
             "message_send_ttl_seconds": message_send_ttl_seconds if message_send_ttl_seconds is not None
             else template.message_send_ttl_seconds}
    problems = definition_problems(draft)
    # A stored definition is Meta's reported shape (e.g. authentication's fixed texts): only what changes is judged.
    if components is None:
        problems = {k: v for k, v in problems.items() if not k.startswith("components")}
    if problems:
        raise ApplicationError("The template breaks WhatsApp's rules; see each field.", code="template_invalid",
                               errors=problems)
    if template.status == Template.Status.APPROVED:
        _edit_limit(template)
    account = account_for(template.waba_id)
    body = {"components": components,
            "category": new_category if category is not None else None,
            "message_send_ttl_seconds": message_send_ttl_seconds}
    client = client_for(account)
    try:
        client.edit_template(template.meta_template_id, **body)
    except GraphError as exc:
        if exc.subcode == 2388045:
            raise Conflict(f"WhatsApp allows no edit now: {exc.title}", code="template_not_editable") from exc
        raise _refusal(exc, {k: v for k, v in body.items() if v is not None}) from exc
    changed = {k: v for k, v in body.items() if v is not None}
    if "components" in changed:
        stored = _as_meta_has_it(client, template.meta_template_id, {"components": components})
        changed["components"] = stored["components"] if isinstance(stored.get("components"), list) else components
    status_before = template.status
    with transaction.atomic():
        template = Template.objects.select_for_update().get(pk=template.pk)
        for field, value in changed.items():
            setattr(template, field, value)
        template.status = Template.Status.PENDING  # Meta reviews an edited template again
        template.rejected_reason, template.reason_detail = "", ""
        template.save()
        _event(template, TemplateEvent.Kind.EDITED, value=", ".join(sorted(changed)), actor_email=member.user.email,
               detail={"status_before": status_before, "fields": sorted(changed)})
        record(member, "template.updated", target=template,
               detail={"fields": sorted(changed), "status_before": status_before,
                       **({"category": changed["category"]} if "category" in changed else {})})
    return template


def template_delete(*, member: Member, template: Template, all_languages: bool = False) -> list[Template]:
    """Delete this language (Meta's hsm_id) or every language of the name at Meta; our rows stay, DELETED,
    with the history saying who deleted them."""
    _require_manager(member)
    if template.status == Template.Status.DISABLED:
        raise Conflict("WhatsApp doesn't delete disabled templates.", code="template_not_editable")
    account = account_for(template.waba_id)
    try:
        client_for(account).delete_template(account.waba_id, template.name,
                                            None if all_languages else template.meta_template_id)
    except GraphError as exc:
        raise _refusal(exc, {}) from exc
    rows = Template.objects.filter(waba_id=template.waba_id, name=template.name) if all_languages \
        else Template.objects.filter(pk=template.pk)
    deleted = []
    with transaction.atomic():
        for row in rows.select_for_update().exclude(status=Template.Status.DELETED):
            row.status = Template.Status.DELETED
            row.save(update_fields=["status", "updated_at"])
            _event(row, TemplateEvent.Kind.DELETED, value=Template.Status.DELETED, actor_email=member.user.email,
                   detail={"all_languages": all_languages})
            record(member, "template.deleted", target=row, detail={"all_languages": all_languages})
            deleted.append(row)
    return deleted


@transaction.atomic
def template_acknowledge(*, member: Member, template: Template) -> Template:
    """A member has seen what needed attention: the banner goes, the history says who saw what."""
    _require_manager(member)
    if template.attention:
        _event(template, TemplateEvent.Kind.ACKNOWLEDGED, value=template.attention, actor_email=member.user.email)
        record(member, "template.acknowledged", target=template, detail={"attention": template.attention})
        template.attention, template.attention_since = "", None
        template.save(update_fields=["attention", "attention_since", "updated_at"])
    return template


def _sniffed(head: bytes) -> str:
    """The type the file's first bytes say it is: the browser's Content-Type is only the file name's guess."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head[4:8] == b"ftyp":
        return "video/mp4"
    return ""


def header_sample_upload(*, member: Member, upload, waba_id: str | None = None) -> dict:
    """Upload a media header's sample through Meta's Resumable Upload; the handle goes in example.header_handle.
    `upload` is the request's file (Django's UploadedFile)."""
    _require_manager(member)
    if not upload.size:
        raise ApplicationError("The file is empty.", code="empty_file", errors={"file": ["Empty."]})
    largest = max(SAMPLE_LIMITS.values())
    if upload.size > largest:
        raise ApplicationError(f"WhatsApp takes samples up to {largest // (1024 * 1024)} MB.",
                               code="file_too_large", errors={"file": ["Too large."]})
    upload.seek(0)
    mime_type = _sniffed(upload.read(16))
    if mime_type not in SAMPLE_TYPES:
        raise ApplicationError("WhatsApp takes JPEG or PNG images, MP4 videos and PDF documents as samples.",
                               code="validation_error", errors={"file": ["Use a JPEG, PNG, MP4 or PDF file."]})
    limit = SAMPLE_LIMITS[mime_type]
    if upload.size > limit:
        raise ApplicationError(f"WhatsApp takes {SAMPLE_TYPES[mime_type].lower()} samples up to "
                               f"{limit // (1024 * 1024)} MB.", code="file_too_large", errors={"file": ["Too large."]})
    account = account_for(waba_id)
    filename = (upload.name or "sample")[-200:]
    upload.seek(0)
    data = upload.read()
    try:
        handle = client_for(account).upload_resumable(settings.WHATSAPP_APP_ID, data, mime_type, filename)
    except GraphError as exc:
        raise _refusal(exc, {}) from exc
    except BuilderError as exc:
        raise ApplicationError(exc.message, code="validation_error", errors={"file": [exc.message]}) from None
    return {"handle": handle, "mime_type": mime_type, "size": len(data), "filename": filename,
            "format": SAMPLE_TYPES[mime_type]}


# --- Meta's webhooks ------------------------------------------------------------------------------------

def template_for_update(*, meta_template_id: str, name: str = "", language: str = "", waba_id: str = "") -> Template:
    """The template Meta is talking about, locked for this update; created from the webhook's own
    fields when we have never seen it, so no update is lost."""
    if waba_id:
        waba_lock(waba_id)  # a sync or submission of the same WABA may be inserting it right now
    template, created = Template.objects.select_for_update().get_or_create(
        meta_template_id=meta_template_id,
        defaults={"name": name[:512], "language": language[:16], "waba_id": waba_id[:32]})
    if not created:
        # Fill what an earlier, sparser webhook left blank; Meta's name and language never change.
        missing = {f: v for f, v in (("name", name[:512]), ("language", language[:16]), ("waba_id", waba_id[:32]))
                   if v and not getattr(template, f)}
        for field, value in missing.items():
            setattr(template, field, value)
        if missing:
            template.save(update_fields=[*missing, "updated_at"])
    return template


@transaction.atomic
def template_update_apply(*, template: Template, kind: str, value: str, changes: dict, detail: dict,
                          attention: str = "") -> TemplateEvent | None:
    """Set `changes` on the template and append the update to its history; `attention` (e.g. "Rejected:
    INVALID_FORMAT") asks the team to look. The same update delivered again (equal to the latest one recorded)
    changes nothing and adds no row."""
    fingerprint = _fingerprint(kind, detail)
    latest = template.events.order_by("-created_at", "-id").values_list("fingerprint", flat=True).first()
    if latest == fingerprint:
        logger.info("template %s: %s update already recorded (redelivery)", template.meta_template_id, kind)
        return None
    if attention:
        changes = {**changes, "attention": attention[:64], "attention_since": timezone.now()}
    changed = [field for field, new in changes.items() if getattr(template, field) != new]
    previous_status = template.status
    for field in changed:
        setattr(template, field, changes[field])
    if changed:
        template.save(update_fields=[*changed, "updated_at"])
    if "status" in changed:
        template_status_changed_by_meta(template, previous_status=previous_status, via="webhook")
    return TemplateEvent.objects.create(template=template, kind=kind, value=value[:64], detail=detail,
                                        fingerprint=fingerprint)


def template_status_changed_by_meta(template: Template, *, previous_status: str, via: str) -> None:
    """Meta changed the template's status, seen by its webhook or by a sync (whichever came first: the other then
    finds nothing to change): `template_status_changed` (outbound webhooks) and the audit log, once per change."""
    template_status_changed.send(sender=Template, template=template, previous_status=previous_status)
    record(META, "template.status_changed", target=template,
           detail={"old": previous_status, "new": template.status, "reason": template.rejected_reason, "via": via})


def attention_for(*, status: str = "", reason: str = "", quality: str = "", category_from: str = "",
                  category_to: str = "") -> str:
    """What the team is told about a change, or "" when it needs nobody (APPROVED, GREEN, ...)."""
    if status in ATTENTION_STATUSES:
        return f"{ATTENTION_STATUSES[status]}: {reason}" if reason else ATTENTION_STATUSES[status]
    if quality == "RED":
        return "Quality RED"
    if category_to and category_from and category_to != category_from:
        return f"Category {category_from} → {category_to}"
    return ""
