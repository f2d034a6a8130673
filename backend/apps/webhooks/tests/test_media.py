"""Inbound media is downloaded in the background from the Graph API (the sandbox), stored under the business's
schema, served to its members only, once, with retries for what Meta calls transient."""
import base64
import hashlib
import json
import logging
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.core.redis import redis_client
from apps.messaging.media import BACKOFF_MAX_SECONDS, MAX_ATTEMPTS, message_media_download
from apps.messaging.models import Message, MessageMedia
from apps.messaging.tasks import messages_reconcile_all
from apps.webhooks.tests.outage import redis_down
from apps.webhooks.tests.support import envelope, post, route_all

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
TASK = "apps.messaging.tasks.message_media_download_task"


@pytest.fixture
def connected(alpha, graph_sandbox, settings, tmp_path):
    """alpha with the sandbox's demo number; files go to a fresh MEDIA_ROOT."""
    settings.MEDIA_ROOT = str(tmp_path)
    demo = graph_sandbox.demo
    response = alpha.client(alpha.owner).post("/api/whatsapp/numbers/", {
        "waba_id": demo["waba_id"], "phone_number_id": demo["phone_id"], "access_token": demo["token"]}, format="json")
    assert response.status_code == 201, response.content
    return graph_sandbox


def _upload(sandbox, data: bytes = PNG, mime: str = "image/png", filename: str = "photo.png") -> str:
    """The customer sends a file: the sandbox keeps it for the demo number, as Meta would."""
    response = sandbox.control.post("/media", json={"content_base64": base64.b64encode(data).decode(),
                                                    "mime_type": mime, "filename": filename,
                                                    "phone_number_id": sandbox.demo["phone_id"]})
    assert response.status_code == 201, response.content
    return response.json()["id"]


def _inbound(sandbox, wamid: str, media_type: str, media: dict) -> dict:
    value = {"messaging_product": "whatsapp",
             "metadata": {"display_phone_number": "15550100001", "phone_number_id": sandbox.demo["phone_id"]},
             "contacts": [{"profile": {"name": "Alice"}, "wa_id": "16505550101"}],
             "messages": [{"from": "16505550101", "id": wamid, "timestamp": "1767225600", "type": media_type,
                           media_type: media}]}
    return envelope(sandbox.demo["waba_id"], ("messages", value))


def _receive(sandbox, business, wamid: str, media_type="image", **media) -> Message:
    post(_inbound(sandbox, wamid, media_type, media), secret=settings.WHATSAPP_APP_SECRET)
    route_all()
    with schema_context(business.tenant.schema_name):
        return Message.objects.get(wamid=wamid)


def _download(business, message: Message) -> MessageMedia:
    """The task's body, in the business's schema as the worker runs it."""
    with schema_context(business.tenant.schema_name):
        message_media_download(message.pk)
        return MessageMedia.objects.get(message=message)


def _queued_downloads() -> list[dict]:
    """Download tasks waiting in this run's media queue (real Redis; no worker consumes it here)."""
    found = []
    for raw in redis_client().lrange(settings.WORKLOAD_QUEUES["media"], 0, -1):
        message = json.loads(raw)
        if message["headers"].get("task") == TASK:
            args = json.loads(base64.b64decode(message["body"]))[0]
            found.append({"schema": message["headers"].get("_schema_name"), "args": args})
    return found


def test_an_inbound_image_is_queued_on_commit_in_the_business_schema(connected, alpha,
                                                                     django_capture_on_commit_callbacks):
    media_id = _upload(connected)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post(_inbound(connected, "wamid.M1", "image", {"id": media_id, "mime_type": "image/png"}),
             secret=settings.WHATSAPP_APP_SECRET)
        route_all()
    with schema_context(alpha.tenant.schema_name):
        message = Message.objects.get(wamid="wamid.M1")
        assert (message.media.status, message.media.media_id) == ("pending", media_id)

    for callback in callbacks:  # run after commit, from the public schema, as the router's commit would
        callback()

    assert {"schema": alpha.tenant.schema_name, "args": [str(message.pk)]} in _queued_downloads()


