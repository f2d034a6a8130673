from django.db.models import QuerySet
from django.http import Http404

from apps.core.errors import ApplicationError
from apps.whatsapp.models import PhoneNumber
from tenants.members import Member


def _connected() -> QuerySet[PhoneNumber]:
    # The schema is the tenant's, so every row is this business's.
    return PhoneNumber.objects.select_related("account").filter(disconnected_at__isnull=True)


def number_list(member: Member) -> QuerySet[PhoneNumber]:
    """The business's connected numbers: every member sees them all."""
    return _connected()


def access_number(member: Member, number_id) -> PhoneNumber:
    try:
        return number_list(member).get(pk=int(number_id))
    except (PhoneNumber.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def number_for_webhook(phone_number_id: str) -> PhoneNumber | None:
    """The business's number a webhook names by Meta's id, connected or not (Meta may still report on a number
    disconnected since), or None."""
    if not phone_number_id:
        return None
    return PhoneNumber.objects.filter(phone_number_id=str(phone_number_id)).first()


def number_for_sending(phone_number_id: str | None) -> PhoneNumber:
    """The number to send from: the one named, or the business's only number. Errors name the field."""
    numbers = _connected()
    if phone_number_id:
        number = numbers.filter(phone_number_id=str(phone_number_id)).first()
        if number is None:
            raise ApplicationError("This business has no such WhatsApp number.", code="validation_error",
                                   errors={"phone_number_id": ["Not a number of this business."]})
        return number
    first_two = list(numbers[:2])
    if not first_two:
        raise ApplicationError("Connect a WhatsApp number first (Settings → WhatsApp).", code="no_number")
    if len(first_two) > 1:
        raise ApplicationError("This business has several numbers: say which one sends.", code="validation_error",
                               errors={"phone_number_id": ["Required when the business has several numbers."]})
    return first_two[0]


def numbers_health() -> dict:
    """The business's connected numbers as its reseller's console shows them (tenants.partners.health): quality,
    status and limit, nothing that identifies a customer."""
    fields = ["phone_number_id", "display_phone_number", "verified_name", "quality_rating", "status",
              "messaging_limit_tier"]
    return {"numbers": list(_connected().order_by("id").values(*fields))}
