"""The live inbox stream, through the real events service (uvicorn, in a thread) and real Redis/PostgreSQL."""
import contextlib
import time

import httpx
import pytest
from django.conf import settings
from django.db import connection
from django_tenants.utils import schema_context

from apps.messaging import live, stream_leases
from apps.messaging.models import Conversation, InboxSettings
from apps.messaging.outbox import message_status_apply
from apps.messaging.tests.events_support import (
    EventsServer,
    access_cookie,
    committed,
    open_stream,
    parse_events,
)
from apps.messaging.tests.inbox_helpers import connect_number, customer_writes
from tenants.models import Membership, Role, User


@pytest.fixture(scope="module")
def events(django_db_setup, django_db_blocker):
    """The service, plus committed inbox settings for alpha and beta: the service reads them on its own
    connection, and must never wait on a row a test transaction is inserting."""
    def settings_rows(create: bool):
        for business in settings.TEST_BUSINESSES.values():
            with schema_context(business.tenant.schema_name):
                InboxSettings.objects.get_or_create(pk=1) if create else InboxSettings.objects.filter(pk=1).delete()

    with django_db_blocker.unblock():
        settings_rows(create=True)
        try:
            with EventsServer() as server:
                yield server
        finally:
            settings_rows(create=False)
            connection.set_schema_to_public()


@pytest.fixture(autouse=True)
def _short_streams(settings):
    settings.INBOX_STREAM_SECONDS = 0.3


@pytest.fixture
def members(django_db_setup, django_db_blocker):
    """Committed members of alpha (the service sees them), each with the access cookie of a real login;
    removed after the test's transaction has rolled back (list this fixture before `alpha`)."""
    alpha = settings.TEST_BUSINESSES["alpha"]
    made = []

    def add(email: str, role: str = Role.AGENT):
        def create():
            user = User.objects.create_user(email=email, password="correct-horse-battery-9")
            Membership.objects.create(user=user, tenant=alpha.tenant, role=role)
            return user, access_cookie(alpha, user)
        made.append(email)
        return committed(create)

    yield add

    def remove():  # in alpha's schema: its conversations may point at them
        with schema_context(alpha.tenant.schema_name):
            User.objects.filter(email__in=made).delete()
    with django_db_blocker.unblock():
        committed(remove)


