"""Submitting, editing, deleting and acknowledging templates through the API, against the sandbox (Meta): local
validation first, Meta's refusals named by field, Meta's edit limits, rows kept with their history; agents read
but never write; another business's templates are 404."""
import copy
import io
import struct
import zlib

import pytest
from django_tenants.utils import schema_context

from apps.templates.models import Template, TemplateEvent
from apps.templates.tests.support import ORDER_READY, connect_sandbox, meta, meta_templates, review, sync
from apps.webhooks.tests.support import DISPLAY_B, NUMBER_B, WABA_B, connect


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)) + chunk(
        b"IDAT", raw) + chunk(b"IEND", b"")


@pytest.fixture
def owner(alpha, graph_sandbox):
    connect_sandbox(alpha, graph_sandbox)
    return alpha.client(alpha.owner)


def _row(business, **lookup) -> Template:
    with schema_context(business.tenant.schema_name):
        return Template.objects.get(**lookup)


# --- create -------------------------------------------------------------------------------------------------

def test_an_owner_submits_a_template_meta_keeps_and_reviews(alpha, graph_sandbox, owner):
    response = owner.post("/api/templates/", ORDER_READY, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["status"], body["category"], body["parameter_format"]) == (
        "order_ready", "PENDING", "UTILITY", "POSITIONAL")
    assert body["variables"]["body"] == ["1", "2"] and body["variables"]["buttons"] == [{"index": 0, "names": ["1"]}]
    at_meta = {t["name"]: t for t in meta_templates(graph_sandbox)}["order_ready"]
    assert body["meta_template_id"] == str(at_meta["id"]) and body["waba_id"] == graph_sandbox.demo["waba_id"]
    template = _row(alpha, pk=body["id"])
    assert template.created_by == alpha.owner and template.components == ORDER_READY["components"]
    with schema_context(alpha.tenant.schema_name):
        event = template.events.get()
    assert (event.kind, event.source, event.actor_email) == ("created", "member", alpha.owner.email)

    review(graph_sandbox)
    assert meta(graph_sandbox).get_template(body["meta_template_id"])["status"] == "APPROVED"


def test_the_row_keeps_metas_own_copy_so_the_next_sync_finds_nothing_changed(alpha, graph_sandbox, owner):
    definition = {"name": "login_code", "language": "en_US", "category": "authentication",
                  "message_send_ttl_seconds": 300, "components": [
                      {"type": "body", "add_security_recommendation": True},
                      {"type": "footer", "code_expiration_minutes": 5},
                      {"type": "buttons", "buttons": [{"type": "otp", "otp_type": "copy_code", "text": "Copy"}]}]}

    created = owner.post("/api/templates/", definition, format="json").json()

    assert created["components"][0]["text"].endswith("is your verification code. For your security, do not share "
                                                      "this code.")
    assert created["components"][2]["buttons"][0]["type"] == "URL"
    assert created["variables"]["body"] == ["1"]
    result = sync(alpha)
    assert (result.added, result.updated) == (10, 0)  # the demo's ten were not here yet; ours is unchanged
    with schema_context(alpha.tenant.schema_name):
        assert list(Template.objects.get(pk=created["id"]).events.values_list("kind", flat=True)) == ["created"]


