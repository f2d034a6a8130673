"""Status webhook benchmark: Meta's statuses (sent, delivered, read, priced, up to 100 per change as the sandbox
batches them) routed by the real router (`webhook_event_route`: parse, the business's schema, its transaction, the
change's row) and applied by the batch handler (`apps.messaging.statuses.statuses_apply`, one change in a fixed
number of statements), divided by the same events applied one status at a time as before issue 12 (the outbox's
former `message_status_hold_or_apply` loop, kept below as the baseline), in the same run, on the same data.

Prints statuses/s of each and the ratio; with --workers N, N routing processes share the events (changes of one
message land on different workers, so their locks overlap, as in production).

Runs against its own database, `<DATABASE_URL's name>_bench_statuses`, created and dropped here.
Usage (from the repository root): python -m bench.statuses.run [--messages 2000] [--per-change 100] [--workers 1]
"""
import argparse
import hashlib
import json
import logging
import multiprocessing
import os
import random
import time

from cryptography.fernet import Fernet

from bench.common import bench_database

NUMBER, WABA = "100000000000001", "200000000000001"
PRICING = {"billable": True, "pricing_model": "PMP", "type": "regular", "category": "marketing"}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=2000, help="messages per mode (3 statuses each)")
    parser.add_argument("--per-change", type=int, default=100, help="statuses per change")
    parser.add_argument("--workers", type=int, default=1, help="routing processes")
    args = parser.parse_args()
    with bench_database("bench_statuses") as bench_url:
        os.environ.update({
            "DATABASE_URL": bench_url, "DJANGO_DEBUG": "0", "DJANGO_SETTINGS_MODULE": "convonest.settings",
            "LOG_LEVEL": "WARNING", "CELERY_TASK_ALWAYS_EAGER": "0", "BILLING_ENFORCE_LIMITS": "false",
            "JWT_SIGNING_KEY": os.environ.get("JWT_SIGNING_KEY") or "bench-jwt-key-not-for-production",
            "CONTACT_HASH_KEY": os.environ.get("CONTACT_HASH_KEY") or "bench-hash-key-not-for-production",
            "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or "bench-secret-key-not-for-production",
            "FIELD_ENCRYPTION_KEY": os.environ.get("FIELD_ENCRYPTION_KEY") or Fernet.generate_key().decode()})
        return _run(args)


def _legacy_handle(change, **_):
    """handle_messages before issue 12: one locked lookup, updates, an event, maybe a held status, per status."""
    from apps.whatsapp import webhook_events as meta

    for status in change.of(meta.StatusUpdate):
        _legacy_hold_or_apply(status=status.status, wamid=status.wamid, callback_data=status.callback_data,
                              at=status.at, error=status.error, pricing=status.pricing)


def _legacy_hold_or_apply(*, status, wamid, callback_data=None, at=None, error=None, pricing=None):
    from apps.messaging.models import PendingStatus

    message = _legacy_apply(status=status, wamid=wamid, callback_data=callback_data, at=at, error=error,
                            pricing=pricing)
    if message is None:
        PendingStatus.objects.create(wamid=wamid, status=status, at=at, error=error, pricing=pricing)
    return message


def _legacy_apply(*, status, wamid, callback_data=None, at=None, error=None, pricing=None):
    """outbox.message_status_apply as of 09fd123, verbatim but for imports."""
    import uuid

    from django.db import transaction
    from django.utils import timezone

    from apps.messaging import conversations
    from apps.messaging.models import Message, MessageEvent
    from apps.messaging.statuses import RANK
    from tenants.billing.usage import message_metric, usage_add_here

    Status = Message.Status

    def uuid_or_none(value):
        try:
            return uuid.UUID(value)
        except (TypeError, ValueError):
            return None

    with transaction.atomic():
        locked = Message.objects.select_for_update(of=("self",)).select_related("conversation")
        message = locked.filter(wamid=wamid).first()
        if message is None and callback_data:
            message = locked.filter(pk=uuid_or_none(callback_data)).first()
        if message is None:
            return None
        at = at or timezone.now()
        if message.wamid is None:
            message.wamid = wamid
        if pricing:
            first_pricing = not (message.pricing_category or message.pricing_type or message.billable is not None)
            message.pricing_category = str(pricing.get("category") or "")[:32]
            message.pricing_type = str(pricing.get("type") or "")[:32]
            message.billable = pricing.get("billable") if isinstance(pricing.get("billable"), bool) else None
            Message.objects.filter(pk=message.pk).update(pricing_category=message.pricing_category,
                                                         pricing_type=message.pricing_type, billable=message.billable)
            if first_pricing and (message.pricing_category or message.pricing_type or message.billable is not None):
                usage_add_here(message_metric(direction="out", category=message.pricing_category,
                                              billable=message.billable))
        if message.status == Status.FAILED:
            return message
        if status == Status.FAILED:
            message.status, message.failed_at = Status.FAILED, at
            message.error_code = (error or {}).get("code")
            message.error_title = ((error or {}).get("title") or "")[:300]
            message.error_details = ((error or {}).get("error_data") or {}).get("details", "")
        elif RANK.get(status, -1) > RANK.get(message.status, -1):
            message.status = status
            setattr(message, f"{status}_at", at)
            if status in (Status.DELIVERED, Status.READ) and message.sent_at is None:
                message.sent_at = at
        else:
            MessageEvent.objects.create(message=message, status=status, detail={"ignored": "older than current status"})
            message.save(update_fields=["wamid"])
            return message
        message.save()
        MessageEvent.objects.create(message=message, status=status,
                                    detail={"wamid": wamid, **({"error": error} if error else {})})
        conversations.message_changed(message)
        return message


