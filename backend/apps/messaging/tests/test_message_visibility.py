"""Every door to a message applies the inbox's visibility rule (audit M1): an agent who may not see a
conversation gets the same 404 for its messages, their details, read receipts and media as for something
that does not exist, and the message list leaves them out."""
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django_tenants.utils import schema_context

from apps.messaging.media import media_path
from apps.messaging.models import Conversation, MessageMedia
from apps.messaging.tests.inbox_helpers import connect_number, customer_writes
from tenants.models import Role

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(32))
MISSING = "00000000-0000-4000-8000-000000000000"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def hidden(alpha):
    """A customer's photo in a conversation assigned to another agent, and an agent who may not see it."""
    number = connect_number(alpha)
    agent = alpha.add_member("agent@alpha.example", Role.AGENT)
    other = alpha.add_member("other@alpha.example", Role.AGENT)
    message = customer_writes(alpha, number, wa_id="16505550102", message={
        "type": "image", "image": {"id": "7701", "mime_type": "image/png"}})
    mine = customer_writes(alpha, number, "Mine", wa_id="16505550103")
    with schema_context(alpha.tenant.schema_name):
        Conversation.objects.filter(pk=message.conversation_id).update(assignee=other)
        name = default_storage.save(media_path(message.pk, ".png"), ContentFile(PNG))
        MessageMedia.objects.create(message=message, media_id="7701", mime_type="image/png",
                                    status="downloaded", file=name, size=len(PNG))
    return agent, message, mine


def _doors(message_id) -> list[tuple[str, str]]:
    return [("get", f"/api/messages/{message_id}/"), ("post", f"/api/messages/{message_id}/read/"),
            ("get", f"/api/messages/{message_id}/media/")]


def test_an_agent_gets_the_same_404_for_a_hidden_message_as_for_a_missing_one_at_every_door(alpha, hidden):
    agent, message, _ = hidden
    client = alpha.client(agent)
    for method, url in _doors(message.pk):
        hidden_answer = getattr(client, method)(url, {}, format="json") if method == "post" else client.get(url)
        assert hidden_answer.status_code == 404, url
        missing_url = url.replace(str(message.pk), MISSING)
        missing = getattr(client, method)(missing_url, {}, format="json") if method == "post" \
            else client.get(missing_url)
        assert hidden_answer.json() == missing.json(), url


def test_the_message_list_shows_an_agent_only_messages_of_conversations_they_may_see(alpha, hidden):
    agent, message, mine = hidden
    ids = {m["id"] for m in alpha.client(agent).get("/api/messages/?page_size=200").json()["results"]}
    assert str(mine.pk) in ids and str(message.pk) not in ids


def test_managers_and_agents_allowed_to_see_all_read_every_message_and_its_media(alpha, hidden):
    agent, message, _ = hidden
    owner = alpha.client(alpha.owner)
    assert owner.get(f"/api/messages/{message.pk}/").status_code == 200
    assert owner.get(f"/api/messages/{message.pk}/media/").status_code == 200
    owner.patch("/api/inbox/settings/", {"agents_see_all": True}, format="json")
    as_agent = alpha.client(agent)
    assert as_agent.get(f"/api/messages/{message.pk}/").status_code == 200
    assert b"".join(as_agent.get(f"/api/messages/{message.pk}/media/").streaming_content) == PNG


def test_another_business_never_reaches_the_message_at_any_door(alpha, beta, hidden):
    _, message, _ = hidden
    client = beta.client(beta.owner)
    assert client.get(f"/api/messages/{message.pk}/").status_code == 404
    assert client.post(f"/api/messages/{message.pk}/read/", {}, format="json").status_code == 404
    assert client.get(f"/api/messages/{message.pk}/media/").status_code == 404
    assert str(message.pk) not in {m["id"] for m in client.get("/api/messages/").json()["results"]}
