from django.db.models import QuerySet

from apps.calls.models import Call
from tenants.members import Member


def call_list(member: Member) -> QuerySet[Call]:
    """The business's call log: every member sees it (calls are not filed in conversations)."""
    return Call.objects.select_related("phone_number")
