"""The Graph API client against the WhatsApp sandbox (sandbox/), served by uvicorn in a thread on a free
127.0.0.1 port: the client is synchronous and httpx's ASGITransport is async-only. Meta is reached only
through the sandbox; nothing here mocks Meta's HTTP. `/_sandbox/...` is the sandbox's own control API
(reset, fault knobs, acting as the customer), used to arrange each case."""
import logging
import pickle
import time
import traceback

import httpx
import pytest

from apps.whatsapp import builders as wb
from apps.whatsapp.builders import template as tp
from apps.whatsapp.client import GraphClient, PhoneNumberInfo, redact_url
from apps.whatsapp.errors import (
    AuthError,
    BuilderError,
    GraphError,
    InvalidParameter,
    MediaTooLarge,
    PermissionError_,
    RateLimited,
    ReEngagementRequired,
    TemplateError,
    TransientError,
    Undeliverable,
    graph_error,
    parse_retry_after,
)
from sandbox.state import demo_values
from sandbox.testing import SandboxServer, free_port

DEMO = demo_values()
ALICE = "16505550101"  # demo customer with an open 24-hour window
CARLA = "5511955550123"  # demo customer whose window is closed
VERSION = "v23.0"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(scope="module")
def sandbox_server():
    # Webhooks go to a closed port: these tests look at the client, not at webhook delivery.
    with SandboxServer() as server:
        yield server.url


class Sandbox:
    def __init__(self, url: str):
        self.url = url
        self.control = httpx.Client(base_url=f"{url}/_sandbox", timeout=10)

    def client(self, token: str | None = DEMO["token"], **kwargs) -> GraphClient:
        return GraphClient(token, base_url=self.url, version=VERSION, **kwargs)

    def post(self, path: str, body: dict | None = None, method: str = "POST") -> dict:
        response = self.control.request(method, path, json=body)
        assert response.status_code < 300, response.text
        return response.json()

    def get(self, path: str, **params) -> dict:
        response = self.control.get(path, params=params)
        assert response.status_code == 200, response.text
        return response.json()

    def inbound(self, wa_id: str = ALICE, text: str = "hello") -> str:
        """The customer writes to the first demo number; returns the inbound wamid."""
        body = self.post(f"/customers/{wa_id}/messages",
                         {"phone_number_id": DEMO["phone_id"], "type": "text", "text": {"body": text}})
        return body["messages"][0]["id"]

    def faults(self, **knobs) -> None:
        self.post("/faults", knobs)


@pytest.fixture
def sb(sandbox_server):
    sandbox = Sandbox(sandbox_server)
    sandbox.post("/reset", {"demo": True})
    sandbox.post("/faults", method="DELETE")
    yield sandbox
    sandbox.post("/faults", method="DELETE")
    sandbox.control.close()


@pytest.fixture
def client(sb):
    with sb.client() as graph:
        yield graph


# --- sending every message type -----------------------------------------------------------------

def _upload(client: GraphClient, mime: str, name: str, data: bytes = PNG) -> str:
    return client.upload_media(DEMO["phone_id"], data, mime, name)


def test_send_text_returns_the_wamid_and_reaches_the_sandbox(sb, client):
    result = client.send_message(DEMO["phone_id"], ALICE, wb.text("Hi https://example.com", preview_url=True),
                                 biz_opaque_callback_data="msg-1")
    assert result.wamid.startswith("wamid.") and result.wa_id == ALICE and result.input == "+" + ALICE
    assert result.message_status is None  # only templates carry it
    stored = sb.get(f"/messages/{result.wamid}")
    assert stored["payload"] == {"messaging_product": "whatsapp", "recipient_type": "individual", "to": "+" + ALICE,
                                 "type": "text", "text": {"body": "Hi https://example.com", "preview_url": True},
                                 "biz_opaque_callback_data": "msg-1"}


