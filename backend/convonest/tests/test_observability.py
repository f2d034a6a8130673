"""What an operator sees (docs/observability.md): /metrics behind its token, counters by route pattern that never
name a business, live gauges (webhook backlog, queue depth, connections), the worker's endpoint, JSON log lines
with the request id, business and task id, and Sentry events without credentials."""
import gzip
import hashlib
import hmac
import io
import json
import logging
import threading
import time
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import checks
from django_tenants.log import TenantContextFilter
from django_tenants.utils import schema_context
from prometheus_client import REGISTRY
from rest_framework.test import APIClient

from apps.audit.context import Origin, request_origin
from apps.core.redis import redis_client
from apps.messaging import rate_limit
from apps.webhooks.tests.support import NUMBER_A, SECRET, WABA_A, connect, envelope, use_secret, with_number
from convonest.celery import app as celery_app
from convonest.observability.logs import ContextFilter, JsonFormatter
from sandbox.testing import free_port
from tenants.ingress.router import webhook_events_route_due

TOKEN = "metrics-token-for-the-tests-0123456789"


@celery_app.task(name="convonest.tests.observability_probe")
def probe_task():
    """A task for the log and worker tests to stand inside (never sent)."""


@pytest.fixture
def metrics_on(settings):
    settings.METRICS_TOKEN = TOKEN


def _scrape(**headers) -> tuple[int, str]:
    response = APIClient(HTTP_HOST="10.0.0.7:8000").get("/metrics", **headers)  # Prometheus calls a pod by IP
    return response.status_code, response.content.decode()


