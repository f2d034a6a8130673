"""Routing throughput: stored status events claimed and handled by the real router (tenants.ingress.router
`webhook_events_route_due`: batch claims, the business's schema, the batch-aware status handler) in 1 or N
processes, for single-status events and for Meta-sized batches (up to 100 statuses per change). The statuses move
real messages forward (sent -> delivered -> read), so each one writes. Needs django set up (bench.webhook.run)."""
import hashlib
import multiprocessing
import time
from dataclasses import dataclass

from bench.webhook.events import NUMBERS, status_body


@dataclass(frozen=True)
class Routed:
    events: int
    statuses: int
    seconds: float
    handled: int  # changes handled, of `events`
    read: int  # messages whose read status was applied, of statuses // 2

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds

    @property
    def statuses_per_second(self) -> float:
        return self.statuses / self.seconds


def route_all(workers: int) -> float:
    """Run `workers` routers until nothing is due; the wall time they took."""
    from django.db import connections

    connections.close_all()  # forked routers open their own
    started = time.perf_counter()
    processes = [multiprocessing.get_context("fork").Process(target=_router) for _ in range(workers)]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    return time.perf_counter() - started


def _router() -> None:
    from django.db import connection

    from tenants.ingress.router import webhook_events_route_due

    try:
        webhook_events_route_due(seconds=3600)
    finally:
        connection.close()


def routing_run(tenant, threads: dict, *, label: str, messages: int, per_change: int, workers: int) -> Routed:
    """Store the delivered and read statuses of `messages` new messages (spread over the business's numbers and
    their `threads`: number id -> conversations) as events of `per_change` statuses, route them with `workers`
    processes, and count what was handled."""
    from django_tenants.utils import schema_context

    from apps.messaging.models import Message
    from tenants.ingress.claim import order_key_of
    from tenants.ingress.models import WebhookChange, WebhookEvent

    with schema_context(tenant.schema_name):
        created = []
        for i in range(messages):
            number_threads = threads[NUMBERS[i % len(NUMBERS)]]
            thread = number_threads[i // len(NUMBERS) % len(number_threads)]
            created.append(Message(
                phone_number_id=thread.phone_number_id, contact_id=thread.contact_id, conversation=thread,
                to="16505550101", type="template", status="sent", wamid=f"wamid.{label}.{i}",
                payload={"type": "template", "template": {"name": "offer", "language": {"code": "en"}}}))
        created = Message.objects.bulk_create(created)
    by_number: dict[str, list[tuple[str, str]]] = {}
    for wave in ("delivered", "read"):
        for i, message in enumerate(created):
            by_number.setdefault(NUMBERS[i % len(NUMBERS)], []).append((message.wamid, wave))
    bodies = [status_body(number, statuses[start:start + per_change], 1767225600 + start).decode()
              for number, statuses in by_number.items() for start in range(0, len(statuses), per_change)]
    events = WebhookEvent.objects.bulk_create([
        WebhookEvent(body=body, sha256=hashlib.sha256(body.encode()).hexdigest(), order_key=order_key_of(body))
        for body in bodies])
    seconds = route_all(workers)
    handled = WebhookChange.objects.filter(event__in=events, status="handled").count()
    with schema_context(tenant.schema_name):
        read = Message.objects.filter(wamid__startswith=f"wamid.{label}.", status="read").count()
    return Routed(events=len(events), statuses=2 * messages, seconds=seconds, handled=handled, read=read)