def test_every_message_type_is_accepted_by_the_sandbox(sb, client):
    inbound = sb.inbound()
    media = {kind: _upload(client, mime, name) for kind, mime, name in (
        ("image", "image/png", "a.png"), ("video", "video/mp4", "a.mp4"), ("audio", "audio/ogg", "a.ogg"),
        ("document", "application/pdf", "a.pdf"), ("sticker", "image/webp", "a.webp"))}
    cards = [wb.carousel_card(display_text="Shop", url=f"https://shop.example.com/{i}", image_id=media["image"],
                              body=f"Deal {i}") for i in range(2)]
    messages = {
        "text": wb.text("hello"),
        "image": wb.image(media_id=media["image"], caption="a caption"),
        "image-link": wb.image(link="https://example.com/a.png"),
        "video": wb.video(media_id=media["video"]),
        "audio": wb.audio(media_id=media["audio"], voice=True),
        "document": wb.document(media_id=media["document"], filename="invoice.pdf", caption="Invoice"),
        "sticker": wb.sticker(media_id=media["sticker"]),
        "location": wb.location("37.4421", "-122.1615", name="Philz Coffee"),
        "contacts": wb.contacts([{"name": {"formatted_name": "Barbara Johnson"},
                                  "phones": [{"phone": "+19175559999", "wa_id": "19175559999"}]}]),
        "reaction": wb.reaction(inbound, "\U0001F44D"),
        "reaction-remove": wb.reaction(inbound, ""),
        "reply": wb.reply_to(wb.text("quoted"), inbound),
        "buttons": wb.reply_buttons("Tomorrow 9am?", [("yes", "Yes"), ("no", "No"), ("later", "Later")],
                                    header=wb.header_media("image", media_id=media["image"]), footer="Lucky Shrub"),
        "list": wb.list_message("Pick one", "Options", [{"title": "Fast", "rows": [{"id": "x", "title": "Express"}]},
                                                        {"title": "Slow", "rows": [{"id": "y", "title": "Ground"}]}]),
        "cta_url": wb.cta_url("See dates", "Open", "https://example.com", header="New dates!"),
        "location_request": wb.location_request("Where should we pick you up?"),
        "flow": wb.flow("Book", "Book!", flow_id="1234567890", flow_token="tok", screen="FIRST", data={"k": "v"}),
        "carousel": wb.carousel("Offers", cards),
    }
    for name, message in messages.items():
        result = client.send_message(DEMO["phone_id"], ALICE, message)
        stored = sb.get(f"/messages/{result.wamid}")
        assert stored["payload"]["type"] == message["type"], name
        assert stored["payload"][message["type"]] == message[message["type"]], name


def test_every_demo_template_sends_with_parameters_from_its_examples(sb, client):
    """The sandbox's approved templates, read back through list_templates, sent as template messages
    whose parameters come from each definition's examples; each fits its definition and is accepted."""
    media = {"image": {"id": _upload(client, "image/png", "h.png")},
             "document": {"id": _upload(client, "application/pdf", "r.pdf"), "filename": "receipt.pdf"},
             "video": {"id": _upload(client, "video/mp4", "v.mp4")}}
    definitions = list(client.iter_templates(DEMO["waba_id"], status="APPROVED"))
    assert {d["name"] for d in definitions} >= {"hello_world", "order_shipped", "authentication_code_copy_code_button",
                                                "carousel_template_media_cards_v1",
                                                "limited_time_offer_caribbean_pkg_2023"}
    for definition in definitions:
        message = wb.template_message(definition["name"], definition["language"],
                                      wb.example_components(definition, media=media))
        wb.check_against_definition(message["template"], definition)
        result = client.send_message(DEMO["phone_id"], CARLA, message)  # templates go outside the window
        assert result.message_status == "accepted", definition["name"]


def test_failures_reported_later_map_to_their_classes(sb, client):
    result = client.send_message(DEMO["phone_id"], CARLA, wb.text("hello?"))  # accepted: 200 + wamid
    stored = sb.get(f"/messages/{result.wamid}")
    assert stored["status"] == "failed" and stored["errors"][0]["code"] == 131047
    error = graph_error(400, {"error": stored["errors"][0]})  # the same mapping applies to webhook errors
    assert isinstance(error, ReEngagementRequired) and not error.retryable
    result = client.send_message(DEMO["phone_id"], "99955501234", wb.template_message("hello_world", "en_US"))
    stored = sb.get(f"/messages/{result.wamid}")  # the sandbox's "not on WhatsApp" numbers start with 999
    assert stored["status"] == "failed" and stored["errors"][0]["code"] == 131026
    assert isinstance(graph_error(400, {"error": stored["errors"][0]}), Undeliverable)


