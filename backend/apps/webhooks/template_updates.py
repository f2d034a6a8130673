"""Meta's template webhooks: status, quality score, category and components updates (reference §7.4, §5.6).

They carry no phone number; the router found the business by the WABA id (`waba_id` in the context).
"""
import logging

from apps.templates.models import Template, TemplateEvent
from apps.templates.services import template_for_update, template_update_apply

logger = logging.getLogger(__name__)


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _template(value: dict, waba_id: str) -> Template | None:
    meta_id = _text(value.get("message_template_id"))
    if not meta_id:
        logger.warning("template webhook without message_template_id; kept raw only")
        return None
    return template_for_update(meta_template_id=meta_id, name=_text(value.get("message_template_name")),
                               language=_text(value.get("message_template_language")), waba_id=waba_id)


def _reason_detail(value: dict) -> str:
    """Meta's explanation, whichever of its shapes this event uses."""
    parts = []
    for key, fields in (("rejection_info", ("reason", "recommendation")), ("other_info", ("title", "description")),
                        ("disable_info", ("disable_date",))):
        info = value.get(key)
        if isinstance(info, dict):
            parts += [f"{field}: {_text(info.get(field))}" for field in fields if _text(info.get(field))]
    return "\n".join(parts)


def handle_template_status(value: dict, *, waba_id: str = "", **_) -> None:
    template = _template(value, waba_id)
    if template is None:
        return
    status = _text(value.get("event")).upper() or Template.Status.UNKNOWN
    reason = _text(value.get("reason")).upper()
    changes = {"status": status[:20], "rejected_reason": "" if reason in ("", "NONE") else reason[:64],
               "reason_detail": _reason_detail(value)}
    if _text(value.get("message_template_category")):
        changes["category"] = _text(value.get("message_template_category")).upper()[:32]
    template_update_apply(template=template, kind=TemplateEvent.Kind.STATUS, value=status, changes=changes,
                          detail=value)


def handle_template_quality(value: dict, *, waba_id: str = "", **_) -> None:
    template = _template(value, waba_id)
    if template is None:
        return
    score = _text(value.get("new_quality_score")).upper()
    template_update_apply(template=template, kind=TemplateEvent.Kind.QUALITY, value=score,
                          changes={"quality_score": score[:16]} if score else {}, detail=value)


def handle_template_category(value: dict, *, waba_id: str = "", **_) -> None:
    """Done re-categorisations carry `previous_category`; announced ones `correct_category` (the one it
    will get) next to `new_category` (the current one)."""
    template = _template(value, waba_id)
    if template is None:
        return
    new = _text(value.get("new_category")).upper()[:32]
    changes = {"category": new} if new else {}
    if _text(value.get("correct_category")):
        changes["pending_category"] = _text(value.get("correct_category")).upper()[:32]
    else:
        changes["pending_category"] = ""
        previous = _text(value.get("previous_category")).upper()[:32] or \
            (template.category if template.category != new else "")
        if previous:
            changes["previous_category"] = previous
    template_update_apply(template=template, kind=TemplateEvent.Kind.CATEGORY, value=new, changes=changes,
                          detail=value)


def handle_template_components(value: dict, *, waba_id: str = "", **_) -> None:
    """The edited components stay in the history; the template's definition is synced in a later issue."""
    template = _template(value, waba_id)
    if template is None:
        return
    template_update_apply(template=template, kind=TemplateEvent.Kind.COMPONENTS, value="", changes={}, detail=value)
