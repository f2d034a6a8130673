"""The wallet's ledger under concurrency (issue 14 §3): status workers charging overlapping changes, direct charges
of overlapping batches, top-ups and sends, all at once on their own database connections (committed data). Then
the ledger balances, every delivered message is charged exactly once (none lost, none doubled), every top-up is
there, and nothing deadlocked."""
import random
import threading
import uuid
from collections import Counter

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.core.errors import ApplicationError
from apps.messaging.models import Message
from apps.messaging.outbox import message_send_to
from apps.messaging.statuses import StatusIn, statuses_apply
from apps.messaging.tests.inbox_helpers import connect_number
from apps.whatsapp.models import PhoneNumber
from tenants.billing.wallet import Delivered, wallet_charge_delivered, wallet_fund, wallet_open
from tenants.billing.wallet_models import WalletEntry
from tenants.billing.wallet_pricing import price_of
from tenants.billing.wallet_testing import assert_ledger_balances
from tenants.models import Reseller, ResellerMembership, ResellerRole, Tenant, User

MARKETING = {"category": "marketing", "billable": True, "type": "regular"}
TEMPLATE = {"type": "template", "template": {"name": "order_update", "language": {"code": "en_US"}}}
INDIA = "919876543210"
MESSAGES, DIRECT, TOP_UPS, TOP_UP = 60, 40, 10, 100_000


@pytest.fixture
def wholesale(committed_business):
    """The committed business, billed wholesale by a reseller of its own; removed afterwards but for the reseller's
    admin (a login stays, as committed_business's owner does: deleting one reaches into tenant schemas)."""
    business = committed_business
    reseller = Reseller.objects.create(name="Busy Agency", slug="busy-agency")
    Tenant.objects.filter(pk=business.tenant.pk).update(reseller=reseller)
    business.tenant.refresh_from_db()
    admin = User.objects.create_user(email=f"admin-{uuid.uuid4().hex[:8]}@busy-agency.example", password="x" * 20)
    ResellerMembership.objects.create(user=admin, reseller=reseller, role=ResellerRole.ADMIN)
    wallet = wallet_open(tenant=business.tenant, reseller=reseller, low_balance_micros=0)
    try:
        yield business, reseller, admin, wallet
    finally:
        connection.set_schema_to_public()
        WalletEntry.objects.filter(wallet=wallet).delete()
        wallet.delete()
        Tenant.objects.filter(pk=business.tenant.pk).update(reseller=None)
        reseller.delete()


def _messages(business, n: int) -> list[Message]:
    number = connect_number(business)
    with schema_context(business.tenant.schema_name):
        number = PhoneNumber.objects.get(phone_number_id=number.phone_number_id)
        return Message.objects.bulk_create([
            Message(phone_number=number, to=INDIA, type="template", payload={}, status="sent",
                    wamid=f"wamid.concurrent.{i}.{uuid.uuid4().hex}") for i in range(n)])


def test_concurrent_charges_top_ups_and_sends_keep_the_ledger_balanced_and_charge_each_message_once(wholesale):
    business, reseller, admin, wallet = wholesale
    tenant = business.tenant
    messages = _messages(business, MESSAGES)
    direct = [Delivered(message_id=uuid.uuid4(), wamid=f"wamid.direct.{i}", recipient=INDIA, category="marketing",
                        at=timezone.now()) for i in range(DIRECT)]
    start, errors, outcomes = threading.Barrier(9), [], Counter()

    def run(work) -> None:
        try:
            start.wait(30)
            work()
        except Exception as exc:  # a deadlock or a lost lock would surface here
            errors.append(exc)
        finally:
            connection.close()

    def status_worker(seed: int) -> None:  # Meta's webhooks, redelivered and reordered across workers
        order = messages[:]
        random.Random(seed).shuffle(order)
        with schema_context(tenant.schema_name):
            for i in range(0, len(order), 10):
                statuses_apply([StatusIn(s, m.wamid, None, timezone.now(), None, MARKETING)
                                for m in order[i:i + 10] for s in ("delivered", "read")])

    def direct_charger(seed: int) -> None:  # the wallet's own exactly-once, without the messages' row locks
        order = direct[:]
        random.Random(seed).shuffle(order)
        for i in range(0, len(order), 8):
            wallet_charge_delivered(tenant, order[i:i + 8])

    def funder() -> None:
        for _ in range(TOP_UPS):
            wallet_fund(reseller=reseller, tenant=tenant, actor=admin, amount_micros=TOP_UP)

    def sender() -> None:  # the gate reads the balance while everything else moves it
        with schema_context(tenant.schema_name):
            number = PhoneNumber.objects.get(phone_number_id="120000000000001")
            for i in range(10):
                try:
                    message_send_to(actor=None, number=number, to=f"+9198765{i:05d}", message=TEMPLATE)
                    outcomes["queued"] += 1
                except ApplicationError as exc:
                    outcomes[exc.code] += 1

    works = ([lambda s=s: status_worker(s) for s in range(4)] + [lambda s=s: direct_charger(s) for s in range(2)]
             + [funder, funder, sender])
    threads = [threading.Thread(target=run, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert errors == [] and not any(thread.is_alive() for thread in threads)
    entries = assert_ledger_balances(wallet)
    charges = [e for e in entries if e.kind == "charge"]
    expected = {m.wamid for m in messages} | {d.wamid for d in direct}
    assert len(charges) == len(expected) and {c.wamid for c in charges} == expected  # none lost, none doubled
    assert {c.message_id for c in charges if c.wamid.startswith("wamid.concurrent.")} == {m.pk for m in messages}
    price = price_of(category="marketing", recipient=INDIA, on=timezone.now().date(),
                     markup_percent=wallet.markup_percent).total_micros
    assert all(c.amount_micros == -price for c in charges)
    top_ups = [e for e in entries if e.kind == "funding"]
    assert len(top_ups) == 2 * TOP_UPS and sum(e.amount_micros for e in top_ups) == 2 * TOP_UPS * TOP_UP
    assert wallet.balance_micros == 2 * TOP_UPS * TOP_UP - len(expected) * price
    assert set(outcomes) <= {"queued", "wallet_empty"} and sum(outcomes.values()) == 10