def test_mark_read_and_typing(sb, client):
    wamid = sb.inbound(text="are you there?")
    assert client.mark_read(DEMO["phone_id"], wamid) is True
    assert client.mark_read(DEMO["phone_id"], wamid, typing=True) is True
    chat = sb.get(f"/chats/{DEMO['phone_id']}/{ALICE}")
    assert chat["typing"] is True
    with pytest.raises(InvalidParameter) as info:
        client.mark_read(DEMO["phone_id"], "wamid.unknown")
    assert info.value.code == 131009 and "message_id" in info.value.details


def test_builders_refuse_before_any_request(sb, client):
    before = len(sb.get("/messages")["data"])
    with pytest.raises(BuilderError) as info:
        client.send_message(DEMO["phone_id"], ALICE, {"type": "interactive", "interactive": {
            "type": "button", "body": {"text": "Pick"},
            "action": {"buttons": [{"type": "reply", "reply": {"id": str(i), "title": str(i)}} for i in range(4)]}}})
    assert info.value.field == "interactive.action.buttons[3]"
    with pytest.raises(BuilderError):
        client.send_message(DEMO["phone_id"], "not a number", wb.text("x"))
    with pytest.raises(BuilderError) as info:  # ids are digits: no steering the token to other endpoints
        client.send_message("debug_token?x=", ALICE, wb.text("x"))
    assert info.value.field == "id"
    with pytest.raises(BuilderError):
        client.media_info("../me")
    assert len(sb.get("/messages")["data"]) == before


# --- errors: every class from the sandbox's answers ---------------------------------------------

def test_bad_token_is_an_auth_error_and_never_shown(sb):
    secret = "EAAG-not-a-real-token-4242"
    with sb.client(secret) as graph, pytest.raises(AuthError) as info:
        graph.send_message(DEMO["phone_id"], ALICE, wb.text("x"))
    error = info.value
    assert (error.code, error.http_status, error.retryable, error.ambiguous) == (190, 401, False, False)
    assert error.fbtrace_id and error.title and not error.title.startswith("(#")
    for text in (str(error), repr(error), str(error.as_dict()), "".join(traceback.format_exception(error))):
        assert secret not in text
    assert secret not in repr(sb.client(secret))


def test_expired_and_revoked_tokens(sb):
    expired = sb.post("/tokens", {"waba_ids": [DEMO["waba_id"]], "expires_in": -1})["token"]
    with sb.client(expired) as graph, pytest.raises(AuthError) as info:
        graph.phone_number(DEMO["phone_id"])
    assert (info.value.code, info.value.subcode) == (190, 463)
    revoked = sb.post("/tokens", {"waba_ids": [DEMO["waba_id"]]})["token"]
    sb.post(f"/tokens/{revoked}", method="DELETE")
    with sb.client(revoked) as graph, pytest.raises(AuthError) as info:
        graph.phone_number(DEMO["phone_id"])
    assert info.value.subcode == 467


def test_permission_errors(sb):
    other = sb.post("/tokens", {"waba_ids": []})["token"]  # a valid token without this WABA
    with sb.client(other) as graph, pytest.raises(PermissionError_) as info:
        graph.list_templates(DEMO["waba_id"])
    assert (info.value.code, info.value.http_status, info.value.retryable) == (200, 403, False)
    no_scope = sb.post("/tokens", {"waba_ids": [DEMO["waba_id"]], "scopes": ["whatsapp_business_messaging"]})["token"]
    with sb.client(no_scope) as graph, pytest.raises(PermissionError_) as info:
        graph.list_templates(DEMO["waba_id"])
    assert info.value.code == 10


def test_bad_parameters_name_the_field(sb, client):
    with pytest.raises(InvalidParameter) as info:
        client.subscribe_app(DEMO["waba_id"], override_callback_uri="ftp://example.com/hook")
    assert info.value.code == 100 and "override_callback_uri" in info.value.details
    with pytest.raises(InvalidParameter) as info:
        client.phone_number(DEMO["phone_id"], fields="display_phone_number,bogus")
    assert info.value.code == 100 and "bogus" in info.value.details
    with pytest.raises(InvalidParameter) as info:
        client.phone_number("123456789")  # no such object
    assert info.value.code == 100 and info.value.http_status == 400
    # What the sandbox says when a payload gets past us (sent raw, around the builders).
    body = {"messaging_product": "whatsapp", "to": "+" + ALICE, "type": "interactive", "interactive": {
        "type": "button", "body": {"text": "b"}, "action": {"buttons": [
            {"type": "reply", "reply": {"id": "a", "title": "t" * 21}}]}}}
    with pytest.raises(InvalidParameter) as info:
        client._call("POST", f"{DEMO['phone_id']}/messages", json=body)
    assert info.value.code == 131009 and "interactive.action.buttons[0].reply.title" in info.value.details
    del body["interactive"]["body"]
    with pytest.raises(InvalidParameter) as info:
        client._call("POST", f"{DEMO['phone_id']}/messages", json=body)
    assert info.value.code == 131008 and "interactive.body" in info.value.details


