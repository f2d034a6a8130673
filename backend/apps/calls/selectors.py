from django.db.models import QuerySet

from apps.calls.models import Call


def call_list() -> QuerySet[Call]:
    return Call.objects.select_related("phone_number")
