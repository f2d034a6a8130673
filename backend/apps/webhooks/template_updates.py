"""Meta's template webhooks: status, quality score, category and components updates (reference §7.4, §5.6).

They carry no phone number; the router found the business by the WABA id (`waba_id` in the context). Parsed at
the edge (apps.whatsapp.webhook_events): a change without a template id never gets here.
"""
from apps.templates.models import Template, TemplateEvent
from apps.templates.services import template_for_update, template_update_apply
from apps.whatsapp.webhook_events import (
    Parsed,
    TemplateCategoryUpdate,
    TemplateComponentsUpdate,
    TemplateQualityUpdate,
    TemplateRef,
    TemplateStatusUpdate,
)


def _template(ref: TemplateRef, waba_id: str) -> Template:
    return template_for_update(meta_template_id=ref.meta_id, name=ref.name, language=ref.language, waba_id=waba_id)


def handle_template_status(change: Parsed, *, waba_id: str = "", **_) -> None:
    for update in change.of(TemplateStatusUpdate):
        template = _template(update.template, waba_id)
        status = update.event or Template.Status.UNKNOWN
        reason = "" if update.reason in ("", "NONE") else update.reason[:64]
        changes = {"status": status[:20], "rejected_reason": reason, "reason_detail": update.reason_detail}
        if update.category:
            changes["category"] = update.category[:32]
        template_update_apply(template=template, kind=TemplateEvent.Kind.STATUS, value=status, changes=changes,
                              detail=update.detail)


def handle_template_quality(change: Parsed, *, waba_id: str = "", **_) -> None:
    for update in change.of(TemplateQualityUpdate):
        template = _template(update.template, waba_id)
        score = update.new_score
        template_update_apply(template=template, kind=TemplateEvent.Kind.QUALITY, value=score,
                              changes={"quality_score": score[:16]} if score else {}, detail=update.detail)


def handle_template_category(change: Parsed, *, waba_id: str = "", **_) -> None:
    """Done re-categorisations carry `previous_category`; announced ones `correct_category` (the one it
    will get) next to `new_category` (the current one)."""
    for update in change.of(TemplateCategoryUpdate):
        template = _template(update.template, waba_id)
        new = update.new_category[:32]
        changes = {"category": new} if new else {}
        if update.correct_category:
            changes["pending_category"] = update.correct_category[:32]
        else:
            changes["pending_category"] = ""
            previous = update.previous_category[:32] or (template.category if template.category != new else "")
            if previous:
                changes["previous_category"] = previous
        template_update_apply(template=template, kind=TemplateEvent.Kind.CATEGORY, value=new, changes=changes,
                              detail=update.detail)


def handle_template_components(change: Parsed, *, waba_id: str = "", **_) -> None:
    """The edited components stay in the history; the template's definition is synced in a later issue."""
    for update in change.of(TemplateComponentsUpdate):
        template_update_apply(template=_template(update.template, waba_id), kind=TemplateEvent.Kind.COMPONENTS,
                              value="", changes={}, detail=update.detail)