def _bodies(wamids: list[str], ids: list[str], per_change: int, rng: random.Random) -> list[str]:
    """Meta's order, roughly: each message's sent, delivered and read, the three waves overlapping and a little
    shuffled, cut into changes of `per_change` statuses (one POST each)."""
    base = 1767225600
    stream = []
    for i, (wamid, pk) in enumerate(zip(wamids, ids, strict=True)):
        for offset, status in enumerate(("sent", "delivered", "read")):
            stream.append((i + offset * len(wamids) // 3 + rng.random() * 50, wamid, pk, status))
    stream.sort()
    bodies = []
    for start in range(0, len(stream), per_change):
        statuses = [{"id": wamid, "status": status, "timestamp": str(base + int(at)), "recipient_id": "16505550101",
                     "biz_opaque_callback_data": pk, **({"pricing": PRICING} if status != "read" else {})}
                    for at, wamid, pk, status in stream[start:start + per_change]]
        value = {"messaging_product": "whatsapp",
                 "metadata": {"display_phone_number": "15550100001", "phone_number_id": NUMBER},
                 "statuses": statuses}
        bodies.append(json.dumps({"object": "whatsapp_business_account",
                                  "entry": [{"id": WABA, "changes": [{"field": "messages", "value": value}]}]}))
    return bodies


def _route(event_ids: list[int]) -> None:
    from django.db import connection

    from tenants.ingress.router import webhook_event_route

    try:
        for event_id in event_ids:
            webhook_event_route(event_id)
    finally:
        connection.close()


def _timed(event_ids: list[int], workers: int) -> float:
    from django.db import connections

    connections.close_all()  # children open their own
    started = time.perf_counter()
    if workers == 1:
        _route(event_ids)
    else:
        shares = [event_ids[k::workers] for k in range(workers)]
        processes = [multiprocessing.get_context("fork").Process(target=_route, args=(share,)) for share in shares]
        for process in processes:
            process.start()
        for process in processes:
            process.join()
    return time.perf_counter() - started


def _run(args) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django_tenants.utils import schema_context

    from apps.contacts.services import contact_for_recipient
    from apps.messaging.conversations import conversation_for
    from apps.messaging.models import Message, MessageEvent, PendingStatus
    from apps.webhooks.handlers import ROUTED, routed
    from apps.whatsapp import webhook_events as meta
    from apps.whatsapp.client import PhoneNumberInfo
    from apps.whatsapp.services import _save_connection
    from tenants.ingress import registry
    from tenants.ingress.models import WebhookChange, WebhookEvent
    from tenants.services import tenant_signup

    # A change that fails (the per-status path deadlocks across workers: it locks in arrival order) is counted
    # below; its traceback would drown the figures.
    logging.getLogger("tenants.ingress.router").setLevel(logging.ERROR)
    call_command("migrate_schemas", interactive=False, verbosity=0)
    tenant = tenant_signup(business_name="Bench", slug="bench", email="b@bench.example",
                           password="bench-passphrase-1").tenant
    rng = random.Random(12)
    runs = {}
    with schema_context(tenant.schema_name):
        info = PhoneNumberInfo({"id": NUMBER, "display_phone_number": "+1 555-010-0001"})
        (number,) = _save_connection(tenant=tenant, waba_id=WABA, access_token="t", connected_via="manual",
                                     numbers=[info])
        # Campaign messages live in their contacts' threads: each applied status announces a live event.
        threads = [conversation_for(contact=contact_for_recipient(phone=f"+1650555{i:04d}"), number=number)
                   for i in range(50)]
        for mode in ("one_by_one", "batch"):
            messages = Message.objects.bulk_create([
                Message(phone_number=number, to=f"1650555{i % 50:04d}", type="template", status="sent",
                        payload={"type": "template", "template": {"name": "offer", "language": {"code": "en"}}},
                        contact_id=threads[i % 50].contact_id, conversation=threads[i % 50],
                        wamid=f"wamid.{mode}.{i}") for i in range(args.messages)])
            runs[mode] = _bodies([m.wamid for m in messages], [str(m.pk) for m in messages], args.per_change, rng)

    results = {}
    handlers = {"one_by_one": routed("messages", meta.parse_messages, _legacy_handle), "batch": ROUTED["messages"]}
    for mode in ("one_by_one", "batch"):
        registry._HANDLERS["messages"] = handlers[mode]  # before the workers fork: they inherit it
        events = WebhookEvent.objects.bulk_create([
            WebhookEvent(body=body, sha256=hashlib.sha256(body.encode()).hexdigest(),
                         status=WebhookEvent.Status.RECEIVED) for body in runs[mode]])
        elapsed = _timed([e.pk for e in events], args.workers)
        statuses = args.messages * 3
        failed = WebhookChange.objects.filter(event__in=events).exclude(status="handled").count()
        with schema_context(tenant.schema_name):
            read = Message.objects.filter(wamid__startswith=f"wamid.{mode}.", status="read").count()
        results[mode] = statuses / elapsed
        print(f"{mode:>10}: {statuses} statuses in {len(events)} changes of {args.per_change}, "
              f"{args.workers} worker(s): {elapsed:6.2f} s = {statuses / elapsed:8.0f} statuses/s "
              f"(read: {read}/{args.messages}, changes not handled: {failed})")
    with schema_context(tenant.schema_name):
        print(f"events stored: {MessageEvent.objects.count()}, held: {PendingStatus.objects.count()}")
    print(f"batch / one-by-one: {results['batch'] / results['one_by_one']:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
