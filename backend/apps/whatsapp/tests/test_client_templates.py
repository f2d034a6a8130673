"""The client's template-side calls against the sandbox: Resumable Upload of header samples
(`upload_resumable`, including resuming a lost answer) and reading one template (`get_template`)."""
import logging
import traceback

import httpx
import pytest
from django.conf import settings

from apps.whatsapp.client import TEMPLATE_FIELDS, GraphClient
from apps.whatsapp.errors import AuthError, BuilderError, GraphError, InvalidParameter, PermissionError_, TemplateError

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 300
PDF = b"%PDF-1.4\n" + b"1" * 500


class Recording(httpx.HTTPTransport):
    """A real transport that keeps each request; `lose` names upload POSTs whose answer is lost after the
    sandbox got the bytes (all of them, or `cut` bytes only)."""

    def __init__(self, lose: int = 0, cut: int | None = None):
        super().__init__()
        self.requests: list[httpx.Request] = []
        self.lose, self.cut = lose, cut

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        if self.lose and request.method == "POST" and request.url.path.split("/")[-1].startswith("upload:"):
            self.lose -= 1
            if self.cut is not None:  # the connection broke part-way: only the first bytes arrived
                headers = {k: v for k, v in request.headers.items() if k.lower() != "content-length"}
                request = httpx.Request("POST", request.url, headers=headers, content=request.content[:self.cut])
            super().handle_request(request).read()
            raise httpx.ReadTimeout("the answer was lost", request=request)
        return super().handle_request(request)


@pytest.fixture
def sandbox_state(graph_sandbox):
    return graph_sandbox.app.state.sandbox.state


def client(graph_sandbox, token=None, transport=None) -> GraphClient:
    return GraphClient(token or graph_sandbox.demo["token"], transport=transport)


def image_template(handle: str, name: str = "autumn_banner") -> dict:
    return {"name": name, "language": "en_US", "category": "MARKETING", "components": [
        {"type": "HEADER", "format": "IMAGE", "example": {"header_handle": [handle]}},
        {"type": "BODY", "text": "Hello {{1}}, our autumn collection is here.", "example": {"body_text": [["Ana"]]}}]}


def test_upload_resumable_follows_metas_protocol_and_the_handle_creates_a_template(graph_sandbox, sandbox_state):
    transport = Recording()
    with client(graph_sandbox, transport=transport) as graph:
        handle = graph.upload_resumable(settings.WHATSAPP_APP_ID, PNG, "image/png", "C:\\photos\\banner.png")
        created = graph.create_template(graph_sandbox.demo["waba_id"], image_template(handle))
    assert handle.startswith("4::") and sandbox_state.handles[handle].file_type == "image/png"
    assert sandbox_state.handles[handle].file_name == "banner.png"  # the name without the client's folders
    start, upload, _create = transport.requests
    assert start.url.path.endswith(f"/{settings.WHATSAPP_APP_ID}/uploads")
    assert dict(start.url.params) == {"file_name": "banner.png", "file_length": str(len(PNG)),
                                      "file_type": "image/png"}
    assert upload.url.path.split("/")[-1].startswith("upload:") and upload.url.params["sig"].startswith("AR")
    assert upload.headers["authorization"] == f"OAuth {graph_sandbox.demo['token']}"
    assert upload.headers["file_offset"] == "0" and upload.content == PNG
    assert created["id"]


def test_a_lost_answer_resumes_where_the_session_stopped(graph_sandbox, sandbox_state):
    for cut in (None, 100):  # the whole file arrived / only the first 100 bytes did
        transport = Recording(lose=1, cut=cut)
        with client(graph_sandbox, transport=transport) as graph:
            handle = graph.upload_resumable(settings.WHATSAPP_APP_ID, PDF, "application/pdf", "menu.pdf")
        assert sandbox_state.handles[handle].file_length == len(PDF)
        status, resumed = transport.requests[2:]
        assert status.method == "GET" and status.headers["authorization"].startswith("Bearer ")
        offset = len(PDF) if cut is None else cut
        assert resumed.headers["file_offset"] == str(offset) and resumed.content == PDF[offset:]


