"""Meta's template webhooks update the business's templates (created when unknown), keep each update once,
stay in the business that owns the WABA, and are readable through GET /api/templates/."""
import pytest
from django_tenants.utils import schema_context

from apps.templates.models import Template, TemplateEvent
from apps.webhooks.tests.support import (
    DISPLAY_B,
    NUMBER_A,
    NUMBER_B,
    WABA_A,
    WABA_B,
    conformance,
    conformance_changes,
    connect,
    deliver,
    envelope,
    use_secret,
)
from tenants.models import WebhookChange

TEMPLATE_FILES = ("template_status_update", "template_quality_update", "template_category_update",
                  "template_components_update")


@pytest.fixture(autouse=True)
def _secret(settings):
    use_secret(settings)


def _status(template_id=5550001, event="APPROVED", **extra) -> tuple[str, dict]:
    return "message_template_status_update", {"event": event, "message_template_id": template_id,
                                              "message_template_name": "order_ready",
                                              "message_template_language": "en_US", "reason": "NONE", **extra}


@pytest.mark.parametrize(("case", "field", "value"), [c for f in TEMPLATE_FILES for c in conformance_changes(f)],
                         ids=lambda x: x if isinstance(x, str) else None)
def test_every_conformance_template_update_creates_the_template_and_one_event(alpha, case, field, value):
    connect(alpha, NUMBER_A, WABA_A)

    deliver(envelope(WABA_A, (field, value)))

    assert WebhookChange.objects.get().status == "handled"
    with schema_context(alpha.tenant.schema_name):
        template = Template.objects.get()
        assert template.meta_template_id == str(value["message_template_id"])
        assert (template.name, template.language, template.waba_id) == (
            value["message_template_name"], value["message_template_language"], WABA_A)
        assert template.events.count() == 1


def test_an_unknown_template_is_created_from_the_webhook_and_follows_its_updates(alpha):
    connect(alpha, NUMBER_A, WABA_A)
    deliver(envelope(WABA_A, _status(event="PENDING", message_template_category="MARKETING")))
    deliver(envelope(WABA_A, _status(event="REJECTED", reason="INVALID_FORMAT", rejection_info={
        "reason": "Parameters next to each other.", "recommendation": "Separate them."})))

    with schema_context(alpha.tenant.schema_name):
        template = Template.objects.get()
        assert (template.status, template.category, template.rejected_reason) == ("REJECTED", "MARKETING",
                                                                                 "INVALID_FORMAT")
        assert "Parameters next to each other." in template.reason_detail and "Separate them." in template.reason_detail

    deliver(envelope(WABA_A, _status(event="APPROVED")))
    deliver(envelope(WABA_A, ("message_template_quality_update", {
        "previous_quality_score": "GREEN", "new_quality_score": "YELLOW", "message_template_id": 5550001,
        "message_template_name": "order_ready", "message_template_language": "en_US"})))
    deliver(envelope(WABA_A, ("template_category_update", {
        "message_template_id": 5550001, "message_template_name": "order_ready", "message_template_language": "en_US",
        "previous_category": "MARKETING", "new_category": "UTILITY"})))

    with schema_context(alpha.tenant.schema_name):
        template = Template.objects.get()
        assert (template.status, template.rejected_reason, template.reason_detail) == ("APPROVED", "", "")
        assert (template.quality_score, template.category, template.previous_category) == ("YELLOW", "UTILITY",
                                                                                          "MARKETING")
        assert list(template.events.order_by("id").values_list("kind", "value")) == [
            ("status", "PENDING"), ("status", "REJECTED"), ("status", "APPROVED"), ("quality", "YELLOW"),
            ("category", "UTILITY")]


def test_an_announced_recategorisation_is_kept_as_pending(alpha):
    connect(alpha, NUMBER_A, WABA_A)
    deliver(envelope(WABA_A, ("template_category_update", {
        "message_template_id": 7, "message_template_name": "promo", "message_template_language": "en",
        "new_category": "UTILITY", "correct_category": "MARKETING", "category_update_timestamp": 1767225600})))

    with schema_context(alpha.tenant.schema_name):
        template = Template.objects.get()
        assert (template.category, template.pending_category) == ("UTILITY", "MARKETING")


def test_the_same_update_redelivered_in_another_post_is_recorded_once(alpha):
    connect(alpha, NUMBER_A, WABA_A)
    deliver(envelope(WABA_A, _status(event="PAUSED", other_info={"title": "FIRST_PAUSE", "description": "Low"})))
    # Meta batches differently on retry: the same change arrives next to another one, so the body differs.
    deliver(envelope(WABA_A, _status(event="PAUSED", other_info={"title": "FIRST_PAUSE", "description": "Low"}),
                     _status(template_id=5550002, event="APPROVED")))

    with schema_context(alpha.tenant.schema_name):
        assert TemplateEvent.objects.filter(template__meta_template_id="5550001").count() == 1
        assert Template.objects.get(meta_template_id="5550001").status == "PAUSED"
        assert Template.objects.count() == 2


