"""Platform staff tools: the webhook inbox API on the public host (staff tokens only) and replay_webhooks."""
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_tenants.utils import schema_context

from apps.messaging.models import Message
from apps.webhooks.tests.support import NUMBER_A, WABA_A, connect, deliver, envelope, use_secret, with_number
from conftest import access_cookie
from tenants.models import User, WebhookChange
from tenants.staff_auth import platform_token_for

URL = "/api/platform/webhook-changes/"


@pytest.fixture(autouse=True)
def _secret(settings):
    use_secret(settings)


@pytest.fixture
def staff(db) -> User:
    return User.objects.create_user(email="ops@convonest.example", password="x-long-password-1", is_staff=True)


def _bearer(user: User) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {platform_token_for(user)}"}


def _inbound(number_id: str, wamid: str) -> tuple[str, dict]:
    return "messages", with_number({"messaging_product": "whatsapp", "messages": [
        {"from": "16505550101", "id": wamid, "timestamp": "1767225600", "type": "text", "text": {"body": "Hi"}}]},
        number_id)


def _unroutable_and_handled(alpha) -> None:
    deliver(envelope("999", _inbound("999000000000009", "wamid.LOST")))  # nobody owns this number
    connect(alpha, NUMBER_A, WABA_A)
    deliver(envelope(WABA_A, _inbound(NUMBER_A, "wamid.OK"), ("calls", with_number({"calls": []}, NUMBER_A))))


def test_staff_list_unroutable_changes_without_the_payload(public_client, alpha, staff):
    _unroutable_and_handled(alpha)

    response = public_client.get(URL, {"status": "unroutable"}, **_bearer(staff))

    assert response.status_code == 200, response.content
    (change,) = response.json()["results"]
    assert (change["status"], change["field"], change["phone_number_id"], change["waba_id"], change["tenant"]) == (
        "unroutable", "messages", "999000000000009", "999", None)
    assert change["received_at"] and "wamid.LOST" not in response.content.decode()


def test_the_list_pages_by_cursor_and_filters_by_field(public_client, alpha, staff):
    _unroutable_and_handled(alpha)

    first = public_client.get(URL, {"page_size": 2}, **_bearer(staff)).json()
    second = public_client.get(first["next"], **_bearer(staff)).json()
    calls = public_client.get(URL, {"field": "calls"}, **_bearer(staff)).json()["results"]

    ids = [c["id"] for c in first["results"] + second["results"]]
    assert ids == sorted(WebhookChange.objects.values_list("pk", flat=True), reverse=True) and len(ids) == 3
    assert [(c["field"], c["tenant"], c["status"]) for c in calls] == [("calls", "alpha", "handled")]


def test_a_bad_status_filter_is_a_validation_error(public_client, staff):
    response = public_client.get(URL, {"status": "lost"}, **_bearer(staff))

    assert (response.status_code, response.json()["code"]) == (400, "validation_error")
    assert "status" in response.json()["errors"]


def test_without_a_token_it_is_401(public_client):
    response = public_client.get(URL)

    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")


def test_a_business_session_is_not_a_platform_login(public_client, alpha):
    alpha.owner.is_staff = True  # even a staff member's business login is bound to that business
    alpha.owner.save()
    session = alpha.client(alpha.owner).cookies[access_cookie()].value

    as_header = public_client.get(URL, HTTP_AUTHORIZATION=f"Bearer {session}")
    public_client.cookies[access_cookie()] = session
    as_cookie = public_client.get(URL)

    assert (as_header.status_code, as_header.json()["code"]) == (401, "authentication_failed")
    assert (as_cookie.status_code, as_cookie.json()["code"]) == (401, "not_authenticated")


def test_someone_no_longer_staff_is_403(public_client, staff):
    headers = _bearer(staff)
    staff.is_staff = False
    staff.save()

    response = public_client.get(URL, **headers)

    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")


def test_a_platform_token_is_refused_on_a_business_host(alpha, staff):
    response = alpha.client().get("/api/auth/user/", **_bearer(staff))

    assert (response.status_code, response.json()["code"]) == (401, "authentication_failed")


def test_tokens_are_minted_for_staff_only(staff, alpha):
    out = StringIO()
    call_command("platform_token", staff.email, "--minutes", "5", stdout=out)
    assert out.getvalue().count(".") == 2  # a JWT

    with pytest.raises(CommandError):
        call_command("platform_token", alpha.owner.email)
    with pytest.raises(ValueError):
        platform_token_for(alpha.owner)


# --- replay_webhooks ----------------------------------------------------------------------------

def test_replay_routes_unroutable_changes_once_their_number_is_connected(alpha, django_capture_on_commit_callbacks):
    deliver(envelope(WABA_A, _inbound(NUMBER_A, "wamid.LATE")))
    assert WebhookChange.objects.get().status == "unroutable"
    with django_capture_on_commit_callbacks(execute=True):  # connecting clears the cached "unknown number"
        connect(alpha, NUMBER_A, WABA_A)

    out = StringIO()
    call_command("replay_webhooks", "--failed", stdout=out)  # not the unroutable ones
    assert out.getvalue().strip() == "re-queued 0 webhook event(s)"

    out = StringIO()
    call_command("replay_webhooks", "--unroutable", stdout=out)
    assert out.getvalue().strip() == "re-queued 1 webhook event(s)"
    assert WebhookChange.objects.get().status == "handled"
    with schema_context(alpha.tenant.schema_name):
        assert Message.objects.filter(wamid="wamid.LATE").exists()


def test_replay_can_be_limited_to_events(alpha, django_capture_on_commit_callbacks):
    deliver(envelope(WABA_A, _inbound(NUMBER_A, "wamid.E1")))
    deliver(envelope(WABA_A, _inbound(NUMBER_A, "wamid.E2")))
    first, second = WebhookChange.objects.order_by("pk")
    with django_capture_on_commit_callbacks(execute=True):
        connect(alpha, NUMBER_A, WABA_A)

    out = StringIO()
    call_command("replay_webhooks", "--event", str(second.event_id), stdout=out)

    assert out.getvalue().strip() == "re-queued 1 webhook event(s)"
    assert list(WebhookChange.objects.order_by("pk").values_list("status", flat=True)) == ["unroutable", "handled"]
