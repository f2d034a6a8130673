"""White label: custom domains serve only after a DNS TXT record proves them (the resolver is injected, so no network),
and a reseller's brand dresses its console and its businesses."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from tenants.branding.models import DomainClaim
from tenants.tests.partners_support import PASSWORD, make_partner

TXT: dict[str, list[str]] = {}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def fake_txt_records(name: str) -> list[str]:
    """The injected resolver (settings.DNS_TXT_RESOLVER): what the test published."""
    from tenants.branding.dns import LookupFailed

    if name not in TXT:
        raise LookupFailed(f"{name} does not exist in DNS yet.")
    return TXT[name]


@pytest.fixture(autouse=True)
def _fake_dns(settings):
    settings.DNS_TXT_RESOLVER = "tenants.tests.test_branding.fake_txt_records"
    TXT.clear()
    yield
    TXT.clear()


def _publish(claim: dict) -> None:
    TXT[claim["txt_name"]] = ["v=spf1 -all", claim["txt_value"]]


def test_a_business_domain_serves_only_after_its_txt_record_is_found(alpha):
    owner = alpha.client(alpha.owner)
    claim = owner.post("/api/domains/", {"domain": "Chat.Alpha-Shop.example."}, format="json").json()
    assert (claim["domain"], claim["status"]) == ("chat.alpha-shop.example", "pending")
    assert claim["txt_name"] == "_convonest.chat.alpha-shop.example"
    visitor = APIClient(HTTP_HOST="chat.alpha-shop.example")
    assert visitor.get("/api/site/").status_code == 404

    missing = owner.post(f"/api/domains/{claim['id']}/verify/").json()
    assert missing["status"] == "pending" and "does not exist" in missing["last_error"]
    assert visitor.get("/api/site/").status_code == 404

    _publish(claim)
    verified = owner.post(f"/api/domains/{claim['id']}/verify/").json()
    assert verified["status"] == "verified" and verified["verified_at"]
    assert visitor.get("/api/site/").json()["tenant"]["slug"] == "alpha"

    assert owner.delete(f"/api/domains/{claim['id']}/").status_code == 204
    assert visitor.get("/api/site/").status_code == 404


def test_a_wrong_txt_value_does_not_verify(alpha):
    owner = alpha.client(alpha.owner)
    claim = owner.post("/api/domains/", {"domain": "chat.alpha.example"}, format="json").json()
    TXT[claim["txt_name"]] = ["convonest-verify=someone-elses-token"]
    checked = owner.post(f"/api/domains/{claim['id']}/verify/").json()
    assert checked["status"] == "pending" and "does not hold" in checked["last_error"]


def test_domains_are_refused_when_malformed_ours_or_taken(alpha, beta):
    owner = alpha.client(alpha.owner)
    for bad in ("not a domain", "localhost", "beta.localhost", "partners.localhost", "1.2.3.4", "x" * 300):
        response = owner.post("/api/domains/", {"domain": bad}, format="json")
        assert response.status_code == 400 and "domain" in response.json()["errors"], bad
    owner.post("/api/domains/", {"domain": "shop.example"}, format="json")
    taken = beta.client(beta.owner).post("/api/domains/", {"domain": "shop.example"}, format="json")
    assert taken.status_code == 400


def test_another_business_can_neither_see_verify_nor_delete_a_claim(alpha, beta):
    claim = alpha.client(alpha.owner).post("/api/domains/", {"domain": "shop.example"}, format="json").json()
    _publish(claim)
    other = beta.client(beta.owner)
    assert other.get("/api/domains/").json() == []
    assert other.post(f"/api/domains/{claim['id']}/verify/").status_code == 404
    assert other.delete(f"/api/domains/{claim['id']}/").status_code == 404
    assert DomainClaim.objects.get(pk=claim["id"]).verified_at is None


def test_agents_cannot_manage_domains(alpha):
    agent = alpha.add_member("agent@alpha.example", "agent")
    assert alpha.client(agent).post("/api/domains/", {"domain": "x.example"}, format="json").status_code == 403


def test_a_resellers_verified_domain_serves_its_branded_console_to_its_people_only(db):
    agency, rival = make_partner("agency"), make_partner("rival")
    console = agency.client()
    assert console.patch("/api/partners/brand/", {"display_name": "Growth Cloud", "primary_color": "#1F8A70"},
                         format="json").status_code == 200
    claim = console.post("/api/partners/domains/", {"domain": "app.growth.example"}, format="json").json()
    _publish(claim)
    assert console.post(f"/api/partners/domains/{claim['id']}/verify/").json()["status"] == "verified"

    own = APIClient(HTTP_HOST="app.growth.example", HTTP_SEC_FETCH_SITE="same-origin")
    site = own.get("/api/site/").json()
    assert site["kind"] == "partners"
    assert site["brand"] == {"name": "Growth Cloud", "primary_color": "#1f8a70", "logo_url": None}
    assert own.post("/api/auth/login/", {"email": agency.admin.email, "password": PASSWORD},
                    format="json").status_code == 200
    assert own.get("/api/partners/businesses/").status_code == 200
    # The rival's people can't sign in there, and the rival's session from the shared console doesn't work there.
    refused = APIClient(HTTP_HOST="app.growth.example", HTTP_SEC_FETCH_SITE="same-origin")
    assert refused.post("/api/auth/login/", {"email": rival.admin.email, "password": PASSWORD},
                        format="json").status_code == 400
    from conftest import access_cookie

    refused.cookies[access_cookie()] = rival.client().cookies[access_cookie()].value
    assert refused.get("/api/partners/businesses/").status_code == 401


def test_the_brand_dresses_the_resellers_businesses_and_no_one_elses(alpha, beta):
    agency = make_partner("agency")
    agency.adopt(alpha)
    console = agency.client()
    console.patch("/api/partners/brand/", {"primary_color": "#112233"}, format="json")
    upload = console.put("/api/partners/brand/logo/", {"logo": SimpleUploadedFile("logo.png", PNG, "image/png")},
                         format="multipart")
    assert upload.status_code == 200 and upload.json()["logo_url"]

    site = alpha.client().get("/api/site/").json()
    assert site["brand"]["name"] == "Agency Agency" and site["brand"]["primary_color"] == "#112233"
    logo = alpha.client().get(site["brand"]["logo_url"])
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png" and logo.content == PNG
    assert beta.client().get("/api/site/").json()["brand"] is None
    assert beta.client().get("/api/site/logo/").status_code == 404


def test_a_logo_must_be_a_small_raster_image(db):
    agency = make_partner("agency")
    console = agency.client()
    svg = SimpleUploadedFile("logo.svg", b"<svg onload='alert(1)'/>", "image/png")  # the name and type lie
    response = console.put("/api/partners/brand/logo/", {"logo": svg}, format="multipart")
    assert response.status_code == 400 and "logo" in response.json()["errors"]
    huge = SimpleUploadedFile("logo.png", PNG + b"\x00" * 300_000, "image/png")
    assert console.put("/api/partners/brand/logo/", {"logo": huge}, format="multipart").status_code == 400
    bad_colour = console.patch("/api/partners/brand/", {"primary_color": "red"}, format="json")
    assert bad_colour.status_code == 400 and "primary_color" in bad_colour.json()["errors"]


def test_reseller_support_reads_the_brand_but_cannot_change_it(db):
    agency = make_partner("agency")
    support = agency.client(agency.person("help@agency.example"))
    assert support.get("/api/partners/brand/").status_code == 200
    assert support.patch("/api/partners/brand/", {"display_name": "X"}, format="json").status_code == 403
    assert support.post("/api/partners/domains/", {"domain": "x.example"}, format="json").status_code == 403