def _events(server, business, cookie, **headers) -> list[dict]:
    response = open_stream(server, business.host, cookie, **headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/event-stream"
    return parse_events(response.text)


def _writes(business, number, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return customer_writes(business, number, **kwargs)


def test_a_customer_message_and_its_reply_status_reach_the_stream(events, alpha, django_capture_on_commit_callbacks):
    number = connect_number(alpha)
    client = alpha.client(alpha.owner)
    cookie = client.cookies["cn-access"].value
    stored = _writes(alpha, number, django_capture_on_commit_callbacks)
    (event,) = _events(events, alpha, cookie, **{"Last-Event-ID": "0-0"})
    assert event["event"] == "message" and event["message_id"] == str(stored.pk)
    assert event["conversation_id"] == stored.conversation_id

    with django_capture_on_commit_callbacks(execute=True):
        reply = client.post(f"/api/conversations/{stored.conversation_id}/messages/",
                            {"type": "text", "text": {"body": "On its way"}}, format="json").json()
    with schema_context(alpha.tenant.schema_name), django_capture_on_commit_callbacks(execute=True):
        message_status_apply(status="read", wamid="wamid.reply", callback_data=reply["id"])
    kinds = [(e["event"], e["message_id"]) for e in _events(events, alpha, cookie, **{"Last-Event-ID": event["id"]})]
    assert kinds == [("message", reply["id"]), ("status", reply["id"])]
    # The query parameter resumes too (for clients that can't set the header).
    response = httpx.get(f"{events.url}/api/inbox/events/?last_event_id={event['id']}",
                         headers={"Host": alpha.host}, cookies={"cn-access": cookie}, timeout=30)
    assert [e["message_id"] for e in parse_events(response.text)] == [reply["id"], reply["id"]]


def test_a_new_connection_starts_at_now_and_a_bad_last_event_id_is_ignored(events, alpha,
                                                                           django_capture_on_commit_callbacks):
    number = connect_number(alpha)
    _writes(alpha, number, django_capture_on_commit_callbacks)
    cookie = access_cookie(alpha, alpha.owner)
    assert _events(events, alpha, cookie) == []
    assert _events(events, alpha, cookie, **{"Last-Event-ID": "drop table"}) == []


def test_an_agent_hears_nothing_of_a_conversation_assigned_to_someone_else(events, members, alpha,
                                                                          django_capture_on_commit_callbacks):
    number = connect_number(alpha)
    (_agent, agent_cookie), (other, other_cookie) = members("agent@alpha.example"), members("other@alpha.example")
    stored = _writes(alpha, number, django_capture_on_commit_callbacks)
    with schema_context(alpha.tenant.schema_name):
        Conversation.objects.filter(pk=stored.conversation_id).update(assignee=other)
    _writes(alpha, number, django_capture_on_commit_callbacks, text="Still there?")
    heard = _events(events, alpha, agent_cookie, **{"Last-Event-ID": "0-0"})
    assert [e["assignee_id"] for e in heard] == [None]  # only the event from before the assignment
    assert len(_events(events, alpha, other_cookie, **{"Last-Event-ID": "0-0"})) == 2


def test_one_business_never_hears_anothers_events(events, alpha, beta, django_capture_on_commit_callbacks):
    number = connect_number(alpha)
    connect_number(beta, "120000000000002", "220000000000002")
    _writes(alpha, number, django_capture_on_commit_callbacks)
    assert _events(events, beta, access_cookie(beta, beta.owner), **{"Last-Event-ID": "0-0"}) == []

    # The same answers as the API: no cookie 401, another business's session 401, an unknown host 404.
    anonymous = open_stream(events, alpha.host)
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "not_authenticated"
    foreign = open_stream(events, alpha.host, access_cookie(beta, beta.owner), **{"Last-Event-ID": "0-0"})
    assert foreign.status_code == 401 and foreign.json()["code"] == "authentication_failed"
    unknown = open_stream(events, f"nobody.{settings.BASE_DOMAIN}", access_cookie(alpha, alpha.owner))
    assert unknown.status_code == 404 and unknown.json()["code"] == "unknown_host"


def test_a_removed_member_is_refused_at_the_next_reconnect(events, members, alpha):
    agent, cookie = members("leaving@alpha.example")
    assert open_stream(events, alpha.host, cookie).status_code == 200
    committed(lambda: Membership.objects.filter(user=agent, tenant=alpha.tenant).delete())
    refused = open_stream(events, alpha.host, cookie)
    assert refused.status_code == 403
    assert set(refused.json()) == {"code", "message", "errors"} and refused.json()["code"] == "permission_denied"


def test_a_quiet_stream_outlasts_the_redis_clients_default_socket_timeout(events, alpha, settings):
    settings.INBOX_STREAM_SECONDS = 8
    cookie = access_cookie(alpha, alpha.owner)
    with httpx.Client(timeout=30) as client, client.stream(
            "GET", f"{events.url}/api/inbox/events/", headers={"Host": alpha.host},
            cookies={"cn-access": cookie}) as response:
        assert response.status_code == 200
        lines = response.iter_lines()
        assert next(lines) == "retry: 1000"
        time.sleep(5.5)  # redis-py's default socket timeout is 5 s; the XREAD BLOCK must outlive it
        live.redis_client().xadd(live.stream_key(alpha.tenant.schema_name),
                                 {"data": '{"kind":"note","conversation_id":7,"assignee_id":null}'})
        frame = []
        for line in lines:
            if line.startswith(("id:", "event:", "data:")):
                frame.append(line)
            if line.startswith("data:"):
                break
        assert frame[1:] == ["event: note", 'data: {"kind":"note","conversation_id":7,"assignee_id":null}']


def test_the_api_server_never_holds_a_thread_for_a_stream(alpha):
    """Through the API's own (WSGI) server the path answers at once, in the envelope."""
    response = alpha.client(alpha.owner).get("/api/inbox/events/", HTTP_ACCEPT="text/event-stream")
    assert response.status_code == 503 and response.json()["code"] == "events_service_only"
    assert alpha.client().get("/api/inbox/events/").status_code == 401


def _hold(stack, client, server, business, cookie) -> httpx.Response:
    request = client.build_request("GET", f"{server.url}/api/inbox/events/", headers={"Host": business.host},
                                   cookies={"cn-access": cookie})
    response = client.send(request, stream=True)
    stack.callback(response.close)
    return response


def _wait_for(condition, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_the_sixth_stream_of_a_person_gets_429_and_closing_one_frees_a_slot(events, alpha, settings):
    settings.INBOX_STREAM_SECONDS = 30
    cookie = access_cookie(alpha, alpha.owner)
    schema = alpha.tenant.schema_name
    with contextlib.ExitStack() as stack, httpx.Client(timeout=30) as client:
        held = [_hold(stack, client, events, alpha, cookie) for _ in range(5)]
        assert [r.status_code for r in held] == [200] * 5
        sixth = open_stream(events, alpha.host, cookie)
        assert sixth.status_code == 429
        assert sixth.headers["Retry-After"] == str(settings.INBOX_STREAM_RETRY_AFTER)
        assert sixth.json()["code"] == "too_many_streams"
        assert sixth.json()["errors"] == {"retry_after": [str(settings.INBOX_STREAM_RETRY_AFTER)]}

        held[0].close()  # the browser tab goes away: the service notices and releases the slot
        _wait_for(lambda: stream_leases.open_count(schema, alpha.owner.pk) == 4)
        assert _hold(stack, client, events, alpha, cookie).status_code == 200
    _wait_for(lambda: stream_leases.open_count(schema) == 0)


def test_a_stream_that_ends_by_itself_gives_its_slot_back(events, alpha):
    cookie = access_cookie(alpha, alpha.owner)
    for _ in range(settings.INBOX_STREAMS_PER_PERSON + 1):
        assert open_stream(events, alpha.host, cookie).status_code == 200  # each lives 0.3 s, then ends
    assert stream_leases.open_count(alpha.tenant.schema_name) == 0


def test_a_crashed_streams_lease_runs_out_by_itself(alpha, settings):
    settings.INBOX_STREAM_LEASE_SECONDS = 0.5
    settings.INBOX_STREAMS_PER_PERSON = 1
    schema = alpha.tenant.schema_name
    stream_leases.acquire(schema, alpha.owner.pk)  # its process dies: nobody refreshes or releases it
    with pytest.raises(stream_leases.TooManyStreams):
        stream_leases.acquire(schema, alpha.owner.pk)
    time.sleep(0.6)
    stream_leases.acquire(schema, alpha.owner.pk)
    assert stream_leases.open_count(schema, alpha.owner.pk) == 1


def test_stream_caps_are_per_business(events, members, alpha, beta, settings):
    """A business at its cap (or a person at theirs) never takes a slot of another business."""
    settings.INBOX_STREAM_SECONDS = 30
    settings.INBOX_STREAMS_PER_BUSINESS = 2
    _agent, alpha_agent = members("busy@alpha.example")
    alpha_owner = access_cookie(alpha, alpha.owner)
    with contextlib.ExitStack() as stack, httpx.Client(timeout=30) as client:
        assert _hold(stack, client, events, alpha, alpha_owner).status_code == 200
        assert _hold(stack, client, events, alpha, alpha_agent).status_code == 200
        full = open_stream(events, alpha.host, alpha_owner)
        assert full.status_code == 429 and full.json()["code"] == "too_many_streams"
        # beta is untouched by alpha's full house.
        beta_owner = access_cookie(beta, beta.owner)
        assert [_hold(stack, client, events, beta, beta_owner).status_code for _ in range(2)] == [200, 200]
        assert stream_leases.open_count(alpha.tenant.schema_name) == 2
        assert stream_leases.open_count(beta.tenant.schema_name) == 2
