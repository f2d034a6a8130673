"""localstripe for tests: a real server in a subprocess on a free port (like sandbox.testing for Meta)."""
import socket
import subprocess
import sys
import time

import requests


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LocalStripe:
    def __init__(self) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "LocalStripe":
        # --from-scratch: never load (or share) a store another run left on disk.
        # localstripe with Stripe's hosted Checkout and portal pages (sandbox.stripe_hosted).
        self.process = subprocess.Popen([sys.executable, "-m", "sandbox.stripe_hosted", "--port", str(self.port),
                                         "--from-scratch"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                requests.get(f"{self.url}/v1/plans", auth=("sk_test_probe", ""), timeout=1)
                return self
            except requests.ConnectionError:
                time.sleep(0.1)
        self.__exit__()
        raise RuntimeError("localstripe did not start")

    def reset(self) -> None:
        requests.delete(f"{self.url}/_config/data", timeout=5).raise_for_status()

    def events(self, customer_id: str) -> list[dict]:
        """The events localstripe made about one customer's objects, oldest first (its webhooks' payloads)."""
        response = requests.get(f"{self.url}/v1/events", params={"limit": 100}, auth=("sk_test_probe", ""), timeout=5)
        response.raise_for_status()
        found = []
        for event in response.json()["data"]:
            obj = event["data"]["object"]
            if customer_id in (obj.get("customer"), obj.get("id")):
                found.append(event)
        return sorted(found, key=lambda e: e["created"])

    def __exit__(self, *exc) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def subscription_event(event_id: str, *, customer: str, created: int, status: str = "active",
                       price: str = "convonest_starter_monthly", kind: str = "customer.subscription.updated",
                       subscription_id: str = "sub_test_1", tenant_id: int | None = None) -> dict:
    """A subscription event shaped as Stripe sends it (current API: the period end on the items)."""
    obj = {"id": subscription_id, "object": "subscription", "customer": customer, "status": status,
           "metadata": {"tenant_id": str(tenant_id)} if tenant_id else {},
           "items": {"object": "list", "data": [{"id": "si_1", "object": "subscription_item",
                                                 "price": {"id": price, "object": "price"},
                                                 "current_period_end": created + 30 * 86400}]}}
    return {"id": event_id, "object": "event", "type": kind, "created": created, "livemode": False,
            "api_version": "2026-02-25", "data": {"object": obj}}


def invoice_event(event_id: str, *, customer: str, created: int, paid: bool) -> dict:
    obj = {"id": f"in_{event_id}", "object": "invoice", "customer": customer, "subscription": "sub_test_1",
           "status": "paid" if paid else "open", "amount_remaining": 0 if paid else 2900}
    return {"id": event_id, "object": "event", "type": "invoice.paid" if paid else "invoice.payment_failed",
            "created": created, "livemode": False, "data": {"object": obj}}


def signed_post(client, event: dict | bytes, *, secret: str | None = None, timestamp: int | None = None,
                signature: str | None = None):
    """POST to /webhooks/stripe as Stripe does, the header made by stripe's own helper."""
    import json

    import stripe
    from django.conf import settings

    payload = event if isinstance(event, bytes) else json.dumps(event).encode()
    header = signature if signature is not None else stripe.WebhookSignature.generate_signature_header(
        payload.decode(), secret or settings.STRIPE_WEBHOOK_SECRET, timestamp=timestamp)
    return client.post("/webhooks/stripe", payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)