def test_throughput_130429_is_retryable(sb, client):
    sb.post(f"/numbers/{DEMO['phone_id']}", {"mps": 1}, method="PATCH")
    client.send_message(DEMO["phone_id"], ALICE, wb.text("one"))
    with pytest.raises(RateLimited) as info:
        client.send_message(DEMO["phone_id"], "447700900123", wb.text("two"))
    error = info.value
    assert (error.code, error.retryable, error.backoff_hint, error.ambiguous) == (130429, True, 1.0, False)


def test_pair_rate_131056_is_retryable(sb, client):
    sb.post("/config", {"pair_burst": 1, "pair_interval_s": 60})
    try:
        client.send_message(DEMO["phone_id"], ALICE, wb.text("one"))
        with pytest.raises(RateLimited) as info:
            client.send_message(DEMO["phone_id"], ALICE, wb.text("two"))
        assert (info.value.code, info.value.retryable, info.value.backoff_hint) == (131056, True, 6.0)
        client.send_message(DEMO["phone_id"], "447700900123", wb.text("another person is fine"))
    finally:
        sb.post("/config", {"pair_burst": 45, "pair_interval_s": 6.0})


def test_template_errors(sb, client):
    with pytest.raises(TemplateError) as info:
        client.send_message(DEMO["phone_id"], CARLA, wb.template_message("no_such_template", "en_US"))
    assert (info.value.code, info.value.http_status, info.value.retryable) == (132001, 404, False)
    with pytest.raises(TemplateError) as info:
        client.send_message(DEMO["phone_id"], CARLA, wb.template_message("appointment_reminder", "en_US",
                                                                         [tp.body("Pablo")]))
    assert info.value.code == 132000
    with pytest.raises(TemplateError) as info:
        client.send_message(DEMO["phone_id"], CARLA, wb.template_message("hello_world", "pt_BR"))
    assert info.value.code == 132001


def test_server_errors_are_transient(sb, client):
    sb.faults(error_rate={"messages": 1.0}, error_status=503)
    with pytest.raises(TransientError) as info:
        client.send_message(DEMO["phone_id"], ALICE, wb.text("x"))
    error = info.value
    assert (error.http_status, error.retryable, error.ambiguous) == (503, True, False)
    sb.faults(error_rate={"messages": 1.0}, error_status=500)
    with pytest.raises(TransientError) as info:
        client.send_message(DEMO["phone_id"], ALICE, wb.text("x"))
    assert info.value.http_status == 500 and info.value.code == 1
    client.phone_number(DEMO["phone_id"])  # other endpoint groups are unaffected


def test_timeouts_are_transient_and_may_have_been_delivered(sb):
    sb.faults(timeout_rate={"messages": 1.0}, timeout_s=3)
    with sb.client(timeout=httpx.Timeout(0.5, connect=2.0)) as graph:
        started = time.monotonic()
        with pytest.raises(TransientError) as info:
            graph.send_message(DEMO["phone_id"], ALICE, wb.text("x"))
        assert time.monotonic() - started < 2.5
    error = info.value
    assert error.retryable and error.ambiguous and error.code is None and "ReadTimeout" in str(error)
    assert error.__cause__ is None and error.__suppress_context__  # httpx's request (URL, headers) isn't chained


def test_connection_errors_are_transient_and_not_delivered():
    with GraphClient("token-xyz-123", base_url=f"http://127.0.0.1:{free_port()}", version=VERSION) as graph:
        with pytest.raises(TransientError) as info:
            graph.phone_number("1")
    assert info.value.retryable and not info.value.ambiguous


# --- many sends at once (a campaign's batch: GraphClient.send_messages on apps.whatsapp.sender) -----------------

