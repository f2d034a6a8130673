"""Platform staff in tests: a staff member, and a browser on the public site signed in through the real login."""
from django.conf import settings
from rest_framework.test import APIClient

from conftest import PASSWORD
from tenants.models import User
from tenants.staff_auth import access_cookie_name, refresh_cookie_name

LOGIN = "/api/platform/auth/login/"
LOGOUT = "/api/platform/auth/logout/"
REFRESH = "/api/platform/auth/token/refresh/"
ME = "/api/platform/auth/user/"
INVALID_LOGIN = "The email or password is not correct."
ENDED = "This session has ended. Please log in again."


def make_staff(email: str = "ops@convonest.example", **fields) -> User:
    return User.objects.create_user(email=email, password=PASSWORD, is_staff=True, **fields)


def public_browser(**headers) -> APIClient:
    """The public site's pages: every request says it comes from this origin, as the browser does."""
    return APIClient(HTTP_HOST=settings.BASE_DOMAIN, HTTP_SEC_FETCH_SITE="same-origin", **headers)


def staff_browser(user: User, password: str = PASSWORD) -> APIClient:
    client = public_browser()
    response = client.post(LOGIN, {"email": user.email, "password": password}, format="json")
    assert response.status_code == 200, response.content
    return client


def staff_access(client: APIClient) -> str:
    return client.cookies[access_cookie_name()].value


def staff_refresh(client: APIClient) -> str:
    return client.cookies[refresh_cookie_name()].value