def test_a_handle_never_uploaded_is_refused_naming_header_handle(graph_sandbox):
    with client(graph_sandbox) as graph, pytest.raises(TemplateError) as refused:
        graph.create_template(graph_sandbox.demo["waba_id"], image_template("4::aW1hZ2UvanBlZw==:ARforged"))
    assert (refused.value.code, refused.value.subcode) == (100, 2494102)
    assert "components[0].example.header_handle[0]" in refused.value.details


def test_upload_rules_are_checked_before_any_request(graph_sandbox):
    transport = Recording()
    with client(graph_sandbox, transport=transport) as graph:
        for args, field in (((b"GIF89a", "image/gif", "a.gif"), "mime_type"), ((b"", "image/png", "a.png"), "file"),
                            ((b"x" * (5 * 1024 * 1024 + 1), "image/png", "big.png"), "file")):
            with pytest.raises(BuilderError) as info:
                graph.upload_resumable(settings.WHATSAPP_APP_ID, *args)
            assert info.value.field == field
        for app_id in ("", "../me", "300000000000001/uploads?x="):
            with pytest.raises(BuilderError) as info:
                graph.upload_resumable(app_id, PNG, "image/png", "a.png")
            assert info.value.field == "app_id"
    assert transport.requests == []


def test_upload_errors_are_typed(graph_sandbox, sandbox_state):
    with client(graph_sandbox) as graph, pytest.raises(InvalidParameter):  # an app the sandbox doesn't know
        graph.upload_resumable("399999999999999", PNG, "image/png", "a.png")
    with client(graph_sandbox, token="EAAG-not-a-token") as graph, pytest.raises(AuthError):
        graph.upload_resumable(settings.WHATSAPP_APP_ID, PNG, "image/png", "a.png")
    other_app = sandbox_state.apps[settings.WHATSAPP_APP_ID].__class__(id="300000000000077", secret="s")
    sandbox_state.apps[other_app.id] = other_app
    with client(graph_sandbox) as graph, pytest.raises(PermissionError_):  # our token is not that app's
        graph.upload_resumable(other_app.id, PNG, "image/png", "a.png")


def test_the_token_never_reaches_logs_or_errors(graph_sandbox, caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="httpx")
    token = graph_sandbox.demo["token"]
    with client(graph_sandbox) as graph:
        graph.upload_resumable(settings.WHATSAPP_APP_ID, PNG, "image/png", "a.png")
        with pytest.raises(GraphError) as failed:
            graph.upload_resumable("399999999999999", PNG, "image/png", "a.png")
        assert token not in repr(graph)
    texts = [caplog.text, str(failed.value), repr(failed.value), str(failed.value.as_dict()),
             "".join(traceback.format_exception(failed.value))]
    assert token not in "\n".join(texts)


def test_get_template_reads_what_the_sync_needs(graph_sandbox):
    for field in ("sub_category", "message_send_ttl_seconds", "library_template_name", "previous_category",
                  "correct_category", "rejected_reason", "quality_score", "parameter_format", "components"):
        assert field in TEMPLATE_FIELDS.split(",")
    with client(graph_sandbox) as graph:
        listed = graph.list_templates(graph_sandbox.demo["waba_id"], name="order_shipped").templates
        assert listed and {"id", "name", "components", "parameter_format", "quality_score"} <= set(listed[0])
        template = graph.get_template(listed[0]["id"])
        assert template == listed[0]
        assert template["parameter_format"] == "NAMED" and template["quality_score"]["score"] == "GREEN"
        every = ("cta_url_link_tracking_opted_out,degrees_of_freedom_spec,sub_category,library_template_name,"
                 "health_status,last_updated_time,is_primary_device_delivery_only,name")
        assert set(graph.get_template(template["id"], fields=every)) >= {
            "id", "name", "cta_url_link_tracking_opted_out", "health_status", "last_updated_time"}
        with pytest.raises(InvalidParameter):
            graph.get_template("699999999999999")
        with pytest.raises(InvalidParameter):
            graph.get_template(template["id"], fields="name,not_a_field")
        with pytest.raises(BuilderError):
            graph.get_template("upload:abc")


def test_template_refusals_stay_template_errors(graph_sandbox):
    with client(graph_sandbox) as graph, pytest.raises(TemplateError):
        graph.create_template(graph_sandbox.demo["waba_id"], {**image_template("x"), "components": [
            {"type": "BODY", "text": "{{1}} starts the body", "example": {"body_text": [["Ana"]]}}]})
