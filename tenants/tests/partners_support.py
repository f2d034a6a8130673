"""Resellers and console clients for the partner console's tests."""
from dataclasses import dataclass

from django.conf import settings
from rest_framework.test import APIClient

from tenants.models import Reseller, ResellerMembership, ResellerRole, User

PASSWORD = "correct-horse-battery-9"


def console_client(user: User | None = None, reseller: Reseller | None = None) -> APIClient:
    """A client on the console's host, like its own pages (same origin), signed in through the real login."""
    client = APIClient(HTTP_HOST=settings.PARTNERS_HOST, HTTP_SEC_FETCH_SITE="same-origin")
    if user is not None:
        body = {"email": user.email, "password": PASSWORD, **({"reseller": reseller.slug} if reseller else {})}
        response = client.post("/api/auth/login/", body, format="json")
        assert response.status_code == 200, response.content
    return client


@dataclass
class Partner:
    reseller: Reseller
    admin: User

    def person(self, email: str, role: str = ResellerRole.SUPPORT) -> User:
        user = User.objects.filter(email=email).first() or User.objects.create_user(email=email, password=PASSWORD)
        ResellerMembership.objects.create(user=user, reseller=self.reseller, role=role)
        return user

    def client(self, user: User | None = None) -> APIClient:
        return console_client(user or self.admin, self.reseller)

    def adopt(self, business) -> None:
        """Make an existing test business one of this reseller's clients."""
        business.tenant.reseller = self.reseller
        business.tenant.save(update_fields=["reseller"])


def make_partner(slug: str) -> Partner:
    from tenants.partners.services import reseller_signup

    result = reseller_signup(company_name=f"{slug.title()} Agency", slug=slug, email=f"admin@{slug}.example",
                             password=PASSWORD)
    return Partner(result.reseller, result.user)
