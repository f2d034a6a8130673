from apps.developer.models import ApiKey


def create_key(business, scopes=("messages", "templates", "contacts", "campaigns"), *, user=None, **extra) -> dict:
    """A key made through the API by `user` (the owner by default): its listing plus `key`, the full secret."""
    client = business.client(user or business.owner)
    response = client.post("/api/developer/api-keys/", {"name": "CI", "scopes": list(scopes), **extra},
                           format="json")
    assert response.status_code == 201, response.content
    return response.json()


def key_client(business, key: str):
    """A client on the business's host that authenticates with the key only (no cookie, no browser headers)."""
    from rest_framework.test import APIClient

    return APIClient(HTTP_HOST=business.host, HTTP_AUTHORIZATION=f"Bearer {key}")


def stored(key_id: int) -> ApiKey:
    return ApiKey.objects.get(pk=key_id)
