"""Writes to templates. Meta's template webhooks land here (apps.webhooks.template_updates parses them)."""
import hashlib
import json
import logging

from apps.templates.models import Template, TemplateEvent

logger = logging.getLogger(__name__)


def _fingerprint(kind: str, value: dict) -> str:
    return hashlib.sha256(json.dumps([kind, value], sort_keys=True, default=str).encode()).hexdigest()


def template_for_update(*, meta_template_id: str, name: str = "", language: str = "", waba_id: str = "") -> Template:
    """The template Meta is talking about, locked for this update; created from the webhook's own
    fields when we have never seen it, so no update is lost."""
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


def template_update_apply(*, template: Template, kind: str, value: str, changes: dict,
                          detail: dict) -> TemplateEvent | None:
    """Set `changes` on the template and append the update to its history. The same update delivered
    again (equal to the latest one recorded) changes nothing and adds no row."""
    fingerprint = _fingerprint(kind, detail)
    latest = template.events.order_by("-created_at", "-id").values_list("fingerprint", flat=True).first()
    if latest == fingerprint:
        logger.info("template %s: %s update already recorded (redelivery)", template.meta_template_id, kind)
        return None
    changed = [field for field, new in changes.items() if getattr(template, field) != new]
    for field in changed:
        setattr(template, field, changes[field])
    if changed:
        template.save(update_fields=[*changed, "updated_at"])
    return TemplateEvent.objects.create(template=template, kind=kind, value=value[:64], detail=detail,
                                        fingerprint=fingerprint)
