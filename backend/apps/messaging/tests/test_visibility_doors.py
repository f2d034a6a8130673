"""Every door to a message, conversation, note or media applies the inbox's visibility rule (issue 10).

The doors are enumerated from the OpenAPI document, like the cross-tenant test enumerates routes: an operation
whose path names a message or a conversation, or whose response carries a Message, Conversation or Note, is a
door. A new door is covered the day it is added, or must be declared below with the reason it is safe. For each
door an agent who may not see a conversation gets exactly the answer they get for something that does not
exist, and nothing changes; list doors leave the hidden conversation and its messages out.
"""
import json

import pytest
from django_tenants.utils import schema_context
from drf_spectacular.generators import SchemaGenerator

from apps.messaging.models import Conversation, ConversationNote, Message
from apps.messaging.tests.inbox_helpers import connect_number, customer_writes
from tenants.models import Role

MISSING_MESSAGE = "00000000-0000-4000-8000-000000000000"
MISSING_CONVERSATION = "999999999"
GUARDED_SCHEMAS = {"Message", "MessageDetail", "Conversation", "Note"}

# Doors that return a guarded object but cannot reveal a hidden one, and why.
SAFE_BY_DESIGN = {
    ("post", "/api/messages/"): "answers with the message the caller just queued (their own words)",
    ("post", "/api/messages/template/"): "answers with the template message the caller just queued, like "
                                         "POST /api/messages/ (a template of the business, no conversation named)",
}
# A valid body for each write, so that only the visibility check can stop it.
BODIES = {
    "post /api/conversations/{conversation_id}/messages/": {"type": "text", "text": {"body": "peek"}},
    "post /api/conversations/{conversation_id}/notes/": {"body": "peek"},
    "patch /api/conversations/{conversation_id}/": {"status": "closed"},
    "post /api/messages/{message_id}/read/": {"typing_indicator": False},
}


def _refs(node, components, seen=None) -> set[str]:
    """The component names reachable from `node` (following $ref through the components)."""
    seen = set() if seen is None else seen
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if ref.startswith("#/components/schemas/"):
            name = ref.rsplit("/", 1)[-1]
            if name not in seen:
                seen.add(name)
                _refs(components.get(name, {}), components, seen)
        for value in node.values():
            _refs(value, components, seen)
    elif isinstance(node, list):
        for value in node:
            _refs(value, components, seen)
    return seen


def _doors() -> list[tuple[str, str, set[str]]]:
    schema = SchemaGenerator(urlconf="convonest.urls_schema").get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    doors = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            returned = _refs(operation.get("responses", {}), components) & GUARDED_SCHEMAS
            if "{message_id}" in path or "{conversation_id}" in path or returned:
                doors.append((method, path, returned))
    return doors


DOORS = _doors()


@pytest.fixture
def hidden(alpha):
    """A customer's conversation assigned to another agent (with a note), one the agent may see, and the agent."""
    number = connect_number(alpha)
    agent = alpha.add_member("agent@alpha.example", Role.AGENT)
    other = alpha.add_member("other@alpha.example", Role.AGENT)
    secret = customer_writes(alpha, number, "My account number is 1234", wa_id="16505550102")
    mine = customer_writes(alpha, number, "Mine", wa_id="16505550103")
    with schema_context(alpha.tenant.schema_name):
        Conversation.objects.filter(pk=secret.conversation_id).update(assignee=other)
        ConversationNote.objects.create(conversation_id=secret.conversation_id, author=other, body="VIP")
    return agent, secret, mine


def _call(client, method: str, path: str, message_id: str, conversation_id: str):
    url = path.replace("{message_id}", message_id).replace("{conversation_id}", conversation_id)
    body = BODIES.get(f"{method} {path}", {})
    return getattr(client, method)(url, json.dumps(body), content_type="application/json") if body \
        else getattr(client, method)(url)


def test_the_doors_are_found_and_each_is_checked_or_declared_safe():
    found = {(method, path) for method, path, _ in DOORS}
    assert {("get", "/api/messages/"), ("get", "/api/messages/{message_id}/"),
            ("post", "/api/messages/{message_id}/read/"), ("get", "/api/messages/{message_id}/media/"),
            ("get", "/api/conversations/"), ("get", "/api/conversations/{conversation_id}/messages/"),
            ("post", "/api/conversations/{conversation_id}/notes/")} <= found
    assert set(SAFE_BY_DESIGN) <= found, "a declared door no longer exists: remove it from SAFE_BY_DESIGN"
    for key in BODIES:
        method, path = key.split(" ", 1)
        assert (method, path) in found, key


OBJECT_DOORS = [(m, p) for m, p, _ in DOORS if "{message_id}" in p or "{conversation_id}" in p]
LIST_DOORS = [(m, p, r) for m, p, r in DOORS
              if "{" not in p and (m, p) not in SAFE_BY_DESIGN]


@pytest.mark.parametrize(("method", "path"), OBJECT_DOORS, ids=[f"{m} {p}" for m, p in OBJECT_DOORS])
def test_an_agent_gets_the_same_404_for_what_they_may_not_see_as_for_what_does_not_exist(alpha, hidden, method,
                                                                                           path):
    agent, secret, _ = hidden
    client = alpha.client(agent)
    with schema_context(alpha.tenant.schema_name):
        before = (Message.objects.count(), ConversationNote.objects.count(),
                  Conversation.objects.values_list("status", "assignee_id").get(pk=secret.conversation_id))

    hidden_answer = _call(client, method, path, str(secret.pk), str(secret.conversation_id))
    missing_answer = _call(client, method, path, MISSING_MESSAGE, MISSING_CONVERSATION)

    assert hidden_answer.status_code == 404, (method, path, hidden_answer.content)
    assert hidden_answer.json() == missing_answer.json()
    with schema_context(alpha.tenant.schema_name):
        assert before == (Message.objects.count(), ConversationNote.objects.count(),
                          Conversation.objects.values_list("status", "assignee_id").get(pk=secret.conversation_id))


@pytest.mark.parametrize(("method", "path", "returned"), LIST_DOORS, ids=[f"{m} {p}" for m, p, _ in LIST_DOORS])
def test_a_list_door_leaves_out_what_the_agent_may_not_see(alpha, hidden, method, path, returned):
    agent, secret, mine = hidden
    assert method == "get", f"{method} {path}: a write that returns a guarded object needs a rule here"

    response = alpha.client(agent).get(path, {"page_size": 200})

    assert response.status_code == 200, response.content
    body = response.content.decode()
    assert str(secret.pk) not in body and "My account number" not in body and "VIP" not in body
    if returned & {"Message", "MessageDetail"}:
        assert str(mine.pk) in body  # the filter is the rule, not an empty answer
    if "Conversation" in returned:
        ids = {row["id"] for row in response.json()["results"]}
        assert secret.conversation_id not in ids and mine.conversation_id in ids
