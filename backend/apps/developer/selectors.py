from django.http import Http404

from apps.developer.models import ApiKey
from tenants.members import Member


def api_key_list(member: Member):
    """The business's keys that still work or could (revoked ones are gone from the list)."""
    return ApiKey.objects.filter(revoked_at__isnull=True)


def access_api_key(member: Member, key_id: int) -> ApiKey:
    key = api_key_list(member).filter(pk=key_id).first()
    if key is None:
        raise Http404
    return key
