"""The wholesale wallet's writes (docs/billing.md, "Wholesale wallet"): a reseller prepays a business's messages.

    wallet_open              the reseller chooses wholesale billing for one of its businesses (idempotent)
    wallet_terms_set         its markup and low-balance threshold
    wallet_fund              a reseller admin tops the balance up
    wallet_adjust            a signed correction with a note (platform staff)
    wallet_charge_delivered  delivered billable messages, charged once each (messaging.statuses calls it)
    wallet_require_funds     the send gate: 402 wallet_empty at a balance of zero or less

Every change to a balance is an entry written in the same transaction, under the wallet row's lock
(SELECT ... FOR UPDATE), from the balance read under that lock: so the ledger always balances, whatever runs
concurrently. Lock order: a status change locks its messages and usage counters first, the wallet last; nothing
that locks a wallet then waits for a message, so charges and funding never deadlock.
"""
from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.mail import send_mass_mail
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from apps.core.errors import ApplicationError, Conflict
from tenants.billing import rate_card
from tenants.billing.wallet_models import MAX_MARKUP_PERCENT, MICROS, Wallet, WalletEntry
from tenants.billing.wallet_pricing import price_of
from tenants.models import Reseller, ResellerMembership, ResellerRole, Role, Tenant, User

logger = logging.getLogger(__name__)

Kind = WalletEntry.Kind
MAX_AMOUNT_MICROS = 1_000_000 * MICROS  # one top-up or correction: a typo of a few zeros is refused, not booked
DEFAULT_MARKUP_PERCENT = Decimal(20)
DEFAULT_LOW_BALANCE_MICROS = 5 * MICROS


class WalletEmpty(ApplicationError):
    status_code = 402
    default_code = "wallet_empty"


@dataclass(frozen=True)
class Delivered:
    """A message Meta reports delivered (or read) and billable, as messaging.statuses hands it over."""

    message_id: uuid.UUID
    wamid: str
    recipient: str  # the message's `to`: the recipient's number digits (or a BSUID)
    category: str  # Meta's pricing category
    at: dt.datetime  # when it was delivered: the rate card in force that day prices it


def money(micros: int, currency: str) -> str:
    """12.5 USD, -0.37 USD: for messages and mails (the API gives micro-units)."""
    return f"{Decimal(micros) / MICROS:.2f} {currency.upper()}"


def _tenant_lookup(tenant) -> dict:
    """Filter by the business's row, or by its schema for django-tenants' FakeTenant (schema_context) without a pk:
    one indexed query either way."""
    pk = getattr(tenant, "pk", None)
    return {"tenant_id": pk} if pk is not None else {"tenant__schema_name": tenant.schema_name}


# --- the reseller's side ---------------------------------------------------------------------------------------

def _amount(value, *, field: str = "amount_micros", positive: bool = True) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ApplicationError("The amount must be a whole number of micro-units.", code="validation_error",
                               errors={field: ["A whole number of micro-units (1,000,000 = 1 unit of currency)."]})
    if positive and value <= 0:
        raise ApplicationError("Only a positive amount can be added to a wallet.", code="validation_error",
                               errors={field: ["Must be more than 0."]})
    if value == 0 or abs(value) > MAX_AMOUNT_MICROS:
        raise ApplicationError("The amount is out of range.", code="validation_error",
                               errors={field: [f"Between 1 and {MAX_AMOUNT_MICROS:,} micro-units (either sign for "
                                               "an adjustment)."]})
    return value


def _markup(value) -> Decimal:
    try:
        markup = Decimal(str(value))
    except InvalidOperation:
        markup = None
    if markup is None or not markup.is_finite() or not 0 <= markup <= MAX_MARKUP_PERCENT \
            or markup != markup.quantize(Decimal("0.01")):
        raise ApplicationError("The markup is not valid.", code="validation_error",
                               errors={"markup_percent": [f"A percentage from 0 to {MAX_MARKUP_PERCENT}, at most two "
                                                          "decimals."]})
    return markup