def test_a_template_webhook_for_alphas_account_never_writes_in_beta(alpha, beta):
    connect(alpha, NUMBER_A, WABA_A)
    connect(beta, NUMBER_B, WABA_B, DISPLAY_B)

    deliver(envelope(WABA_A, _status(template_id=42)))

    with schema_context(beta.tenant.schema_name):
        assert not Template.objects.exists()
    with schema_context(alpha.tenant.schema_name):
        assert Template.objects.filter(meta_template_id="42").exists()


# --- the read API ------------------------------------------------------------------------------

def test_members_list_templates_page_by_page_and_read_one_with_its_events(alpha):
    connect(alpha, NUMBER_A, WABA_A)
    for template_id in (1, 2, 3):
        deliver(envelope(WABA_A, _status(template_id=template_id)))
    agent = alpha.add_member("agent@alpha.example", "agent")
    client = alpha.client(agent)

    first = client.get("/api/templates/", {"page_size": 2}).json()
    second = client.get(first["next"]).json()

    ids = [t["meta_template_id"] for t in first["results"] + second["results"]]
    assert ids == ["3", "2", "1"] and second["next"] is None
    detail = client.get(f"/api/templates/{first['results'][0]['id']}/").json()
    assert detail["status"] == "APPROVED"
    assert [(e["kind"], e["value"]) for e in detail["events"]] == [("status", "APPROVED")]
    assert detail["events"][0]["detail"]["message_template_name"] == "order_ready"


