"""NUL (U+0000), which PostgreSQL text cannot hold, is a 400 in the envelope wherever it arrives."""
import pytest


def test_nul_byte_in_query_is_a_400(alpha):
    response = alpha.client(alpha.owner).get("/api/conversations/?q=%00")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "malformed_request"
    assert "NUL" in body["message"]
    assert body["errors"] == {"q": [body["message"]]}


@pytest.mark.parametrize("url", ["/api/contacts/?q=a%00b", "/api/conversations/?phone_number_id=%00",
                                 "/api/contacts/count/?tag=x&tag=%00", "/api/contacts/?%00=1"])
def test_nul_anywhere_in_a_query_string_is_refused_before_any_view_runs(alpha, url):
    response = alpha.client(alpha.owner).get(url)
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "malformed_request"


def test_nul_in_the_query_is_refused_for_anonymous_visitors_too(alpha):
    response = alpha.client().get("/api/team/invites/accept/?token=%00")
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_request"


def test_nul_in_a_json_string_is_a_400_not_a_database_error(alpha):
    client = alpha.client(alpha.owner)
    response = client.post("/api/contacts/", {"name": "Al\u0000ice", "phone": "+16505550101"}, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "malformed_request"
    assert "NUL" in response.json()["message"]
    nested = client.post("/api/contacts/", {"attributes": {"k\u0000": "v"}}, format="json")
    assert nested.status_code == 400
    assert client.get("/api/contacts/count/").json()["count"] == 0


def test_nul_in_a_multipart_field_is_a_400(alpha):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("c.csv", b"phone,name\n+16505550101,Alice\n", content_type="text/csv")
    response = alpha.client(alpha.owner).post("/api/contacts/imports/inspect/",
                                              {"file": upload, "encoding": "utf\u0000-8"}, format="multipart")
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "malformed_request"


def test_text_without_nul_still_passes(alpha):
    body = {"name": "Zoë \\u0000 literal", "phone": "+16505550101"}
    response = alpha.client(alpha.owner).post("/api/contacts/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["name"] == "Zoë \\u0000 literal"