def test_send_messages_answers_each_send_in_order_as_send_message_would(sb, client):
    sends = [(ALICE, wb.text("one"), "cb-1"),
             (CARLA, wb.template_message("no_such_template", "en_US"), "cb-2"),
             (ALICE, {"type": "text", "text": {}}, "cb-3"),  # the builders refuse it: never leaves
             ("447700900123", wb.template_message("hello_world", "en_US"), "cb-4")]
    first, missing, invalid, last = client.send_messages(DEMO["phone_id"], sends)
    assert first.wamid.startswith("wamid.") and last.wamid.startswith("wamid.") and first.wamid != last.wamid
    assert isinstance(missing, TemplateError) and (missing.code, missing.ambiguous) == (132001, False)
    assert isinstance(invalid, BuilderError)
    stats = sb.get("/stats")
    assert stats["accepted_total"] == 2 and stats["callbacks"]["distinct"] == 2  # cb-1 and cb-4 only


def test_send_messages_go_concurrently_and_a_timeout_may_have_been_delivered(sb):
    sb.faults(timeout_rate={"messages": 1.0}, timeout_s=3)
    with sb.client(timeout=httpx.Timeout(0.5, connect=2.0)) as graph:
        started = time.monotonic()
        answers = graph.send_messages(DEMO["phone_id"], [(ALICE, wb.text(f"x{i}"), None) for i in range(8)])
        assert time.monotonic() - started < 2.0  # eight 0.5 s timeouts side by side, not one after another
    assert all(isinstance(a, TransientError) and a.retryable and a.ambiguous and a.code is None for a in answers)


def test_send_messages_map_server_errors_and_throughput_like_send_message(sb, client):
    sb.faults(error_rate={"messages": 1.0}, error_status=503)
    (error,) = client.send_messages(DEMO["phone_id"], [(ALICE, wb.text("x"), None)])
    assert isinstance(error, TransientError) and (error.http_status, error.ambiguous) == (503, False)
    sb.post("/faults", method="DELETE")
    sb.post(f"/numbers/{DEMO['phone_id']}", {"mps": 1}, method="PATCH")
    answers = client.send_messages(DEMO["phone_id"], [(f"44770090{i:04d}", wb.text("x"), None) for i in range(5)])
    throttled = [a for a in answers if isinstance(a, RateLimited)]
    assert throttled and all((a.code, a.retryable) == (130429, True) for a in throttled)


def test_send_messages_that_never_connect_were_not_delivered(caplog):
    caplog.set_level(logging.DEBUG)
    with GraphClient("token-xyz-123", base_url=f"http://127.0.0.1:{free_port()}", version=VERSION) as graph:
        answers = graph.send_messages(DEMO["phone_id"], [(ALICE, wb.text("x"), None)] * 2)
    assert all(isinstance(a, TransientError) and a.retryable and not a.ambiguous for a in answers)
    assert "token-xyz-123" not in caplog.text + "".join(str(a.as_dict()) for a in answers)


def test_send_messages_never_show_the_token(sb, caplog):
    caplog.set_level(logging.DEBUG)
    with sb.client("EAAG-wrong-token-0002") as graph:
        (error,) = graph.send_messages(DEMO["phone_id"], [(ALICE, wb.text("x"), None)])
    assert isinstance(error, AuthError)
    for text in (caplog.text, str(error), repr(error), str(error.as_dict())):
        assert "EAAG-wrong-token-0002" not in text
    with pytest.raises(BuilderError):  # a node that is not a Graph id never gets the token
        sb.client().send_messages("../debug_token", [(ALICE, wb.text("x"), None)])


def test_registration_errors(sb, client):
    assert client.register(DEMO["phone_id"], "123456") is True
    with pytest.raises(InvalidParameter) as info:
        client.register(DEMO["phone_id"], "000000")
    assert info.value.code == 133005
    with pytest.raises(BuilderError):
        client.register(DEMO["phone_id"], "12345")


# --- redaction ----------------------------------------------------------------------------------