def test_the_download_stores_the_file_under_the_schema_once_and_serves_it_to_members(connected, alpha, beta):
    message = _receive(connected, alpha, "wamid.M2", id=_upload(connected), mime_type="image/png")

    media = _download(alpha, message)

    assert (media.status, media.size, media.mime_type, media.attempts) == ("downloaded", len(PNG), "image/png", 1)
    assert media.file == f"{alpha.tenant.schema_name}/media/{message.pk}.png"
    assert media.sha256 == hashlib.sha256(PNG).hexdigest()
    with open(f"{settings.MEDIA_ROOT}/{media.file}", "rb") as stored:
        assert stored.read() == PNG
    again = _download(alpha, message)  # a redelivered task does nothing
    assert (again.attempts, again.downloaded_at) == (1, media.downloaded_at)

    url = f"/api/messages/{message.pk}/media/"
    agent = alpha.client(alpha.add_member("agent@alpha.example", "agent"))
    response = agent.get(url, HTTP_ACCEPT="image/avif,image/webp,*/*")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"

    other = beta.client(beta.owner).get(url)
    assert (other.status_code, other.json()["code"]) == (404, "not_found")
    assert alpha.client().get(url).status_code == 401


def test_media_not_downloaded_yet_is_409_and_a_text_message_has_none(connected, alpha):
    pending = _receive(connected, alpha, "wamid.M3", id=_upload(connected), mime_type="image/png")
    post(envelope(connected.demo["waba_id"], ("messages", {
        "messaging_product": "whatsapp", "metadata": {"phone_number_id": connected.demo["phone_id"]},
        "messages": [{"from": "16505550101", "id": "wamid.T1", "timestamp": "1767225600", "type": "text",
                      "text": {"body": "hi"}}]})), secret=settings.WHATSAPP_APP_SECRET)
    route_all()
    with schema_context(alpha.tenant.schema_name):
        text = Message.objects.get(wamid="wamid.T1")
    client = alpha.client(alpha.owner)

    response = client.get(f"/api/messages/{pending.pk}/media/")
    assert (response.status_code, response.json()["code"]) == (409, "media_pending")
    assert client.get(f"/api/messages/{text.pk}/media/").status_code == 404


def test_a_document_is_always_a_download(connected, alpha):
    media_id = _upload(connected, b"<html><script>alert(1)</script></html>", "text/plain", "page.html")
    message = _receive(connected, alpha, "wamid.M4", "document", id=media_id, mime_type="text/plain",
                       filename="page.html")
    assert _download(alpha, message).file.endswith(f"{message.pk}.html")

    response = alpha.client(alpha.owner).get(f"/api/messages/{message.pk}/media/")

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response["Content-Security-Policy"]


def test_transient_graph_errors_are_retried_with_backoff_then_fail_for_good(connected, alpha):
    message = _receive(connected, alpha, "wamid.M5", id=_upload(connected), mime_type="image/png")
    doomed = _receive(connected, alpha, "wamid.M6", id=_upload(connected), mime_type="image/png")
    connected.control.post("/faults", json={"error_rate": {"nodes": 1.0}, "error_status": 503}).raise_for_status()
    with schema_context(alpha.tenant.schema_name):
        delays = [message_media_download(message.pk) for _ in range(MAX_ATTEMPTS - 1)]
        media = MessageMedia.objects.get(message=message)
        assert (media.status, media.attempts) == ("pending", MAX_ATTEMPTS - 1) and media.error
        assert None not in delays and delays == sorted(delays) and delays[0] < delays[-1]

        for _ in range(MAX_ATTEMPTS):
            message_media_download(doomed.pk)
        failed = MessageMedia.objects.get(message=doomed)
        assert (failed.status, failed.attempts) == ("failed", MAX_ATTEMPTS) and failed.error

        connected.control.delete("/faults").raise_for_status()
        assert message_media_download(message.pk) is None
        assert MessageMedia.objects.get(message=message).status == "downloaded"
        assert message_media_download(doomed.pk) is None  # failed for good stays failed
        assert MessageMedia.objects.get(message=doomed).status == "failed"


def test_a_media_id_meta_does_not_know_fails_at_once_with_the_reason(connected, alpha):
    message = _receive(connected, alpha, "wamid.M7", "audio", id="999999999999", mime_type="audio/ogg; codecs=opus")

    media = _download(alpha, message)

    assert (media.status, media.attempts, media.file) == ("failed", 1, "")
    assert media.error


