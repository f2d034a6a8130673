"""L9: the OpenAPI schema and Swagger UI are for members and platform staff (anyone in DEBUG), and the UI is
served from our own static files, never a CDN."""
import pytest
from django.conf import settings as django_settings
from rest_framework.test import APIClient

from tenants.models import User
from tenants.staff_auth import platform_token_for


def _public_client(**extra) -> APIClient:
    return APIClient(HTTP_HOST=django_settings.BASE_DOMAIN, **extra)


@pytest.mark.parametrize("url", ["/api/schema/", "/api/docs/"])
def test_anonymous_callers_get_no_schema_or_docs_with_debug_off(alpha, settings, url):
    settings.DEBUG = False

    assert APIClient(HTTP_HOST=alpha.host).get(url).status_code == 401
    assert _public_client().get(url).status_code == 401


def test_members_and_platform_staff_read_the_schema_and_other_businesses_members_do_not(alpha, beta, settings):
    settings.DEBUG = False
    staff = User.objects.create_user(email="ops@convonest.example", password="x-long-password-1", is_staff=True)

    member = alpha.client(alpha.owner).get("/api/schema/")
    stranger = APIClient(HTTP_HOST=alpha.host)
    stranger.cookies = beta.client(beta.owner).cookies  # a beta session presented on alpha's host
    staff_public = _public_client(HTTP_AUTHORIZATION=f"Bearer {platform_token_for(staff)}").get("/api/schema/")

    assert member.status_code == 200 and b"openapi" in member.content
    assert stranger.get("/api/schema/").status_code in (401, 403)
    assert staff_public.status_code == 200 and b"openapi" in staff_public.content


def test_the_schema_is_open_in_debug(alpha, settings):
    settings.DEBUG = True

    assert APIClient(HTTP_HOST=alpha.host).get("/api/schema/").status_code == 200


def test_the_docs_page_loads_swagger_ui_from_our_static_files_not_a_cdn(alpha, settings):
    settings.DEBUG = False

    page = alpha.client(alpha.owner).get("/api/docs/")

    html = page.content.decode()
    assert page.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    for cdn in ("jsdelivr", "unpkg", "cdnjs", "https://", "//cdn"):
        assert cdn not in html, cdn