def test_secrets_never_reach_logs_reprs_or_errors(sb, caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="httpx")  # settings quiet httpx; here its lines must be masked
    token, secret = DEMO["token"], DEMO["app_secret"]
    signup = sb.post("/embedded-signup", {"app_id": DEMO["app_id"], "business_name": "Redacted Co"})
    with sb.client(token) as graph:
        assert token not in repr(graph)
        graph.debug_token(token, f"{DEMO['app_id']}|{secret}")
        business_token = graph.exchange_code(DEMO["app_id"], secret, signup["code"])
        with pytest.raises(InvalidParameter) as reused:
            graph.exchange_code(DEMO["app_id"], secret, signup["code"])
        # The sandbox echoes a template name in its error; given the token as a name, the client scrubs it.
        with pytest.raises(InvalidParameter) as echoed:
            graph.delete_template(DEMO["waba_id"], token)
    assert "***" in echoed.value.details and token not in echoed.value.details
    with sb.client("EAAG-wrong-token-0001") as graph, pytest.raises(AuthError) as bad:
        graph.phone_number(DEMO["phone_id"])
    texts = [caplog.text]
    for error in (reused.value, echoed.value, bad.value):
        texts += [str(error), repr(error), str(error.as_dict()), "".join(traceback.format_exception(error)),
                  str(pickle.loads(pickle.dumps(error)).__dict__)]
    joined = "\n".join(texts)
    for value in (token, secret, signup["code"], business_token, "EAAG-wrong-token-0001"):
        assert value not in joined, value
    assert "input_token=***" in caplog.text and "client_secret=***" in caplog.text  # httpx's lines, masked


def test_redact_url():
    assert redact_url("GET /debug_token?input_token=EAAB&x=1") == "GET /debug_token?input_token=***&x=1"
    assert redact_url("/oauth/access_token?client_id=1&client_secret=s&code=c") == (
        "/oauth/access_token?client_id=1&client_secret=***&code=***")


# --- media --------------------------------------------------------------------------------------

def test_media_round_trip(sb, client):
    data = PNG + b"payload" * 100
    media_id = client.upload_media(DEMO["phone_id"], data, "image/png", "photo.png")
    info = client.media_info(media_id)
    assert (info.id, info.mime_type, info.file_size) == (media_id, "image/png", len(data))
    assert info.sha256 and info.url.startswith(sb.url)
    assert client.media_info(media_id, phone_number_id=DEMO["phone_id"]).id == media_id
    assert client.download_media(info.url) == data
    with pytest.raises(MediaTooLarge):
        client.download_media(info.url, max_bytes=len(data) - 1)
    with pytest.raises(InvalidParameter):  # 404 of an expired or forged URL: fetch a fresh one
        client.download_media(info.url.replace("hash=", "hash=0"))
    assert client.delete_media(media_id) is True
    with pytest.raises(InvalidParameter) as info_gone:
        client.media_info(media_id)
    assert info_gone.value.code == 100


def test_media_rules_before_upload_and_download(sb, client):
    with pytest.raises(BuilderError) as info:
        client.upload_media(DEMO["phone_id"], b"MZ", "application/x-msdownload", "a.exe")
    assert info.value.field == "mime_type"
    with pytest.raises(BuilderError) as info:
        client.upload_media(DEMO["phone_id"], b"x" * (500 * 1024 + 1), "image/webp", "big.webp")
    assert info.value.field == "file"
    with pytest.raises(BuilderError) as info:  # the token is never sent to a host that isn't Meta's
        client.download_media("https://attacker.example/steal?mid=1")
    assert info.value.field == "url"
    other = sb.post("/tokens", {"waba_ids": []})["token"]
    media_id = client.upload_media(DEMO["phone_id"], PNG, "image/png", "p.png")
    url = client.media_info(media_id).url
    with sb.client(other) as graph, pytest.raises(PermissionError_):
        graph.download_media(url)


# --- templates ----------------------------------------------------------------------------------

