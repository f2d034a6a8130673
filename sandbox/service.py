"""The running sandbox: state, webhook dispatcher, fault knobs and messaging, plus the template
lifecycle and Embedded Signup, which both emit webhooks.
"""
from __future__ import annotations

import secrets

from .calling import Calling
from .errors import SUB_TEMPLATE_EXISTS, SUB_TEMPLATE_NOT_EDITABLE, GraphError
from .messaging import Messaging
from .state import OAuthCode, SandboxState, Template
from .stats import Stats
from .templates import CATEGORIES, EDIT_FIELDS, normalize_definition, optional_fields, review
from .uploads import Uploads, check_header_handles
from .webhooks import Dispatcher, Faults, Item

EDITABLE = ("APPROVED", "REJECTED", "PAUSED")
QUALITY_SCORES = ("GREEN", "YELLOW", "RED", "UNKNOWN")
TEMPLATE_EVENTS = ("APPROVED", "REJECTED", "PAUSED", "DISABLED", "FLAGGED", "REINSTATED", "PENDING_DELETION",
                   "DELETED", "IN_APPEAL", "LIMIT_EXCEEDED", "ARCHIVED", "UNARCHIVED", "PENDING")


class Sandbox:
    def __init__(self, state: SandboxState, transport=None):
        self.state = state
        self.faults = Faults()
        self.stats = Stats()
        self.dispatcher = Dispatcher(state, self.faults, transport=transport, stats=self.stats)
        self.messaging = Messaging(state, self.dispatcher, self.stats)
        self.calling = Calling(state, self.dispatcher, self.messaging)
        self.messaging.calling = self.calling
        self.media_secret = secrets.token_bytes(16)
        self.uploads = Uploads(state, secrets.token_bytes(16))

    def reset(self, *, demo: bool = True) -> None:
        self.state.reset(demo=demo)
        self.dispatcher.clear()
        self.faults.reset()
        self.messaging.buckets.reset()
        self.calling.reset()
        self.stats.reset()

    # --- templates ----------------------------------------------------------------------------------
    def create_template(self, waba_id: str, body: dict) -> Template:
        definition = normalize_definition(body)
        state = self.state
        with state.lock:
            check_header_handles(state, waba_id, definition["components"])
            for other in state.templates_of(waba_id):
                if other.name == definition["name"] and other.language == definition["language"]:
                    raise GraphError(100, f"Content in this language already exists: {definition['name']} "
                                          f"({definition['language']}).", subcode=SUB_TEMPLATE_EXISTS)
            template = Template(id=state.new_id(), waba_id=waba_id, created_at=state.now(), updated_at=state.now(),
                                **definition)
            state.templates[template.id] = template
            state.dirty = True
        self._schedule_review(template)
        return template

    def edit_template(self, template: Template, body: dict) -> None:
        if not isinstance(body, dict):
            raise GraphError(100, "The request body must be a JSON object.")
        extra = set(body) - EDIT_FIELDS
        if extra:
            raise GraphError(100, f"Param {sorted(extra)[0]} can't be edited: only {', '.join(sorted(EDIT_FIELDS))} "
                                  "can.")
        if not body:
            raise GraphError(100, "Nothing to edit: give category, components or message_send_ttl_seconds.")
        state = self.state
        with state.lock:
            if template.status not in EDITABLE:
                raise GraphError(100, f"A template in status {template.status} can't be edited.",
                                 subcode=SUB_TEMPLATE_NOT_EDITABLE)
            category = str(body.get("category") or template.category).upper()
            if template.status == "APPROVED" and category != template.category:
                raise GraphError(100, "The category of an approved template can't be changed.",
                                 subcode=SUB_TEMPLATE_NOT_EDITABLE)
            now = state.now()
            if template.status == "APPROVED":
                recent = [t for t in template.edits if now - t < 30 * 86400]
                if len(recent) >= 10 or any(now - t < 86400 for t in recent):
                    raise GraphError(100, "An approved template can be edited once a day and 10 times in 30 days.",
                                     subcode=SUB_TEMPLATE_NOT_EDITABLE)
            definition = normalize_definition({
                "name": template.name, "language": template.language, "category": category,
                "parameter_format": body.get("parameter_format") or template.parameter_format,
                "message_send_ttl_seconds": body.get("message_send_ttl_seconds", template.message_send_ttl_seconds),
                "components": body.get("components", template.components)})
            if "components" in body:  # the stored ones were checked when they came
                check_header_handles(state, template.waba_id, definition["components"])
            for key, value in optional_fields(body).items():
                setattr(template, key, value)
            template.category = definition["category"]
            template.components = definition["components"]
            template.parameter_format = definition["parameter_format"]
            template.message_send_ttl_seconds = definition["message_send_ttl_seconds"]
            template.edits.append(now)
            template.updated_at = now
            template.status = "PENDING"
            template.rejected_reason = "NONE"
            template.rejection_info = None
            state.dirty = True
        self._schedule_review(template)

    def delete_templates(self, waba_id: str, name: str, hsm_id: str | None) -> int:
        state = self.state
        with state.lock:
            doomed = [t for t in state.templates_of(waba_id) if t.name == name and (not hsm_id or t.id == hsm_id)]
            if not doomed:
                raise GraphError(100, f"Message template \"{name}\" can't be deleted because it doesn't exist"
                                      + (f" with id {hsm_id}." if hsm_id else "."))
            if any(t.status == "DISABLED" for t in doomed):
                raise GraphError(100, "Disabled templates can't be deleted.")
            for template in doomed:
                del state.templates[template.id]
            state.dirty = True
        for template in doomed:
            template.status = "DELETED"
            self.emit_template_status(template, "DELETED")
        return len(doomed)

    def _schedule_review(self, template: Template) -> None:
        template_id = template.id
        self.dispatcher.schedule(self.state.config.template_review_ms / 1000, lambda: self._review(template_id))

    def _review(self, template_id: str) -> None:
        state = self.state
        with state.lock:
            template = state.templates.get(template_id)
            if template is None or template.status != "PENDING":
                return
            outcome = review(template.name, template.category, template.components)
            if outcome is None:
                return
            status, reason, info = outcome
            template.status = status
            template.rejected_reason = reason
            template.rejection_info = info
            template.quality_score = "UNKNOWN" if status == "APPROVED" else template.quality_score
            template.updated_at = state.now()
            state.dirty = True
        self.emit_template_status(template, status, reason, info)

    def set_template_status(self, template: Template, status: str, reason: str = "NONE") -> None:
        """Control API: move a template to any status (PAUSED, DISABLED, APPROVED, ...) with its webhook."""
        if status not in TEMPLATE_EVENTS:
            raise ValueError(f"status must be one of {', '.join(TEMPLATE_EVENTS)}")
        with self.state.lock:
            template.status = status
            template.rejected_reason = reason if status == "REJECTED" else "NONE"
            template.updated_at = self.state.now()
            self.state.dirty = True
        self.emit_template_status(template, status, reason)

    def set_template_quality(self, template: Template, score: str) -> None:
        """Control API: the template's quality changes (`message_template_quality_update` webhook)."""
        if score not in QUALITY_SCORES:
            raise ValueError(f"score must be one of {', '.join(QUALITY_SCORES)}")
        with self.state.lock:
            previous, template.quality_score = template.quality_score, score
            template.updated_at = self.state.now()
            self.state.dirty = True
        self._emit(template, "message_template_quality_update",
                   {"previous_quality_score": previous, "new_quality_score": score})

    def set_template_category(self, template: Template, category: str) -> None:
        """Control API: Meta recategorises the template (`template_category_update` webhook); the node then
        reports the old one as `previous_category`."""
        if category not in CATEGORIES:
            raise ValueError(f"category must be one of {', '.join(CATEGORIES)}")
        with self.state.lock:
            if category != template.category:
                template.previous_category, template.category = template.category, category
            template.correct_category = None
            template.updated_at = self.state.now()
            self.state.dirty = True
        self._emit(template, "template_category_update", {"new_category": category})

    def _emit(self, template: Template, field: str, value: dict) -> None:
        self.dispatcher.enqueue(Item(field=field, waba_id=template.waba_id, time=int(self.state.now()), value={
            "message_template_id": int(template.id), "message_template_name": template.name,
            "message_template_language": template.language, **value}))

    def emit_template_status(self, template: Template, event: str, reason: str = "NONE",
                             rejection_info: dict | None = None) -> None:
        value = {"event": event, "message_template_id": int(template.id), "message_template_name": template.name,
                 "message_template_language": template.language, "reason": reason,
                 "message_template_category": template.category}
        if rejection_info:
            value["rejection_info"] = rejection_info
        self.dispatcher.enqueue(Item(field="message_template_status_update", waba_id=template.waba_id, value=value,
                                     time=int(self.state.now())))

    # --- Embedded Signup ----------------------------------------------------------------------------
    def embedded_signup(self, *, app_id: str, business_id: str | None, business_name: str | None,
                        numbers: int = 1, verified_name: str | None = None, redirect_uri: str = "") -> dict:
        """The customer finished the signup dialog: a new WABA with `numbers` numbers (not registered yet),
        an authorization code for the app, and the app's PARTNER_ADDED `account_update` webhook."""
        state = self.state
        with state.lock:
            app = state.apps.get(app_id)
            if app is None:
                raise ValueError(f"unknown app_id {app_id!r}")
            if business_id:
                business = state.businesses.get(business_id)
                if business is None:
                    raise ValueError(f"unknown business {business_id!r}")
            else:
                name = (business_name or "").strip()
                if not name:
                    raise ValueError("name the new business")
                business = state.add_business(name[:100])
            count = max(1, min(2, int(numbers)))
            waba = state.add_waba(business.id, business.name)
            label = (verified_name or business.name).strip()[:100] or business.name
            created = []
            for i in range(count):
                created.append(state.add_number(
                    waba.id, state.next_display_number(), label if i == 0 else f"{label} {i + 1}",
                    registered=False, status="PENDING", messaging_limit_tier="TIER_250"))
            code = OAuthCode(code="sbx-" + secrets.token_urlsafe(24), app_id=app.id, business_id=business.id,
                             waba_id=waba.id, redirect_uri=redirect_uri, created_at=state.now())
            state.oauth_codes[code.code] = code
            state.dirty = True
        self.dispatcher.enqueue(Item(field="account_update", waba_id=app.business_id or app.id, app_id=app.id,
                                     time=int(state.now()),
                                     value={"event": "PARTNER_ADDED",
                                            "waba_info": {"waba_id": waba.id, "owner_business_id": business.id}}))
        return {"code": code.code, "business_id": business.id, "waba_id": waba.id,
                "phone_number_ids": [n.id for n in created]}
