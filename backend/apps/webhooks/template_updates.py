"""Meta's template webhooks: status, quality score, category and components updates (reference §7.4, §5.6).

They carry no phone number; the router found the business by the WABA id (`waba_id` in the context). Parsed at
the edge (apps.whatsapp.webhook_events): a change without a template id never gets here.

What the team must look at (rejected, paused, disabled, flagged, quality RED, a category change) sets the
template's `attention`; every update that changed something publishes a live `template` event after commit, so
the templates page and the inbox banner refresh (APPROVED included: the page turns "Approved" live).
"""
from apps.messaging import live
from apps.templates.models import Template, TemplateEvent
from apps.templates.services import attention_for, template_for_update, template_update_apply
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


def _pause_title(detail: dict) -> str:
    info = detail.get("other_info") if isinstance(detail.get("other_info"), dict) else {}
    title = info.get("title")
    return title.strip().upper()[:40] if isinstance(title, str) else ""


def handle_template_status(change: Parsed, *, waba_id: str = "", **_) -> None:
    for update in change.of(TemplateStatusUpdate):
        template = _template(update.template, waba_id)
        status = update.event or Template.Status.UNKNOWN
        reason = "" if update.reason in ("", "NONE") else update.reason[:64]
        changes = {"status": status[:20], "rejected_reason": reason, "reason_detail": update.reason_detail}
        if update.category:
            changes["category"] = update.category[:32]
        attention = attention_for(status=status, reason=reason or _pause_title(update.detail))
        if template_update_apply(template=template, kind=TemplateEvent.Kind.STATUS, value=status, changes=changes,
                                 detail=update.detail, attention=attention):
            live.publish_template(template.pk)


def handle_template_quality(change: Parsed, *, waba_id: str = "", **_) -> None:
    for update in change.of(TemplateQualityUpdate):
        template = _template(update.template, waba_id)
        score = update.new_score
        if template_update_apply(template=template, kind=TemplateEvent.Kind.QUALITY, value=score,
                                 changes={"quality_score": score[:16]} if score else {}, detail=update.detail,
                                 attention=attention_for(quality=score)):
            live.publish_template(template.pk)


def handle_template_category(change: Parsed, *, waba_id: str = "", **_) -> None:
    """Done re-categorisations carry `previous_category`; announced ones `correct_category` (the one it
    will get) next to `new_category` (the current one)."""
    for update in change.of(TemplateCategoryUpdate):
        template = _template(update.template, waba_id)
        new = update.new_category[:32]
        changes = {"category": new} if new else {}
        if update.correct_category:
            changes["pending_category"] = update.correct_category[:32]
            attention = attention_for(category_from=new or template.category,
                                      category_to=update.correct_category[:32])
        else:
            changes["pending_category"] = ""
            previous = update.previous_category[:32] or (template.category if template.category != new else "")
            if previous:
                changes["previous_category"] = previous
            attention = attention_for(category_from=previous, category_to=new)
        if template_update_apply(template=template, kind=TemplateEvent.Kind.CATEGORY, value=new, changes=changes,
                                 detail=update.detail, attention=attention):
            live.publish_template(template.pk)


def handle_template_components(change: Parsed, *, waba_id: str = "", **_) -> None:
    """An edit made in Meta's tools (or ours, once approved): the texts and buttons replace the stored ones; the
    webhook carries no examples or media samples, so those are kept where the shape still fits."""
    for update in change.of(TemplateComponentsUpdate):
        template = _template(update.template, waba_id)
        components = edited_components(template.components, update.detail)
        changes = {"components": components} if components != template.components else {}
        if template_update_apply(template=template, kind=TemplateEvent.Kind.COMPONENTS, value="", changes=changes,
                                 detail=update.detail):
            live.publish_template(template.pk)


def _text(value) -> str | None:
    return value if isinstance(value, str) and value else None


def edited_components(current: list, detail: dict) -> list:
    """Meta's components as the webhook describes them: `message_template_title` (a text header),
    `message_template_element` (the body), `message_template_footer`, `message_template_buttons`."""
    current = [c for c in current or [] if isinstance(c, dict)]
    by_type = {str(c.get("type", "")).upper(): c for c in current}
    out = []
    header = by_type.get("HEADER")
    title = _text(detail.get("message_template_title"))
    if title is not None:
        kept = header if header and str(header.get("format", "")).upper() == "TEXT" and header.get("text") == title \
            else None
        out.append(kept or {"type": "HEADER", "format": "TEXT", "text": title})
    elif header is not None and str(header.get("format", "TEXT")).upper() != "TEXT":
        out.append(header)  # a media or location header has no title to report
    body = by_type.get("BODY") or {}
    element = _text(detail.get("message_template_element"))
    if element is not None:
        out.append(body if body.get("text") == element else {"type": "BODY", "text": element})
    elif body:
        out.append(body)
    footer = _text(detail.get("message_template_footer"))
    if footer is not None:
        out.append({"type": "FOOTER", "text": footer})
    buttons = detail.get("message_template_buttons")
    if isinstance(buttons, list) and buttons:
        old = {(str(b.get("type", "")).upper(), b.get("text")): b
               for b in (by_type.get("BUTTONS") or {}).get("buttons") or [] if isinstance(b, dict)}
        out.append({"type": "BUTTONS", "buttons": [_button(b, old) for b in buttons if isinstance(b, dict)]})
    elif "BUTTONS" in by_type and "message_template_buttons" not in detail:
        out.append(by_type["BUTTONS"])
    out.extend(c for kind, c in by_type.items() if kind in ("CAROUSEL", "LIMITED_TIME_OFFER"))
    return out


def _button(item: dict, old: dict) -> dict:
    kind = str(item.get("message_template_button_type") or "").upper()
    button = {"type": kind, "text": item.get("message_template_button_text") or ""}
    if item.get("message_template_button_url"):
        button["url"] = item["message_template_button_url"]
    if item.get("message_template_button_phone_number"):
        button["phone_number"] = item["message_template_button_phone_number"]
    previous = old.get((kind, button["text"]))
    if previous and previous.get("url") == button.get("url") and "example" in previous:
        button["example"] = previous["example"]  # the webhook has no examples: keep the one we had
    return button
