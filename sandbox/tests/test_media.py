"""Media: multipart upload, GET /{media-id}, download of its URL with the token, DELETE."""
from __future__ import annotations

import base64
import hashlib
import os

from .conftest import PHONE, PHONE2, V, graph_error


def upload(sb, data: bytes, mime: str, filename: str = "f", *, phone: str = PHONE, fields=None):
    form = {"messaging_product": "whatsapp", "type": mime} if fields is None else fields
    return sb.client.post(f"{V}/{phone}/media", data=form, files={"file": (filename, data, mime)})


def test_round_trip(sb):
    data = b"\x89PNG\r\n\x1a\n" + os.urandom(3000) + b"\r\n--boundary-like\r\n" + os.urandom(100)
    response = upload(sb, data, "image/png", "photo.png")
    assert response.status_code == 200, response.text
    media_id = response.json()["id"]
    info = sb.client.get(f"{V}/{media_id}").json()
    assert info["messaging_product"] == "whatsapp" and info["id"] == media_id
    assert info["mime_type"] == "image/png" and info["file_size"] == len(data)
    assert info["sha256"] == base64.b64encode(hashlib.sha256(data).digest()).decode()
    url = info["url"]
    assert "/whatsapp_business/attachments/?mid=" in url
    assert sb.anon.get(url).status_code == 401  # the token is needed
    download = sb.client.get(url)
    assert download.status_code == 200 and download.content == data
    assert download.headers["content-type"] == "image/png"
    assert sb.client.get(url + "x").status_code == 404  # a tampered hash
    assert graph_error(sb.client.get(f"{V}/{media_id}", params={"phone_number_id": PHONE2}))["code"] == 100
    assert sb.client.delete(f"{V}/{media_id}").json() == {"success": True}
    error = graph_error(sb.client.get(f"{V}/{media_id}"))
    assert error["code"] == 100 and error["error_subcode"] == 33


def test_upload_errors(sb):
    assert graph_error(upload(sb, b"x", "image/gif"))["code"] == 131053
    assert graph_error(upload(sb, b"x" * (100 * 1024 + 1) * 5 + b"x", "image/webp"))["code"] == 131053
    assert graph_error(upload(sb, b"x", "image/png", fields={"type": "image/png"}))["code"] == 131008
    no_file = sb.client.post(f"{V}/{PHONE}/media", data={"messaging_product": "whatsapp"},
                             files={"other": ("a", b"x", "text/plain")})
    assert "file" in graph_error(no_file)["error_data"]["details"]
    json_body = sb.client.post(f"{V}/{PHONE}/media", json={"messaging_product": "whatsapp"})
    assert graph_error(json_body)["code"] == 100


def test_media_of_another_waba_is_forbidden(sb):
    media_id = upload(sb, b"%PDF-1.4", "application/pdf").json()["id"]
    other = sb.anon.post("/_sandbox/wabas", json={"business_id": "400000000000001"}).json()
    token = sb.anon.post("/_sandbox/tokens", json={"waba_ids": [other["id"]]}).json()["token"]
    error = graph_error(sb.client.get(f"{V}/{media_id}", headers={"Authorization": f"Bearer {token}"}))
    assert error["code"] == 200


def test_customer_media_is_readable_by_the_business(sb):
    inbound = sb.customer_says("16505550101", {"type": "document", "document": {"filename": "cv.pdf",
                                                                                "caption": "my cv"}}).json()
    document = inbound["message"]["document"]
    assert document["filename"] == "cv.pdf" and document["mime_type"] == "application/pdf"
    info = sb.client.get(f"{V}/{document['id']}").json()
    assert sb.client.get(info["url"]).content.startswith(b"%PDF")
