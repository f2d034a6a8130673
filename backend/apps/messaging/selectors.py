import uuid

from django.db.models import QuerySet
from django.http import Http404

from apps.messaging.models import Message


def message_list() -> QuerySet[Message]:
    return Message.objects.select_related("phone_number")


def access_message(message_id) -> Message:
    """A message of this business (the tenant's schema): missing and malformed ids are the same 404."""
    try:
        return message_list().prefetch_related("events").get(pk=uuid.UUID(str(message_id)))
    except (Message.DoesNotExist, ValueError):
        raise Http404 from None