def test_template_paging(sb, client):
    everything = client.list_templates(DEMO["waba_id"], limit=100).templates
    assert len(everything) >= 10
    pages, after = [], None
    while True:
        page = client.list_templates(DEMO["waba_id"], after=after, limit=3)
        assert len(page.templates) <= 3
        pages.append(page.templates)
        if page.after is None:
            break
        after = page.after
    assert len(pages) == -(-len(everything) // 3)
    assert [t["id"] for p in pages for t in p] == [t["id"] for t in everything]
    assert [t["id"] for t in client.iter_templates(DEMO["waba_id"], limit=4)] == [t["id"] for t in everything]
    assert {"name", "status", "category", "language", "components"} <= set(everything[0])
    only = client.list_templates(DEMO["waba_id"], name="order_shipped").templates
    assert [t["name"] for t in only] == ["order_shipped"] and only[0]["parameter_format"] == "NAMED"


def test_template_create_edit_delete(sb, client):
    definition = {"name": "client_test_promo", "language": "en_US", "category": "MARKETING", "components": [
        {"type": "BODY", "text": "Shop through {{1}} with code {{2}} today.",
         "example": {"body_text": [["August", "25OFF"]]}},
        {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Stop promos"}]}]}
    with pytest.raises(TemplateError) as refused:  # creation refusals: code 100 with a 2388xxx subcode
        client.create_template(DEMO["waba_id"], {**definition, "components": [
            {"type": "BODY", "text": "{{1}} is here", "example": {"body_text": [["Summer"]]}}]})
    assert refused.value.code == 100 and 2388000 <= refused.value.subcode <= 2388999
    created = client.create_template(DEMO["waba_id"], definition)
    assert created["status"] in ("PENDING", "APPROVED") and created["id"]
    with pytest.raises(TemplateError):  # same name and language again
        client.create_template(DEMO["waba_id"], definition)
    sb.post(f"/templates/{created['id']}/status", {"status": "REJECTED", "reason": "INVALID_FORMAT"})
    components = [{"type": "BODY", "text": "Shop through {{1}} now.", "example": {"body_text": [["August"]]}}]
    assert client.edit_template(created["id"], components=components) is True
    with pytest.raises(BuilderError):
        client.edit_template(created["id"])
    listed = client.list_templates(DEMO["waba_id"], name="client_test_promo").templates
    assert listed[0]["components"][0]["text"] == "Shop through {{1}} now."
    assert client.delete_template(DEMO["waba_id"], "client_test_promo", hsm_id=created["id"]) is True
    assert client.list_templates(DEMO["waba_id"], name="client_test_promo").templates == []
    with pytest.raises(InvalidParameter):
        client.delete_template(DEMO["waba_id"], "client_test_promo")


# --- phone numbers, WABA, tokens, Embedded Signup ----------------------------------------------------

def test_phone_numbers(sb, client):
    numbers = client.list_phone_numbers(DEMO["waba_id"])
    assert {n.id for n in numbers} == {DEMO["phone_id"], DEMO["second_phone_id"]}
    assert all(isinstance(n, PhoneNumberInfo) and n["id"] == n.id for n in numbers)
    first = client.phone_number(DEMO["phone_id"])
    assert first.display_phone_number == "+1 555-010-0001" and first.verified_name == "ConvoNest Demo"
    assert (first.quality_rating, first.throughput_level, first.mps) == ("GREEN", "STANDARD", 80)
    assert first.messaging_limit and first.messaging_limit.startswith("TIER_") and first.status == "CONNECTED"
    second = client.phone_number(DEMO["second_phone_id"])
    assert (second.throughput_level, second.mps) == ("HIGH", 1000)
    sb.post(f"/numbers/{DEMO['phone_id']}", {"quality_rating": "RED"}, method="PATCH")
    assert client.phone_number(DEMO["phone_id"]).quality_rating == "RED"


def test_subscribed_apps(sb, client):
    assert client.subscribe_app(DEMO["waba_id"]) is True
    apps = client.subscribed_apps(DEMO["waba_id"])
    assert [a["whatsapp_business_api_data"]["id"] for a in apps] == [DEMO["app_id"]]
    assert client.unsubscribe_app(DEMO["waba_id"]) is True
    assert client.subscribed_apps(DEMO["waba_id"]) == []


def test_debug_token(sb, client):
    data = client.debug_token(DEMO["token"], f"{DEMO['app_id']}|{DEMO['app_secret']}")
    assert data["is_valid"] is True and data["app_id"] == DEMO["app_id"]
    scopes = {s["scope"]: s["target_ids"] for s in data["granular_scopes"]}
    assert scopes["whatsapp_business_management"] == [DEMO["waba_id"]]
    assert client.debug_token("nonsense", f"{DEMO['app_id']}|{DEMO['app_secret']}")["is_valid"] is False


def test_embedded_signup_exchange(sb, settings):
    signup = sb.post("/embedded-signup", {"app_id": DEMO["app_id"], "business_name": "Lucky Shrub", "numbers": 2})
    with sb.client(None) as app_client:  # app-level: no tenant token yet
        token = app_client.exchange_code(DEMO["app_id"], DEMO["app_secret"], signup["code"])
        data = app_client.debug_token(token, f"{DEMO['app_id']}|{DEMO['app_secret']}")
    waba_ids = [t for s in data["granular_scopes"] if s["scope"] == "whatsapp_business_management"
                for t in s["target_ids"]]
    assert waba_ids == [signup["waba_id"]]
    with sb.client(token) as business:
        numbers = business.list_phone_numbers(signup["waba_id"])
        assert sorted(n.id for n in numbers) == sorted(signup["phone_number_ids"])
        assert business.subscribe_app(signup["waba_id"]) is True
        assert business.register(signup["phone_number_ids"][0], "424242") is True
        with pytest.raises(PermissionError_):  # the new business's token can't touch the demo WABA
            business.list_templates(DEMO["waba_id"])
    with sb.client(None) as app_client:
        with pytest.raises(InvalidParameter) as used:
            app_client.exchange_code(DEMO["app_id"], DEMO["app_secret"], signup["code"])
        assert (used.value.code, used.value.subcode) == (100, 36009)
        with pytest.raises(AuthError) as bad_secret:
            app_client.exchange_code(DEMO["app_id"], "wrong-secret", signup["code"])
        assert bad_secret.value.http_status == 400 and not bad_secret.value.retryable
        with pytest.raises(ValueError):
            app_client.phone_number(DEMO["phone_id"])  # tenant calls need a token
    # Called on the class, it uses settings' Graph URL and version.
    settings.WHATSAPP_GRAPH_URL, settings.WHATSAPP_GRAPH_VERSION = sb.url, VERSION
    again = sb.post("/embedded-signup", {"app_id": DEMO["app_id"], "business_name": "Second Co"})
    assert GraphClient.exchange_code(app_id=DEMO["app_id"], app_secret=DEMO["app_secret"], code=again["code"])


# --- the error table, on Meta's envelopes (no HTTP) ------------------------------------------------

def _envelope(code, **extra) -> dict:
    return {"error": {"message": f"(#{code}) Title", "type": "OAuthException", "code": code,
                      "error_data": {"details": "why"}, "fbtrace_id": "Afb", **extra}}


@pytest.mark.parametrize("code, status, cls, retryable", [
    (190, 401, AuthError, False), (102, 401, AuthError, False), (0, 401, AuthError, False),
    (10, 403, PermissionError_, False), (200, 403, PermissionError_, False), (299, 403, PermissionError_, False),
    (131042, 400, PermissionError_, False),
    (100, 400, InvalidParameter, False), (131008, 400, InvalidParameter, False),
    (131009, 400, InvalidParameter, False), (131051, 400, InvalidParameter, False),
    (130429, 400, RateLimited, True), (131056, 400, RateLimited, True), (4, 400, RateLimited, True),
    (80007, 400, RateLimited, True), (131048, 400, RateLimited, True), (133016, 400, RateLimited, False),
    (132000, 400, TemplateError, False), (132001, 404, TemplateError, False), (132015, 400, TemplateError, False),
    (132016, 400, TemplateError, False), (2388019, 400, TemplateError, False),
    (131047, 400, ReEngagementRequired, False),
    (131026, 400, Undeliverable, False), (131049, 400, Undeliverable, False), (131050, 400, Undeliverable, False),
    (1, 500, TransientError, True), (2, 503, TransientError, True), (131000, 500, TransientError, True),
    (131016, 500, TransientError, True), (131057, 500, TransientError, True),
    (1, 400, AuthError, False),  # "Error validating client secret"
    (999999, 500, TransientError, True), (999999, 429, RateLimited, True), (999999, 401, AuthError, False),
    (999999, 400, GraphError, False),
])
def test_retry_table(code, status, cls, retryable):
    error = graph_error(status, _envelope(code))
    assert type(error) is cls and error.retryable is retryable and error.code == code
    assert (error.details, error.fbtrace_id, error.title) == ("why", "Afb", "Title")


def test_envelope_edge_cases():
    assert graph_error(400, _envelope(999999, is_transient=True)).retryable is True
    gateway = graph_error(502, "<html>Bad Gateway</html>")
    assert type(gateway) is TransientError and gateway.code is None and "Bad Gateway" in gateway.message
    limited = graph_error(429, _envelope(4), {"retry-after": "17"})
    assert limited.retry_after == 17.0 and limited.backoff_hint == 60.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None
    error = graph_error(400, _envelope(131056, error_subcode=2494055))
    clone = pickle.loads(pickle.dumps(error))
    assert type(clone) is RateLimited and clone.as_dict() == error.as_dict() and clone.subcode == 2494055
