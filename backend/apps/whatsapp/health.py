"""Writes of the health Meta reports by webhook: on the account or number, plus a HealthEvent row each."""
import hashlib
import json
import logging

from django.utils import timezone

from apps.whatsapp.models import BusinessAccount, HealthEvent, PhoneNumber

logger = logging.getLogger(__name__)


def _fingerprint(field: str, value: dict) -> str:
    return hashlib.sha256(json.dumps([field, value], sort_keys=True, default=str).encode()).hexdigest()


def _digits(text: str) -> str:
    return "".join(c for c in str(text or "") if c.isdigit())


def number_of_account(account: BusinessAccount, *, phone_number_id: str = "", display_phone_number: str = ""
                      ) -> PhoneNumber | None:
    """The account's number named by Meta's id, or by its display number (formatted differently in webhooks)."""
    numbers = account.numbers.all()
    if phone_number_id:
        return numbers.filter(phone_number_id=str(phone_number_id)).first()
    wanted = _digits(display_phone_number)
    if not wanted:
        return None
    return next((n for n in numbers if _digits(n.display_phone_number) == wanted), None)


def health_event_record(*, account: BusinessAccount, field: str, event: str, detail: dict,
                        number: PhoneNumber | None = None, account_changes: dict | None = None,
                        number_changes: dict | None = None, all_numbers_changes: dict | None = None
                        ) -> HealthEvent | None:
    """Apply what Meta reported and keep the notice. The same notice delivered again (equal to the latest
    recorded for this account and number) changes nothing and adds no row."""
    fingerprint = _fingerprint(field, detail)
    BusinessAccount.objects.select_for_update().filter(pk=account.pk).values_list("pk").first()  # one writer
    latest = HealthEvent.objects.filter(account=account, phone_number=number).order_by("-created_at", "-id") \
        .values_list("fingerprint", flat=True).first()
    if latest == fingerprint:
        logger.info("%s %s for account %s already recorded (redelivery)", field, event, account.waba_id)
        return None
    now = timezone.now()
    if account_changes:
        BusinessAccount.objects.filter(pk=account.pk).update(**account_changes, health_updated_at=now)
    if number is not None and number_changes:
        PhoneNumber.objects.filter(pk=number.pk).update(**number_changes, health_updated_at=now)
    if all_numbers_changes:
        PhoneNumber.objects.filter(account=account).update(**all_numbers_changes, health_updated_at=now)
    return HealthEvent.objects.create(account=account, phone_number=number, field=field[:64], event=event[:64],
                                      detail=detail, fingerprint=fingerprint)
