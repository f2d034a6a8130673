"""Idempotency-Key: the first answer replayed for 24 hours, another body refused, and two concurrent POSTs with
one key doing the work once."""
import threading
import time

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from apps.contacts.models import Contact
from apps.developer.tests.helpers import create_key, key_client
from apps.messaging.models import Message
from apps.messaging.tests.inbox_helpers import customer_writes
from apps.whatsapp.models import PhoneNumber

ALICE = "+16505550101"


def _contacts(business) -> int:
    with schema_context(business.tenant.schema_name):
        return Contact.objects.count()


def test_a_retry_with_the_same_key_replays_the_first_answer(alpha):
    client = key_client(alpha, create_key(alpha, ["contacts"])["key"])
    body = {"phone": "+14155550123", "name": "Ada"}
    first = client.post("/api/contacts/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post("/api/contacts/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert not first.has_header("Idempotent-Replayed")
    assert _contacts(alpha) == 1
    # Without the header (or with another key) it is a new request: here, a duplicate phone number.
    duplicate = client.post("/api/contacts/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert duplicate.status_code == 409 and duplicate.json()["code"] == "contact_exists"


def test_the_same_key_with_another_body_is_refused(alpha):
    client = key_client(alpha, create_key(alpha, ["contacts"])["key"])
    client.post("/api/contacts/", {"phone": "+14155550123"}, format="json", HTTP_IDEMPOTENCY_KEY="k")
    other = client.post("/api/contacts/", {"phone": "+14155550124"}, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert other.status_code == 422 and other.json()["code"] == "idempotency_mismatch"
    assert _contacts(alpha) == 1


def test_keys_are_per_caller(alpha):
    """Another caller's identical key is theirs: no replay of someone else's answer."""
    body = {"phone": "+14155550123"}
    first = key_client(alpha, create_key(alpha, ["contacts"])["key"])
    second = key_client(alpha, create_key(alpha, ["contacts"])["key"])
    assert first.post("/api/contacts/", body, format="json", HTTP_IDEMPOTENCY_KEY="k").status_code == 201
    answer = second.post("/api/contacts/", body, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert answer.json()["code"] == "contact_exists" and not answer.has_header("Idempotent-Replayed")  # it ran


def test_sessions_honour_the_header_too(alpha):
    client = alpha.client(alpha.owner)
    body = {"phone": "+14155550123"}
    first = client.post("/api/contacts/", body, format="json", HTTP_IDEMPOTENCY_KEY="s")
    again = client.post("/api/contacts/", body, format="json", HTTP_IDEMPOTENCY_KEY="s")
    assert first.status_code == again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert _contacts(alpha) == 1


@pytest.mark.parametrize("value", ["", "x" * 256, "é"])
def test_a_bad_key_is_400(alpha, value):
    client = key_client(alpha, create_key(alpha, ["contacts"])["key"])
    response = client.post("/api/contacts/", {"phone": "+14155550123"}, format="json",
                           HTTP_IDEMPOTENCY_KEY=value)
    assert response.status_code == 400 and response.json()["code"] == "idempotency_key_invalid"
    assert _contacts(alpha) == 0


def test_refusals_are_not_kept(alpha):
    """A 403 (the key lacked the scope) is not the answer forever: after the fix, the same key runs."""
    key = create_key(alpha, ["messages"])
    refused = key_client(alpha, key["key"]).post("/api/contacts/", {"phone": "+14155550123"}, format="json",
                                                   HTTP_IDEMPOTENCY_KEY="k")
    assert refused.status_code == 403
    session = alpha.client(alpha.owner)
    assert session.post("/api/contacts/", {"phone": "+14155550123"}, format="json",
                        HTTP_IDEMPOTENCY_KEY="k").status_code == 201


def test_a_validation_error_is_not_kept_so_the_fixed_body_runs_under_the_same_key(alpha):
    """Bad input changes nothing (a 400 stores nothing), so, as with Stripe, the caller fixes the body and retries
    with the same key: it runs, rather than answering the old error or a mismatch."""
    client = key_client(alpha, create_key(alpha, ["contacts"])["key"])
    bad = client.post("/api/contacts/", {"phone": "not a phone"}, format="json", HTTP_IDEMPOTENCY_KEY="c-1")
    assert bad.status_code == 400
    fixed = client.post("/api/contacts/", {"phone": "+14155550123"}, format="json", HTTP_IDEMPOTENCY_KEY="c-1")
    assert fixed.status_code == 201 and "Idempotent-Replayed" not in fixed
    assert _contacts(alpha) == 1


def test_a_message_sent_twice_with_one_key_is_sent_once(alpha, graph_sandbox):
    """The quick start's promise: curl the send twice with one Idempotency-Key, one message."""
    demo = graph_sandbox.demo
    owner = alpha.client(alpha.owner)
    assert owner.post("/api/whatsapp/numbers/", {"waba_id": demo["waba_id"], "phone_number_id": demo["phone_id"],
                                                  "access_token": demo["token"]}, format="json").status_code == 201
    customer_writes(alpha, PhoneNumber(phone_number_id=demo["phone_id"]), "Hi!", wa_id=ALICE.lstrip("+"))
    client = key_client(alpha, create_key(alpha, ["messages"])["key"])
    body = {"to": ALICE, "type": "text", "text": {"body": "Your order has shipped."}}
    answers = [client.post("/api/messages/", body, format="json", HTTP_IDEMPOTENCY_KEY="order-1234")
               for _ in range(2)]
    assert [a.status_code for a in answers] == [202, 202]
    assert answers[0].json()["id"] == answers[1].json()["id"]
    with schema_context(alpha.tenant.schema_name):
        assert Message.objects.filter(direction="out").count() == 1


def test_two_concurrent_posts_with_one_key_do_the_work_once(committed_business, monkeypatch):
    """Two connections at once: one runs (slowly), the other is told it is in progress; one contact exists."""
    from apps.contacts import contacts_api

    business = committed_business
    key = create_key(business, ["contacts"])["key"]
    original = contacts_api.ContactListApi.post

    def slow_post(self, request):
        time.sleep(0.5)
        return original(self, request)

    monkeypatch.setattr(contacts_api.ContactListApi, "post", slow_post)
    start = threading.Barrier(2)
    answers = []

    def post() -> None:
        try:
            start.wait()
            answers.append(key_client(business, key).post(
                "/api/contacts/", {"phone": "+14155550123"}, format="json", HTTP_IDEMPOTENCY_KEY="race"))
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(a.status_code for a in answers) == [201, 409]
    assert next(a for a in answers if a.status_code == 409).json()["code"] == "idempotency_in_progress"
    assert _contacts(business) == 1
    # Once the first is done, a retry gets its answer.
    replay = key_client(business, key).post("/api/contacts/", {"phone": "+14155550123"}, format="json",
                                            HTTP_IDEMPOTENCY_KEY="race")
    assert replay.status_code == 201 and replay["Idempotent-Replayed"] == "true"


def test_a_new_key_s_secret_is_never_kept_for_replay(alpha):
    """The create answer shows the secret once: a retry with the same Idempotency-Key runs again (a second key)
    rather than the secret sitting in Redis for a day."""
    from django.conf import settings as django_settings

    from apps.core.redis import redis_client

    client = alpha.client(alpha.owner)
    answers = [client.post("/api/developer/api-keys/", {"name": "CI", "scopes": ["contacts"]}, format="json",
                           HTTP_IDEMPOTENCY_KEY="mint") for _ in range(2)]
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].json()["key"] != answers[1].json()["key"] and answers[0]["Cache-Control"] == "no-store"
    for name in redis_client().scan_iter(match=f"{django_settings.CACHE_PREFIX}:idempotency:*"):
        assert answers[0].json()["key"].encode().hex().encode() not in redis_client().get(name)


def test_two_concurrent_sends_with_one_key_send_one_message(committed_business, graph_sandbox, monkeypatch):
    """The race the quick start relies on, on the send path itself: two connections POST the same message with one
    Idempotency-Key at once; one message is queued."""
    from apps.campaigns.tests.support import connect_demo
    from apps.messaging import messages_api

    business = committed_business
    number_id = connect_demo(business, graph_sandbox)
    customer_writes(business, PhoneNumber(phone_number_id=number_id), "Hi!", wa_id=ALICE.lstrip("+"))
    key = create_key(business, ["messages"])["key"]
    original = messages_api.MessageListApi.post

    def slow_post(self, request):
        time.sleep(0.5)
        return original(self, request)

    monkeypatch.setattr(messages_api.MessageListApi, "post", slow_post)
    start = threading.Barrier(2)
    answers = []
    body = {"to": ALICE, "type": "text", "text": {"body": "Your order has shipped."}}

    def post() -> None:
        try:
            start.wait()
            answers.append(key_client(business, key).post("/api/messages/", body, format="json",
                                                          HTTP_IDEMPOTENCY_KEY="order-1234"))
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(a.status_code for a in answers) == [202, 409], [a.content for a in answers]
    with schema_context(business.tenant.schema_name):
        assert Message.objects.filter(direction="out").count() == 1
