"""Meta's status webhooks as the bench sends them: signed bodies, unique (a repeated body is a cheap no-op, not an
ingest), spread over several numbers of one business (routers keep each number's events in order, so one number
would serialise them)."""
import hashlib
import hmac
import json

SECRET = "bench-app-secret"
WABA = "200000000000001"
NUMBERS = [f"1000000000000{n:02d}" for n in range(1, 9)]
PRICING = {"billable": True, "pricing_model": "PMP", "type": "regular", "category": "marketing"}


def signature(body: bytes) -> str:
    return "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()


def status_body(number: str, statuses: list[tuple[str, str]], at: int) -> bytes:
    """One `messages` change of `number` with these (wamid, status) pairs, as Meta sends it (since 2026 with the
    customer in `contacts`)."""
    value = {"messaging_product": "whatsapp",
             "metadata": {"display_phone_number": "15550100001", "phone_number_id": number},
             "contacts": [{"profile": {"name": "Bench Customer"}, "wa_id": "16505550101"}],
             "statuses": [{"id": wamid, "status": status, "timestamp": str(at), "recipient_id": "16505550101",
                           **({"pricing": PRICING} if status != "read" else {})} for wamid, status in statuses]}
    payload = {"object": "whatsapp_business_account",
               "entry": [{"id": WABA, "changes": [{"field": "messages", "value": value}]}]}
    return json.dumps(payload, separators=(",", ":")).encode()


def delivered(i: int) -> bytes:
    """The i-th unique single-status event (a delivered status of a message the business doesn't know: held)."""
    return status_body(NUMBERS[i % len(NUMBERS)], [(f"wamid.bench{i:09d}", "delivered")], 1767225600 + i)