def test_another_business_template_is_404(alpha, beta):
    connect(beta, NUMBER_B, WABA_B, DISPLAY_B)
    deliver(envelope(WABA_B, _status(template_id=99)))
    with schema_context(beta.tenant.schema_name):
        beta_id = Template.objects.get().pk

    response = alpha.client(alpha.owner).get(f"/api/templates/{beta_id}/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert alpha.client(alpha.owner).get("/api/templates/").json()["results"] == []


# --- attention and live events ------------------------------------------------------------------------------

def _published(business) -> list[dict]:
    import json

    from apps.core.redis import redis_client
    from apps.messaging import live

    entries = redis_client().xrange(live.stream_key(business.tenant.schema_name))
    return [json.loads(fields[b"data"]) for _id, fields in entries]


def _template_row(business, meta_id="5550001") -> Template:
    with schema_context(business.tenant.schema_name):
        return Template.objects.get(meta_template_id=meta_id)


@pytest.mark.parametrize(("change", "attention"), [
    (_status(event="REJECTED", reason="INVALID_FORMAT"), "Rejected: INVALID_FORMAT"),
    (_status(event="PAUSED", other_info={"title": "FIRST_PAUSE", "description": "Low quality"}), "Paused: FIRST_PAUSE"),
    (_status(event="DISABLED", disable_info={"disable_date": "1767225600"}), "Disabled"),
    (_status(event="FLAGGED"), "Flagged"),
    (("message_template_quality_update", {"previous_quality_score": "YELLOW", "new_quality_score": "RED",
                                          "message_template_id": 5550001, "message_template_name": "order_ready",
                                          "message_template_language": "en_US"}), "Quality RED"),
    (("template_category_update", {"message_template_id": 5550001, "message_template_name": "order_ready",
                                   "message_template_language": "en_US", "previous_category": "UTILITY",
                                   "new_category": "MARKETING"}), "Category UTILITY → MARKETING"),
    (("template_category_update", {"message_template_id": 5550001, "message_template_name": "order_ready",
                                   "message_template_language": "en_US", "new_category": "UTILITY",
                                   "correct_category": "MARKETING"}), "Category UTILITY → MARKETING"),
], ids=["rejected", "paused", "disabled", "flagged", "quality-red", "recategorised", "announced"])
def test_what_the_team_must_see_sets_attention_and_is_announced_live(alpha, change, attention,
                                                                     django_capture_on_commit_callbacks):
    connect(alpha, NUMBER_A, WABA_A)

    with django_capture_on_commit_callbacks(execute=True):
        deliver(envelope(WABA_A, change))

    template = _template_row(alpha)
    assert template.attention == attention and template.attention_since is not None
    assert _published(alpha) == [{"kind": "template", "type": "template", "id": template.pk}]


@pytest.mark.parametrize("change", [
    _status(event="APPROVED"),
    ("message_template_quality_update", {"previous_quality_score": "GREEN", "new_quality_score": "YELLOW",
                                         "message_template_id": 5550001, "message_template_name": "order_ready",
                                         "message_template_language": "en_US"}),
], ids=["approved", "quality-yellow"])
def test_good_news_is_announced_live_but_asks_nobody_to_look(alpha, change, django_capture_on_commit_callbacks):
    connect(alpha, NUMBER_A, WABA_A)

    with django_capture_on_commit_callbacks(execute=True):
        deliver(envelope(WABA_A, change))

    template = _template_row(alpha)
    assert (template.attention, template.attention_since) == ("", None)
    assert _published(alpha) == [{"kind": "template", "type": "template", "id": template.pk}]


def test_attention_stays_until_acknowledged_and_a_redelivery_is_not_announced_again(
        alpha, django_capture_on_commit_callbacks):
    connect(alpha, NUMBER_A, WABA_A)
    rejected = _status(event="REJECTED", reason="INVALID_FORMAT")
    with django_capture_on_commit_callbacks(execute=True):
        deliver(envelope(WABA_A, rejected))
        deliver(envelope(WABA_A, rejected, _status(template_id=5550002)))  # the same update, redelivered
        deliver(envelope(WABA_A, _status(event="APPROVED")))

    assert _template_row(alpha).attention == "Rejected: INVALID_FORMAT"
    first = _template_row(alpha).pk
    assert [e["id"] for e in _published(alpha)].count(first) == 2  # rejected, then approved; not the redelivery


def test_a_template_event_reaches_every_members_stream(alpha):
    from apps.messaging import live
    from tenants.members import Member

    agent = alpha.add_member("agent@alpha.example", "agent")
    listener = live.Listener(schema=alpha.tenant.schema_name, member=Member(agent, alpha.tenant, "agent"),
                             agents_see_all=False)

    assert listener.may_see({"kind": "template", "type": "template", "id": 1})
    assert not listener.may_see({"kind": "message", "conversation_id": 1, "assignee_id": alpha.owner.pk})


def test_alphas_template_events_never_reach_betas_stream(alpha, beta, django_capture_on_commit_callbacks):
    connect(alpha, NUMBER_A, WABA_A)
    connect(beta, NUMBER_B, WABA_B, DISPLAY_B)

    with django_capture_on_commit_callbacks(execute=True):
        deliver(envelope(WABA_A, _status(event="REJECTED", reason="SCAM")))

    assert len(_published(alpha)) == 1 and _published(beta) == []


def test_a_components_update_replaces_the_definition_and_keeps_examples_that_still_fit(
        alpha, django_capture_on_commit_callbacks):
    connect(alpha, NUMBER_A, WABA_A)
    with schema_context(alpha.tenant.schema_name):
        Template.objects.create(meta_template_id="1315502779341834", waba_id=WABA_A, name="order_confirmation",
                                language="en_US", status="APPROVED", components=[
                                    {"type": "HEADER", "format": "TEXT", "text": "Your order is confirmed!"},
                                    {"type": "BODY", "text": "Thanks {{1}}!", "example": {"body_text": [["Pablo"]]}},
                                    {"type": "BUTTONS", "buttons": [{"type": "URL", "text": "Email support",
                                                                     "url": "https://www.luckyshrub.com/support"}]}])
    change = conformance("template_components_update")["element"]["all"]["entry"][0]["changes"][0]
    field, value = change["field"], change["value"]

    with django_capture_on_commit_callbacks(execute=True):
        deliver(envelope(WABA_A, (field, value)))

    template = _template_row(alpha, "1315502779341834")
    assert template.components == [
        {"type": "HEADER", "format": "TEXT", "text": "Your order is confirmed!"},
        {"type": "BODY", "text": value["message_template_element"]},
        {"type": "FOOTER", "text": "Lucky Shrub: the Succulent Specialists!"},
        {"type": "BUTTONS", "buttons": [
            {"type": "PHONE_NUMBER", "text": "Phone support", "phone_number": "+15550783881"},
            {"type": "URL", "text": "Email support", "url": "https://www.luckyshrub.com/support"}]}]
    with schema_context(alpha.tenant.schema_name):
        assert template.events.get().kind == "components"
    assert _published(alpha) == [{"kind": "template", "type": "template", "id": template.pk}]


def test_a_body_only_components_update_keeps_the_bodys_example_when_the_text_is_unchanged(alpha):
    connect(alpha, NUMBER_A, WABA_A)
    body = {"type": "BODY", "text": "Hi {{1}}! Welcome to our service.", "example": {"body_text": [["Pablo"]]}}
    with schema_context(alpha.tenant.schema_name):
        Template.objects.create(meta_template_id="12345678", waba_id=WABA_A, name="my_message_template",
                                language="he", components=[body])
    (_case, field, value) = conformance_changes("template_components_update")[0]

    deliver(envelope(WABA_A, (field, value)))

    assert _template_row(alpha, "12345678").components == [body]