def _threshold(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_AMOUNT_MICROS:
        raise ApplicationError("The low-balance threshold is not valid.", code="validation_error",
                               errors={"low_balance_micros": [f"From 0 to {MAX_AMOUNT_MICROS:,} micro-units."]})
    return value


def _business_of(*, reseller: Reseller, tenant: Tenant) -> None:
    """A reseller acts only on its own businesses; any other looks like no business at all."""
    if tenant.reseller_id is None or tenant.reseller_id != reseller.pk:
        raise Http404("No such business.")


def _locked(*, reseller: Reseller, tenant: Tenant) -> Wallet:
    _business_of(reseller=reseller, tenant=tenant)
    wallet = (Wallet.objects.select_for_update(of=("self",))
              .filter(tenant_id=tenant.pk, reseller_id=reseller.pk).first())
    if wallet is None:
        raise Http404("This business is not billed through a wallet.")
    return wallet


def _require_reseller_admin(actor: User, reseller: Reseller) -> None:
    """Money moves only at a reseller admin's hand (support staff act as agents and don't fund)."""
    if not ResellerMembership.objects.filter(user=actor, reseller=reseller, role=ResellerRole.ADMIN).exists():
        raise ApplicationError("Only the reseller's admins can change a wallet.", code="permission_denied",
                               status_code=403)


def wallet_open(*, tenant: Tenant, reseller: Reseller, markup_percent=DEFAULT_MARKUP_PERCENT,
                low_balance_micros: int = DEFAULT_LOW_BALANCE_MICROS) -> Wallet:
    """Bill `tenant` wholesale through `reseller` (its own reseller): a wallet at zero, in the rate card's currency.
    Opening it again returns the wallet as it is (use wallet_terms_set to change terms)."""
    _business_of(reseller=reseller, tenant=tenant)
    markup, threshold = _markup(markup_percent), _threshold(low_balance_micros)
    wallet, _ = Wallet.objects.get_or_create(tenant=tenant, defaults={
        "reseller": reseller, "markup_percent": markup, "low_balance_micros": threshold,
        "currency": rate_card.rate_card().currency.lower()})
    if wallet.reseller_id != reseller.pk:  # opened by a reseller the business has since left
        raise Conflict("This business's wallet belongs to another reseller.")
    return wallet


@transaction.atomic
def wallet_terms_set(*, tenant: Tenant, reseller: Reseller, actor: User, markup_percent=None,
                     low_balance_micros: int | None = None) -> Wallet:
    """Change the markup (charges from now on) or the low-balance threshold (a balance now at or above it may alert
    again when it next falls below)."""
    _require_reseller_admin(actor, reseller)
    wallet = _locked(reseller=reseller, tenant=tenant)
    if markup_percent is not None:
        wallet.markup_percent = _markup(markup_percent)
    if low_balance_micros is not None:
        wallet.low_balance_micros = _threshold(low_balance_micros)
        if wallet.balance_micros >= wallet.low_balance_micros:
            wallet.low_alert_sent_at = None
    wallet.save(update_fields=["markup_percent", "low_balance_micros", "low_alert_sent_at", "updated_at"])
    return wallet


@transaction.atomic
def wallet_fund(*, reseller: Reseller, tenant: Tenant, actor: User, amount_micros: int, note: str = "") -> WalletEntry:
    """A reseller admin adds `amount_micros` (> 0) to one of its businesses' wallets. 404 for a business that isn't
    the reseller's or isn't wholesale; 403 for someone who isn't the reseller's admin."""
    amount = _amount(amount_micros)
    _require_reseller_admin(actor, reseller)
    wallet = _locked(reseller=reseller, tenant=tenant)
    return _append(wallet, kind=Kind.FUNDING, amount=amount, actor=actor, note=note[:300])


@transaction.atomic
def wallet_adjust(*, wallet: Wallet, actor: User, amount_micros: int, note: str) -> WalletEntry:
    """A correction of either sign (a refund of a disputed charge, a mistaken top-up), always with its reason."""
    amount = _amount(amount_micros, positive=False)
    if not (note or "").strip():
        raise ApplicationError("Say why the balance is adjusted.", code="validation_error",
                               errors={"note": ["An adjustment needs a note."]})
    locked = Wallet.objects.select_for_update().get(pk=wallet.pk)
    return _append(locked, kind=Kind.ADJUSTMENT, amount=amount, actor=actor, note=note.strip()[:300])


def _append(wallet: Wallet, *, kind: str, amount: int, **fields) -> WalletEntry:
    """One entry and the balance it leaves, on the locked wallet."""
    after = wallet.balance_micros + amount
    entry = WalletEntry.objects.create(wallet=wallet, kind=kind, amount_micros=amount, balance_after_micros=after,
                                       **fields)
    _move(wallet, after)
    return entry


def _move(wallet: Wallet, after: int) -> None:
    """Set the locked wallet's balance; a fall below the threshold alerts once (after commit), and a balance back at
    or above it re-arms the alert."""
    before, now = wallet.balance_micros, timezone.now()
    wallet.balance_micros = after
    if after >= wallet.low_balance_micros:
        wallet.low_alert_sent_at = None
    elif after < before and wallet.low_alert_sent_at is None:
        wallet.low_alert_sent_at = now
        wallet_id = wallet.pk
        transaction.on_commit(lambda: _alert_enqueue(wallet_id), robust=True)
    Wallet.objects.filter(pk=wallet.pk).update(balance_micros=after, low_alert_sent_at=wallet.low_alert_sent_at,
                                               updated_at=now)


def _alert_enqueue(wallet_id: int) -> None:
    from tenants.tasks import wallet_low_balance_alert

    wallet_low_balance_alert.delay(wallet_id)


# --- charges ----------------------------------------------------------------------------------------------------

def wallet_charge_delivered(tenant, deliveries: list[Delivered]) -> list[WalletEntry]:
    """Charge the business's wallet for messages delivered and billable, once each, in four statements whatever the
    number: lock the wallet, read which of these wamids were charged already, insert the rest, set the balance.
    A business without a wallet costs the first statement only.

    Each charge is Meta's rate for the category and the recipient's country on the day of delivery plus the
    markup. The balance may go below zero: the message was allowed when it was sent and Meta charges it now; the
    entry says so truthfully and the gate refuses the next send. A delivery that can't be priced (a category the
    card doesn't know, an unreadable card) is booked at 0 with the reason in its note, and logged as an error."""
    if not deliveries:
        return []
    with transaction.atomic(savepoint=False):  # inside the status change's transaction; nothing to roll back alone
        wallet = Wallet.objects.select_for_update(of=("self",)).filter(**_tenant_lookup(tenant)).first()
        if wallet is None:
            return []
        seen = set(WalletEntry.objects.filter(wallet=wallet, kind=Kind.CHARGE,
                                              wamid__in=[d.wamid for d in deliveries]).values_list("wamid", flat=True))
        balance, cards, entries = wallet.balance_micros, {}, []
        for delivery in deliveries:
            if delivery.wamid in seen:  # a redelivered status, or one message named twice in a change
                continue
            seen.add(delivery.wamid)
            price = price_of(category=delivery.category, recipient=delivery.recipient,
                             on=delivery.at.astimezone(dt.UTC).date(), markup_percent=wallet.markup_percent,
                             card_cache=cards)
            if price.problem:
                logger.error("wallet %s: message %s charged nothing: %s", wallet.pk, delivery.message_id,
                             price.problem)
            balance -= price.total_micros
            entries.append(WalletEntry(
                wallet=wallet, kind=Kind.CHARGE, amount_micros=-price.total_micros, balance_after_micros=balance,
                message_id=delivery.message_id, wamid=delivery.wamid, category=price.category[:32],
                country=price.country, meta_rate_micros=price.meta_rate_micros, markup_micros=price.markup_micros,
                note=f"Not priced: {price.problem}"[:300] if price.problem else ""))
        if entries:
            WalletEntry.objects.bulk_create(entries)
            _move(wallet, balance)
    return entries


# --- the send gate ----------------------------------------------------------------------------------------------

def wallet_require_funds(tenant, *, adding: int = 1) -> None:
    """Refuse (402 wallet_empty) a send of `adding` messages by a wholesale business whose balance is zero or less.
    One indexed read; a business without a wallet (billed by plan) passes. Called next to the plan limit by every
    send a person or a campaign starts; never for inbound messages or the automatic replies inside them."""
    row = (Wallet.objects.filter(**_tenant_lookup(tenant))
           .values_list("balance_micros", "currency", "reseller__name").first())
    if row is None or row[0] > 0:
        return
    balance, currency, reseller = row
    raise WalletEmpty(
        f"The prepaid balance is {money(balance, currency)}: no message can be sent until {reseller} tops it up. "
        "Messages from customers still arrive.",
        errors={"balance_micros": [str(balance)], "currency": [currency], "adding": [str(adding)]})


# --- the low-balance alert --------------------------------------------------------------------------------------

def wallet_low_balance_mail_send(wallet_id: int) -> int:
    """Mail the reseller's admins and the business's owners that the balance fell below the threshold, one mail
    each (no one sees the others' addresses). Nothing when the wallet was funded meanwhile. Returns mails sent."""
    from tenants.services import tenant_url

    wallet = Wallet.objects.select_related("tenant", "reseller").filter(pk=wallet_id).first()
    if wallet is None or wallet.low_alert_sent_at is None or wallet.balance_micros >= wallet.low_balance_micros:
        return 0
    tenant, reseller = wallet.tenant, wallet.reseller
    balance, threshold = money(wallet.balance_micros, wallet.currency), money(wallet.low_balance_micros,
                                                                              wallet.currency)
    subject = f"{tenant.name}: prepaid WhatsApp balance is low ({balance})"
    admins = list(User.objects.filter(is_active=True, reseller_memberships__reseller=reseller,
                                      reseller_memberships__role=ResellerRole.ADMIN).values_list("email", flat=True))
    owners = [email for email in User.objects.filter(is_active=True, memberships__tenant=tenant,
                                                     memberships__role=Role.OWNER).values_list("email", flat=True)
              if email not in admins]
    for_reseller = (f"The prepaid balance of {tenant.name} is {balance}, below its alert threshold of {threshold}.\n\n"
                    f"At zero its messages stop being sent (incoming messages still arrive). Top the wallet up in "
                    f"the {reseller.name} partner console.")
    for_owner = (f"The prepaid WhatsApp balance of {tenant.name} is {balance}, below {threshold}.\n\n"
                 f"At zero, messages stop being sent until {reseller.name} tops it up; incoming messages still "
                 f"arrive. Ask {reseller.name} to add funds. The balance: {tenant_url(tenant)}/settings/billing")
    mails = [(subject, for_reseller, None, [email]) for email in admins]
    mails += [(subject, for_owner, None, [email]) for email in owners]
    return send_mass_mail(mails) if mails else 0
