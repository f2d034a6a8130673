"""localstripe with Stripe's hosted pages: Checkout Sessions and Customer Portal sessions.

localstripe (a stateful fake Stripe) has no Checkout and no Customer Portal. This runs the same localstripe server
with both added, so the official `stripe` library's `checkout.sessions.create` and `billing_portal.sessions.create`
work unchanged in dev and tests, as the WhatsApp sandbox does for Meta:

- `POST /v1/checkout/sessions` (mode=subscription, customer, line_items[0][price], subscription_data[metadata],
  success_url, cancel_url) → a `checkout.session` whose `url` is a page with the plan and Pay / Cancel.
  Pay attaches Stripe's test card and creates the subscription through localstripe itself (so its signed
  webhooks follow, exactly as after a real Checkout), then redirects to `success_url`.
- `POST /v1/billing_portal/sessions` (customer, return_url) → a `billing_portal.session` whose page lists the
  customer's subscriptions with Cancel (localstripe deletes it and sends `customer.subscription.deleted`).

The pages live under `/_config/` because localstripe lets those paths through without an API key, as a browser
visiting Stripe's hosted pages has none. Usage: `python -m sandbox.stripe_hosted --port 8420 [--from-scratch]`.
"""
import html
import secrets
import time

from aiohttp import web
from localstripe import server
from localstripe.errors import UserError
from localstripe.resources import Customer, Plan, Subscription, Token

TEST_CARD = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2040, "cvc": "123"}
_sessions: dict[str, dict] = {}  # hosted sessions live as long as the process, like Stripe's (24 h there)


def _page(request: web.Request, kind: str, session_id: str) -> str:
    return f"{request.scheme}://{request.host}/_config/hosted/{kind}/{session_id}"


def _required(data: dict, *keys: str) -> None:
    missing = [key for key in keys if not data.get(key)]
    if missing:
        raise UserError(400, f"Missing required param: {missing[0]}.")


async def checkout_session_create(request: web.Request) -> web.Response:
    data = await server.get_post_data(request) or {}
    _required(data, "customer", "success_url", "cancel_url", "line_items")
    if data.get("mode") != "subscription":
        raise UserError(400, "Only mode=subscription is supported here.")
    price = (data["line_items"][0] or {}).get("price")
    Customer._api_retrieve(data["customer"])  # 404 in Stripe's envelope for an unknown customer
    Plan._api_retrieve(price)
    session_id = f"cs_test_{secrets.token_hex(12)}"
    session = {"id": session_id, "object": "checkout.session", "mode": "subscription", "status": "open",
               "customer": data["customer"], "client_reference_id": data.get("client_reference_id"),
               "success_url": data["success_url"], "cancel_url": data["cancel_url"], "price": price,
               "metadata": (data.get("subscription_data") or {}).get("metadata") or {},
               "subscription": None, "created": int(time.time()), "url": _page(request, "checkout", session_id)}
    _sessions[session_id] = session
    return server.json_response({k: v for k, v in session.items() if k != "price"})


async def portal_session_create(request: web.Request) -> web.Response:
    data = await server.get_post_data(request) or {}
    _required(data, "customer")
    Customer._api_retrieve(data["customer"])
    session_id = f"bps_{secrets.token_hex(12)}"
    session = {"id": session_id, "object": "billing_portal.session", "customer": data["customer"],
               "return_url": data.get("return_url") or "", "created": int(time.time()),
               "url": _page(request, "portal", session_id)}
    _sessions[session_id] = session
    return server.json_response(session)


def _session(request: web.Request, prefix: str) -> dict:
    session = _sessions.get(request.match_info["id"])
    if session is None or not session["id"].startswith(prefix):
        raise web.HTTPNotFound(text="This session does not exist or has expired.")
    return session


def _html(title: str, body: str) -> web.Response:
    return web.Response(content_type="text/html", text=(
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>"
        f"<body style='font-family:sans-serif;max-width:32rem;margin:3rem auto'>"
        f"<p style='color:#666'>localstripe · test mode</p><h1>{html.escape(title)}</h1>{body}</body></html>"))


def _button(action: str, label: str) -> str:
    return (f"<form method='post' action='{html.escape(action)}'>"
            f"<button type='submit'>{html.escape(label)}</button></form>")


async def checkout_page(request: web.Request) -> web.Response:
    session = _session(request, "cs_test_")
    if session["status"] != "open":
        raise web.HTTPFound(session["success_url"])
    plan = Plan._api_retrieve(session["price"])
    amount = f"{plan.amount / 100:.2f} {plan.currency.upper()} / {plan.interval}"
    base = f"/_config/hosted/checkout/{session['id']}"
    return _html("Subscribe", f"<p>{html.escape(plan.nickname or plan.id)}</p>"
                              f"<p><strong>{html.escape(amount)}</strong></p>"
                              f"<p>Card: 4242 4242 4242 4242 (Stripe's test card)</p>"
                              + _button(f"{base}/pay", "Pay") + _button(f"{base}/cancel", "Cancel"))


async def checkout_pay(request: web.Request) -> web.Response:
    session = _session(request, "cs_test_")
    if session["status"] == "open":
        token = Token._api_create(card=dict(TEST_CARD))
        Customer._api_add_source(session["customer"], source=token.id)
        subscription = Subscription._api_create(customer=session["customer"], items=[{"plan": session["price"]}],
                                                metadata=session["metadata"])
        session.update(status="complete", subscription=subscription.id)
    raise web.HTTPSeeOther(session["success_url"])


async def checkout_cancel(request: web.Request) -> web.Response:
    raise web.HTTPSeeOther(_session(request, "cs_test_")["cancel_url"])


def _subscriptions_of(customer_id: str) -> list:
    return [s for s in Subscription._api_list_all(None, customer=customer_id, limit=100)._list
            if s.status not in ("canceled", "incomplete_expired")]


async def portal_page(request: web.Request) -> web.Response:
    session = _session(request, "bps_")
    base = f"/_config/hosted/portal/{session['id']}"
    rows = "".join(
        f"<li>{html.escape(s.id)} ({html.escape(s.status)})"
        f"{_button(f'{base}/cancel/{s.id}', 'Cancel subscription')}</li>"
        for s in _subscriptions_of(session["customer"])) or "<li>No subscription.</li>"
    back = f"<p><a href='{html.escape(session['return_url'])}'>Return</a></p>" if session["return_url"] else ""
    return _html("Your subscription", f"<ul>{rows}</ul>{back}")


async def portal_cancel(request: web.Request) -> web.Response:
    session = _session(request, "bps_")
    subscription_id = request.match_info["subscription"]
    if subscription_id in {s.id for s in _subscriptions_of(session["customer"])}:
        Subscription._api_delete(subscription_id)
    raise web.HTTPSeeOther(session["return_url"] or f"/_config/hosted/portal/{session['id']}")


def install(app: web.Application) -> None:
    app.router.add_post("/v1/checkout/sessions", checkout_session_create)
    app.router.add_post("/v1/billing_portal/sessions", portal_session_create)
    app.router.add_get("/_config/hosted/checkout/{id}", checkout_page)
    app.router.add_post("/_config/hosted/checkout/{id}/pay", checkout_pay)
    app.router.add_post("/_config/hosted/checkout/{id}/cancel", checkout_cancel)
    app.router.add_get("/_config/hosted/portal/{id}", portal_page)
    app.router.add_post("/_config/hosted/portal/{id}/cancel/{subscription}", portal_cancel)


install(server.app)

if __name__ == "__main__":
    server.start()