def test_a_definition_breaking_metas_rules_is_refused_locally_naming_component_and_rule(alpha, graph_sandbox, owner):
    definition = copy.deepcopy(ORDER_READY)
    definition["components"].insert(0, {"type": "HEADER", "format": "TEXT", "text": "Hello"})
    definition["components"][1]["text"] = "Hi {{1}}, your order {{2}} costs {{3}} today."

    response = owner.post("/api/templates/", definition, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "template_invalid"
    assert response.json()["errors"] == {"components[1].text": ["variable {{3}} has no example"]}
    assert "order_ready" not in {t["name"] for t in meta_templates(graph_sandbox)}
    with schema_context(alpha.tenant.schema_name):
        assert not Template.objects.exists()


def test_metas_refusal_comes_back_naming_the_field(alpha, graph_sandbox, owner):
    # hello_world (en_US) exists at Meta already: code 100, subcode 2388024.
    definition = {**ORDER_READY, "name": "hello_world"}

    response = owner.post("/api/templates/", definition, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "template_refused"
    assert list(response.json()["errors"]) == ["name"]
    assert "already exists" in response.json()["message"]


def test_the_waba_must_be_one_of_the_business(alpha, graph_sandbox, owner):
    response = owner.post("/api/templates/", {**ORDER_READY, "waba_id": "999000111"}, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["waba_id"]


def test_without_a_whatsapp_account_nothing_is_submitted(alpha):
    response = alpha.client(alpha.owner).post("/api/templates/", ORDER_READY, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "no_number"


# --- edit ---------------------------------------------------------------------------------------------------

def _synced(alpha, graph_sandbox, name: str) -> Template:
    sync(alpha)
    return _row(alpha, name=name)


def test_an_approved_template_is_edited_once_a_day_then_reviewed_again(alpha, graph_sandbox, owner):
    template = _synced(alpha, graph_sandbox, "appointment_reminder")
    components = copy.deepcopy(template.components)
    components[0]["text"] = "Hi {{1}}, a reminder of your visit on {{2}}. Can you make it?"
    components[0]["example"] = {"body_text": [["Pablo", "May 5"]]}

    response = owner.patch(f"/api/templates/{template.pk}/", {"components": components}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "PENDING"
    assert meta(graph_sandbox).get_template(template.meta_template_id)["components"][0]["text"].startswith(
        "Hi {{1}}, a reminder")
    with schema_context(alpha.tenant.schema_name):
        edited = template.events.get(kind="edited")
        assert (edited.actor_email, edited.detail["status_before"]) == (alpha.owner.email, "APPROVED")
        Template.objects.filter(pk=template.pk).update(status="APPROVED")  # approved again by Meta's review

    again = owner.patch(f"/api/templates/{template.pk}/", {"components": components}, format="json")

    assert again.status_code == 409
    assert again.json()["code"] == "template_edit_limit"


def test_an_approved_template_is_edited_at_most_ten_times_in_thirty_days(alpha, graph_sandbox, owner):
    from datetime import timedelta

    from django.utils import timezone

    template = _synced(alpha, graph_sandbox, "appointment_reminder")
    with schema_context(alpha.tenant.schema_name):
        for days in range(2, 12):
            event = TemplateEvent.objects.create(template=template, kind="edited", source="member",
                                                 detail={"status_before": "APPROVED"})
            TemplateEvent.objects.filter(pk=event.pk).update(created_at=timezone.now() - timedelta(days=days))

    response = owner.patch(f"/api/templates/{template.pk}/", {"message_send_ttl_seconds": 600}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "template_edit_limit" and "10 times in 30 days" in response.json()["message"]


def test_a_rejected_template_is_edited_as_often_as_needed(alpha, graph_sandbox, owner):
    template = _synced(alpha, graph_sandbox, "appointment_reminder")
    for ttl in (600, 900):
        with schema_context(alpha.tenant.schema_name):
            Template.objects.filter(pk=template.pk).update(status="REJECTED")
        graph_sandbox.control.post(f"/templates/{template.meta_template_id}/status",
                                   json={"status": "REJECTED", "reason": "INVALID_FORMAT"}).raise_for_status()

        response = owner.patch(f"/api/templates/{template.pk}/", {"message_send_ttl_seconds": ttl}, format="json")

        assert response.status_code == 200, response.content
        assert response.json()["message_send_ttl_seconds"] == ttl


def test_only_approved_rejected_or_paused_templates_are_edited(alpha, graph_sandbox, owner):
    created = owner.post("/api/templates/", ORDER_READY, format="json").json()

    response = owner.patch(f"/api/templates/{created['id']}/", {"message_send_ttl_seconds": 600}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "template_not_editable"


def test_an_approved_templates_category_stays(alpha, graph_sandbox, owner):
    template = _synced(alpha, graph_sandbox, "appointment_reminder")

    response = owner.patch(f"/api/templates/{template.pk}/", {"category": "MARKETING"}, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["category"]


def test_edited_components_are_validated_locally(alpha, graph_sandbox, owner):
    template = _synced(alpha, graph_sandbox, "appointment_reminder")

    response = owner.patch(f"/api/templates/{template.pk}/", {"components": [{"type": "FOOTER", "text": "x"}]},
                           format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "template_invalid"


# --- delete -------------------------------------------------------------------------------------------------

def test_deleting_one_language_or_every_language_keeps_the_rows_with_their_history(alpha, graph_sandbox, owner):
    english = owner.post("/api/templates/", ORDER_READY, format="json").json()
    spanish = owner.post("/api/templates/", {**ORDER_READY, "language": "es"}, format="json").json()
    french = owner.post("/api/templates/", {**ORDER_READY, "language": "fr"}, format="json").json()

    assert owner.delete(f"/api/templates/{english['id']}/").status_code == 204

    assert {t["language"] for t in meta_templates(graph_sandbox) if t["name"] == "order_ready"} == {"es", "fr"}
    assert _row(alpha, pk=english["id"]).status == "DELETED"
    assert _row(alpha, pk=spanish["id"]).status == "PENDING"

    assert owner.delete(f"/api/templates/{spanish['id']}/?all_languages=true").status_code == 204

    assert "order_ready" not in {t["name"] for t in meta_templates(graph_sandbox)}
    assert {_row(alpha, pk=i).status for i in (spanish["id"], french["id"])} == {"DELETED"}
    with schema_context(alpha.tenant.schema_name):
        deleted = TemplateEvent.objects.filter(kind="deleted")
        assert deleted.count() == 3 and {e.actor_email for e in deleted} == {alpha.owner.email}


# --- attention ----------------------------------------------------------------------------------------------

def test_acknowledging_clears_attention_and_says_who(alpha, graph_sandbox, owner):
    template = _synced(alpha, graph_sandbox, "hello_world")
    with schema_context(alpha.tenant.schema_name):
        Template.objects.filter(pk=template.pk).update(attention="Paused: FIRST_PAUSE")
    assert [t["id"] for t in owner.get("/api/templates/?attention=true").json()["results"]] == [template.pk]

    response = owner.post(f"/api/templates/{template.pk}/acknowledge/")

    assert response.status_code == 200
    assert response.json()["attention"] == "" and response.json()["attention_since"] is None
    detail = owner.get(f"/api/templates/{template.pk}/").json()
    assert [(e["kind"], e["value"], e["actor_email"]) for e in detail["events"]][0] == (
        "acknowledged", "Paused: FIRST_PAUSE", alpha.owner.email)
    assert owner.get("/api/templates/?attention=true").json()["results"] == []


# --- list ---------------------------------------------------------------------------------------------------

def test_the_list_filters_by_status_category_language_account_and_name(alpha, graph_sandbox, owner):
    sync(alpha)
    waba = graph_sandbox.demo["waba_id"]

    def names(query: str) -> set[str]:
        return {t["name"] for t in owner.get(f"/api/templates/?page_size=200&{query}").json()["results"]}

    assert len(names("")) == 10
    assert names("category=authentication") == {"authentication_code_copy_code_button"}
    assert names("q=ORDER") == {"order_shipped", "order_confirmation", "order_delivery_update"}
    assert names("status=approved&language=en_US&waba_id=" + waba) == names("")
    assert names("status=REJECTED") == set() and names("waba_id=1") == set()


# --- header samples -----------------------------------------------------------------------------------------

def test_a_header_sample_is_uploaded_and_its_handle_makes_an_image_template(alpha, graph_sandbox, owner):
    upload = io.BytesIO(_png())
    upload.name = "banner.png"

    response = owner.post("/api/templates/uploads/", {"file": upload}, format="multipart")

    assert response.status_code == 201, response.content
    sample = response.json()
    assert (sample["mime_type"], sample["format"], sample["filename"]) == ("image/png", "IMAGE", "banner.png")
    definition = copy.deepcopy(ORDER_READY)
    definition["components"].insert(0, {"type": "HEADER", "format": "IMAGE",
                                        "example": {"header_handle": [sample["handle"]]}})
    created = owner.post("/api/templates/", {**definition, "name": "order_ready_image"}, format="json")
    assert created.status_code == 201, created.content


@pytest.mark.parametrize(("content", "name", "code"), [
    (b"GIF89a not an accepted type", "a.gif", "validation_error"),
    (b"", "empty.png", "empty_file"),
])
def test_a_sample_meta_would_not_take_is_refused(alpha, graph_sandbox, owner, content, name, code):
    upload = io.BytesIO(content)
    upload.name = name

    response = owner.post("/api/templates/uploads/", {"file": upload}, format="multipart")

    assert response.status_code == 400
    assert response.json()["code"] == code and list(response.json()["errors"]) == ["file"]


def test_a_sample_over_metas_size_is_refused(alpha, graph_sandbox, owner):
    upload = io.BytesIO(_png() + b"\0" * (5 * 1024 * 1024))
    upload.name = "big.png"

    response = owner.post("/api/templates/uploads/", {"file": upload}, format="multipart")

    assert response.status_code == 400
    assert response.json()["code"] == "file_too_large"


# --- who may do what ----------------------------------------------------------------------------------------

def test_agents_read_templates_but_never_change_them(alpha, graph_sandbox, owner):
    sync(alpha)
    template = _row(alpha, name="appointment_reminder")
    agent = alpha.client(alpha.add_member("agent@alpha.example", "agent"))
    upload = io.BytesIO(_png())
    upload.name = "a.png"

    assert agent.get("/api/templates/").status_code == 200
    assert agent.get(f"/api/templates/{template.pk}/").status_code == 200
    assert agent.get("/api/templates/syncs/").status_code == 200
    refused = [
        agent.post("/api/templates/", ORDER_READY, format="json"),
        agent.patch(f"/api/templates/{template.pk}/", {"message_send_ttl_seconds": 600}, format="json"),
        agent.delete(f"/api/templates/{template.pk}/"),
        agent.post(f"/api/templates/{template.pk}/acknowledge/"),
        agent.post("/api/templates/sync/", {}, format="json"),
        agent.post("/api/templates/uploads/", {"file": upload}, format="multipart"),
    ]
    assert [r.status_code for r in refused] == [403] * 6
    assert {r.json()["code"] for r in refused} == {"permission_denied"}
    assert _row(alpha, pk=template.pk).status == "APPROVED"
    assert {t["name"] for t in meta_templates(graph_sandbox)} >= {"appointment_reminder"}
    assert "order_ready" not in {t["name"] for t in meta_templates(graph_sandbox)}


def test_another_business_template_is_404_for_every_door_and_untouched(alpha, beta, graph_sandbox, owner):
    connect(beta, NUMBER_B, WABA_B, DISPLAY_B)
    with schema_context(beta.tenant.schema_name):
        theirs = Template.objects.create(meta_template_id="777", waba_id=WABA_B, name="beta_only", language="en",
                                         status="APPROVED", attention="Rejected")

    answers = [owner.get(f"/api/templates/{theirs.pk}/"),
               owner.patch(f"/api/templates/{theirs.pk}/", {"message_send_ttl_seconds": 600}, format="json"),
               owner.delete(f"/api/templates/{theirs.pk}/"),
               owner.post(f"/api/templates/{theirs.pk}/acknowledge/")]

    assert [a.status_code for a in answers] == [404] * 4
    assert {a.json()["code"] for a in answers} == {"not_found"}
    with schema_context(beta.tenant.schema_name):
        theirs.refresh_from_db()
        assert (theirs.status, theirs.attention) == ("APPROVED", "Rejected") and not theirs.events.exists()
    assert owner.post("/api/templates/sync/", {"waba_id": WABA_B}, format="json").status_code == 400


@pytest.mark.parametrize(("subcode", "field"), [
    (2388042, "name"), (2388024, "name"), (2388047, "components[0]"), (2388072, "components[1].text"),
    (2388073, "components[2].text"), (2388299, "components[1].text"), (None, "non_field_errors")])
def test_metas_subcodes_name_the_field_they_are_about(subcode, field):
    from apps.templates.services import _refusal
    from apps.whatsapp.errors import GraphError

    body = {"components": [{"type": "HEADER"}, {"type": "BODY"}, {"type": "FOOTER"}]}
    error = _refusal(GraphError("(#100) Invalid parameter", code=100, subcode=subcode, details="why"), body)

    assert (error.code, list(error.errors)) == ("template_refused", [field])
    assert error.errors[field] == ["why"]