def test_a_redelivered_webhook_does_not_queue_a_downloaded_file_again(connected, alpha,
                                                                       django_capture_on_commit_callbacks):
    media_id = _upload(connected)
    payload = _inbound(connected, "wamid.M8", "sticker", {"id": media_id, "mime_type": "image/webp"})
    message = _receive(connected, alpha, "wamid.M8", "sticker", id=media_id, mime_type="image/webp")
    assert _download(alpha, message).status == "downloaded"
    payload["entry"][0]["time"] = 1767229999  # another POST (different bytes) carrying the same message

    with django_capture_on_commit_callbacks(execute=True):
        post(payload, secret=settings.WHATSAPP_APP_SECRET)
        route_all()

    assert _queued_downloads() == []
    with schema_context(alpha.tenant.schema_name):
        assert Message.objects.filter(wamid="wamid.M8").count() == 1


# --- Outages: a download the broker never took is swept; Meta's Retry-After never outlasts the broker --------

def test_an_image_received_while_the_broker_is_down_is_stored_then_swept_and_downloaded(
        connected, alpha, django_capture_on_commit_callbacks, caplog):
    media_id = _upload(connected)
    post(_inbound(connected, "wamid.M9", "image", {"id": media_id, "mime_type": "image/png"}),
         secret=settings.WHATSAPP_APP_SECRET)

    with redis_down(), django_capture_on_commit_callbacks(execute=True), caplog.at_level(logging.WARNING):
        route_all()

    assert any("not enqueued" in r.getMessage() and r.levelno == logging.WARNING for r in caplog.records)
    with schema_context(alpha.tenant.schema_name):
        message = Message.objects.get(wamid="wamid.M9")
        assert (message.media.status, message.media.attempts) == ("pending", 0)
    assert _queued_downloads() == []
    messages_reconcile_all()  # a fresh row may still have its task on the way: left alone
    assert _queued_downloads() == []

    with schema_context(alpha.tenant.schema_name):  # the broker is back; the row has idled past the sweep's wait
        MessageMedia.objects.update(
            updated_at=timezone.now() - timedelta(seconds=settings.MESSAGE_QUEUED_SWEEP_AFTER_SECONDS + 1))
    with django_capture_on_commit_callbacks(execute=True):
        messages_reconcile_all()
        messages_reconcile_all()  # the sweep touched the row: not enqueued twice

    assert _queued_downloads() == [{"schema": alpha.tenant.schema_name, "args": [str(message.pk)]}]
    media = _download(alpha, message)
    assert (media.status, media.size) == ("downloaded", len(PNG))


def test_a_download_whose_retry_was_lost_is_swept_once_its_longest_back_off_has_passed(
        connected, alpha, django_capture_on_commit_callbacks):
    message = _receive(connected, alpha, "wamid.M10", id=_upload(connected), mime_type="image/png")
    idle = timedelta(seconds=settings.MESSAGE_QUEUED_SWEEP_AFTER_SECONDS + 1)
    with schema_context(alpha.tenant.schema_name):  # one attempt failed; its retry never reached the broker
        MessageMedia.objects.update(attempts=1, updated_at=timezone.now() - idle)
    with django_capture_on_commit_callbacks(execute=True):
        messages_reconcile_all()
    assert _queued_downloads() == []  # it may still be waiting out a back-off

    with schema_context(alpha.tenant.schema_name):
        MessageMedia.objects.update(updated_at=timezone.now() - idle - timedelta(seconds=BACKOFF_MAX_SECONDS))
    with django_capture_on_commit_callbacks(execute=True):
        messages_reconcile_all()
    assert _queued_downloads() == [{"schema": alpha.tenant.schema_name, "args": [str(message.pk)]}]


class _RateLimited(BaseHTTPRequestHandler):
    """A Graph API that asks for a day's pause: 429 with Retry-After."""

    def do_GET(self):  # noqa: N802 (http.server's naming)
        body = json.dumps({"error": {"message": "(#4) Application request limit reached", "type": "OAuthException",
                                     "code": 4, "fbtrace_id": "Arate"}}).encode()
        self.send_response(429)
        self.send_header("Content-Type", "application/json")
        self.send_header("Retry-After", "86400")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_a_huge_retry_after_is_capped_below_the_brokers_visibility_timeout(connected, alpha, settings):
    message = _receive(connected, alpha, "wamid.M11", id=_upload(connected), mime_type="image/png")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _RateLimited)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.WHATSAPP_GRAPH_URL = f"http://127.0.0.1:{server.server_port}"
    try:
        with schema_context(alpha.tenant.schema_name):
            delay = message_media_download(message.pk)
            media = MessageMedia.objects.get(message=message)
    finally:
        server.shutdown()
        server.server_close()

    assert (media.status, media.attempts) == ("pending", 1)
    assert delay == BACKOFF_MAX_SECONDS
    assert delay < settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