def _value(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def _signed(body: bytes) -> dict:
    return {"HTTP_X_HUB_SIGNATURE_256": "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()}


def _statuses_body(wamid: str) -> bytes:
    value = with_number({"messaging_product": "whatsapp", "statuses": [
        {"id": wamid, "status": "delivered", "timestamp": "1767225600", "recipient_id": "16505550101"}]}, NUMBER_A)
    return json.dumps(envelope(WABA_A, ("messages", value))).encode()


# --- /metrics ----------------------------------------------------------------------------------------------------

def test_metrics_are_off_without_a_token_and_refuse_a_wrong_one(db, settings):
    settings.METRICS_TOKEN = ""
    assert _scrape(HTTP_AUTHORIZATION=f"Bearer {TOKEN}")[0] == 404
    settings.METRICS_TOKEN = TOKEN
    status, body = _scrape()
    assert status == 401 and json.loads(body)["code"] == "not_authenticated"
    assert _scrape(HTTP_AUTHORIZATION="Bearer guess")[0] == 401
    assert _scrape(HTTP_AUTHORIZATION=f"Bearer {TOKEN}")[0] == 200


def test_requests_are_counted_by_route_pattern_never_by_path_host_or_business(alpha, beta, metrics_on):
    route = "api/campaigns/<int:campaign_id>/"
    before = _value("convonest_http_requests_total", route=route, method="GET", status="404")
    for business in (alpha, beta):
        assert business.client(business.owner).get("/api/campaigns/987654/").status_code == 404
    _, text = _scrape(HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert _value("convonest_http_requests_total", route=route, method="GET", status="404") == before + 2
    assert _value("convonest_http_request_duration_seconds_count", route=route) >= 2
    for private in ("987654", alpha.tenant.slug, beta.tenant.slug, alpha.tenant.schema_name, alpha.host):
        assert private not in text, private


def test_the_live_gauges_show_the_webhook_backlog_queue_depth_and_connections(db, settings, metrics_on):
    use_secret(settings)
    body = _statuses_body("wamid.backlog")
    assert APIClient(HTTP_HOST="localhost").post("/webhooks/whatsapp", body, content_type="application/json",
                                                 **_signed(body)).status_code == 200
    probe = f"{settings.CELERY_TASK_DEFAULT_QUEUE}-metrics-probe"  # no worker consumes it
    settings.CELERY_TASK_ROUTES = {**settings.CELERY_TASK_ROUTES, "probe": {"queue": probe}}
    broker = redis_client()
    broker.rpush(probe, "a", "b", "c")
    try:
        _, text = _scrape(HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    finally:
        broker.delete(probe)
    assert 'convonest_webhook_backlog_events{status="received"} 1.0' in text
    assert "convonest_webhook_backlog_oldest_seconds" in text
    assert f'convonest_queue_depth{{queue="{probe}"}} 3.0' in text
    assert 'convonest_db_connections{state="active"}' in text


def test_webhook_outcomes_routing_lag_and_bucket_waits_are_counted(alpha, settings):
    use_secret(settings)
    connect(alpha, NUMBER_A, WABA_A)
    stored, bad = (_value("convonest_webhooks_received_total", outcome=o) for o in ("stored", "invalid_signature"))
    routed, lags = _value("convonest_webhook_events_routed_total"), _value("convonest_webhook_lag_seconds_count")
    body = _statuses_body("wamid.counted")
    client = APIClient(HTTP_HOST="localhost")
    client.post("/webhooks/whatsapp", body, content_type="application/json", **_signed(body))
    client.post("/webhooks/whatsapp", body, content_type="application/json", HTTP_X_HUB_SIGNATURE_256="sha256=0")
    webhook_events_route_due(seconds=5)
    assert _value("convonest_webhooks_received_total", outcome="stored") == stored + 1
    assert _value("convonest_webhooks_received_total", outcome="invalid_signature") == bad + 1
    assert _value("convonest_webhook_events_routed_total") == routed + 1
    assert _value("convonest_webhook_lag_seconds_count") == lags + 1

    waits = _value("convonest_rate_limit_waits_total", bucket="number")
    number = f"99{time.time_ns() % 10**13:013d}"  # a fresh bucket (they outlive a test run by a minute)
    assert rate_limit.number_take(number, mps=1).allowed
    assert not rate_limit.number_take(number, mps=1).allowed
    assert _value("convonest_rate_limit_waits_total", bucket="number") == waits + 1


def test_a_worker_serves_its_own_metrics_with_tasks_by_outcome(monkeypatch):
    from convonest.observability import worker

    port = free_port()
    monkeypatch.setenv("CELERY_METRICS_PORT", str(port))
    worker._serve_metrics()
    worker._task_finished(task=probe_task, state="SUCCESS")
    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    assert 'convonest_tasks_total{outcome="success",task="convonest.tests.observability_probe"}' in text


def test_a_short_or_example_metrics_token_fails_the_deploy_check(settings):
    from convonest.checks import check_secrets

    settings.METRICS_TOKEN = "short"
    assert any("METRICS_TOKEN" in error.msg for error in check_secrets() if error.level == checks.ERROR)
    settings.METRICS_TOKEN = TOKEN
    assert not any("METRICS_TOKEN" in error.msg for error in check_secrets())


# --- logs --------------------------------------------------------------------------------------------------------

def _json_lines(run) -> list[dict]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(TenantContextFilter())
    handler.addFilter(ContextFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        run()
    finally:
        root.removeHandler(handler)
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_json_log_line_carries_the_request_id_the_business_and_the_task_id(alpha):
    logger = logging.getLogger("convonest.test")

    def run():
        with schema_context(alpha.tenant.schema_name), request_origin(Origin(ip=None, user_agent="",
                                                                             request_id="req-0123456789")):
            logger.warning("inside a request")
        task = probe_task
        task.push_request(id="task-42")
        from celery._state import _task_stack

        _task_stack.push(task)
        try:
            logger.warning("inside a task")
        finally:
            _task_stack.pop()
            task.pop_request()
        try:
            raise ValueError("boom")
        except ValueError:
            logger.exception("failed")

    request_line, task_line, failed = _json_lines(run)
    assert (request_line["request_id"], request_line["business"], request_line["task_id"]) == \
        ("req-0123456789", alpha.tenant.schema_name, "")
    assert request_line["level"] == "WARNING" and request_line["message"] == "inside a request"
    assert (task_line["task_id"], task_line["request_id"], task_line["business"]) == ("task-42", "", "")
    assert "ValueError: boom" in failed["exception"]


def test_a_request_s_log_lines_carry_the_id_it_answers_with(db, settings):
    use_secret(settings)
    body = _statuses_body("wamid.twice")
    client = APIClient(HTTP_HOST="localhost")
    client.post("/webhooks/whatsapp", body, content_type="application/json", **_signed(body))
    responses = []
    lines = _json_lines(lambda: responses.append(client.post(
        "/webhooks/whatsapp", body, content_type="application/json", HTTP_X_REQUEST_ID="edge-request-000042",
        **_signed(body))))
    (redelivery,) = [line for line in lines if "redelivery" in line["message"]]
    assert redelivery["request_id"] == "edge-request-000042" == responses[0]["X-Request-ID"]


# --- Sentry -------------------------------------------------------------------------------------------------------

class _Ingest(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self):  # noqa: N802 - http.server's naming
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        elif self.headers.get("Content-Encoding") == "br":
            import brotli

            body = brotli.decompress(body)
        _Ingest.received.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def test_sentry_reports_an_unhandled_error_without_credentials_or_bodies(alpha, settings):
    import sentry_sdk

    from convonest.observability.sentry import sentry_start

    server = HTTPServer(("127.0.0.1", 0), _Ingest)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Ingest.received.clear()
    sentry_start(f"http://publickey@127.0.0.1:{server.server_port}/1", environment="test", traces_sample_rate=0)
    try:
        client = alpha.client(alpha.owner)
        client.raise_request_exception = False
        signature, query_secret = f"sha256={uuid.uuid4().hex}", uuid.uuid4().hex
        with pytest.MonkeyPatch.context() as patch:
            from apps.campaigns.campaigns_api import CampaignListApi

            def explode(self):
                raise RuntimeError("the dispatcher's crystal ball cracked")

            patch.setattr(CampaignListApi, "get_queryset", explode)
            response = client.get(f"/api/campaigns/?token={query_secret}", HTTP_X_HUB_SIGNATURE_256=signature)
        session_cookie = client.cookies["cn-access"].value
        assert response.status_code == 500
        sentry_sdk.flush(timeout=5)
    finally:
        sentry_sdk.init()  # no DSN: nothing more is sent
        server.shutdown()
    sent = b"".join(_Ingest.received).decode("utf-8", "replace")
    assert "the dispatcher's crystal ball cracked" in sent
    # Made at run time: the event quotes this file's source lines around the error.
    for secret in (signature, query_secret, session_cookie):
        assert secret not in sent, secret
