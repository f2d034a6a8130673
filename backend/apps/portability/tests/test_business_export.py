"""The whole business as a download: the owner asks, a task writes the zip (a JSON Lines file per table, the team,
the media files, a manifest), the owner downloads it until it expires. Nothing secret is in it, nothing of another
business, and every request and download is in the audit log."""
import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.audit.testing import AuditTrail
from apps.contacts.models import Contact
from apps.developer.models import ApiKey, WebhookEndpoint
from apps.developer.tests.helpers import create_key
from apps.messaging.media import media_path
from apps.messaging.models import MessageMedia
from apps.messaging.tests.inbox_helpers import connect_number, customer_writes
from apps.portability import archive, services
from apps.portability.catalogue import NOT_EXPORTED, TABLES, TEAM_FILE
from apps.portability.models import BusinessExport
from apps.portability.services import export_run, exports_expire, progress_key
from apps.whatsapp.models import BusinessAccount
from tenants.models import Role

URL = "/api/business/exports/"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
WHATSAPP_TOKEN = "EAAG-whatsapp-access-token-never-exported"
_trail = AuditTrail()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    _trail.forget()
    return tmp_path


@pytest.fixture
def owner(alpha):
    return alpha.client(alpha.owner)


def _business_with_data(business, *, wa_id="16505550101", name="Alice", ids=("120000000000001", "220000000000001")):
    """A number (with a token), a customer's text and photo (downloaded), an API key and a webhook endpoint."""
    number = connect_number(business, *ids)
    with schema_context(business.tenant.schema_name):
        account = BusinessAccount.objects.get()
        account.access_token = WHATSAPP_TOKEN
        account.save(update_fields=["access_token"])
    customer_writes(business, number, "Hello from " + name, wa_id=wa_id, name=name)
    photo = customer_writes(business, number, wa_id=wa_id, name=name,
                            message={"type": "image", "image": {"id": "77" + wa_id, "mime_type": "image/png"}})
    with schema_context(business.tenant.schema_name):
        file = default_storage.save(media_path(photo.pk, ".png"), ContentFile(PNG))
        MessageMedia.objects.update_or_create(message=photo, defaults={
            "media_id": "77" + wa_id, "mime_type": "image/png", "status": "downloaded", "file": file,
            "size": len(PNG)})
    key = create_key(business)["key"]
    endpoint = business.client(business.owner).post(
        "/api/developer/webhooks/", {"url": "http://127.0.0.1:9/hooks", "events": ["contact.created"]},
        format="json")
    assert endpoint.status_code == 201, endpoint.content
    return {"photo": photo, "key": key}


def _request_and_run(business, client, django_capture_on_commit_callbacks) -> dict:
    with django_capture_on_commit_callbacks(execute=False) as enqueued:
        response = client.post(URL)
    assert response.status_code == 202, response.content
    assert response.json()["status"] == "pending" and len(enqueued) == 1  # the task goes after commit
    with schema_context(business.tenant.schema_name):
        export_run(response.json()["id"])
    return client.get(f"{URL}{response.json()['id']}/").json()


def _download(client, export: dict) -> zipfile.ZipFile:
    response = client.get(export["download_url"])
    assert response.status_code == 200, getattr(response, "content", b"")
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _lines(zipped: zipfile.ZipFile, name: str) -> list[dict]:
    return [json.loads(line) for line in zipped.read(name).decode().splitlines()]


def _everything(zipped: zipfile.ZipFile) -> bytes:
    return b"\n".join(zipped.read(name) for name in zipped.namelist())


def test_the_owner_gets_every_table_the_team_the_media_and_a_manifest(alpha, owner,
                                                                      django_capture_on_commit_callbacks):
    data = _business_with_data(alpha)
    _trail.mark(alpha)

    export = _request_and_run(alpha, owner, django_capture_on_commit_callbacks)

    assert export["status"] == "ready" and export["size"] > 0
    assert export["expires_at"] and export["download_url"].endswith("/download/")
    zipped = _download(owner, export)
    manifest = json.loads(zipped.read("manifest.json"))
    assert set(zipped.namelist()) >= {t.file for t in TABLES} | {TEAM_FILE, "manifest.json"}
    assert manifest["format_version"] == archive.FORMAT_VERSION
    assert manifest["business"]["slug"] == "alpha"
    assert manifest["migrations"]["contacts"]
    assert manifest["migrations"]["portability"] == "0002_user_references_without_constraint"
    for table in TABLES:  # the manifest's counts are the files' lines, and the API shows them too
        assert manifest["files"][table.file]["rows"] == len(zipped.read(table.file).splitlines())
        assert export["counts"][table.file] == manifest["files"][table.file]["rows"]
    contacts = _lines(zipped, "contacts/contacts.jsonl")
    assert [c["phone"] for c in contacts] == ["+16505550101"]
    texts = [m["payload"].get("text", {}).get("body") for m in _lines(zipped, "inbox/messages.jsonl")]
    assert "Hello from Alice" in texts
    assert _lines(zipped, "inbox/conversations.jsonl")[0]["contact_id"] == contacts[0]["id"]
    media = _lines(zipped, "inbox/media.jsonl")[0]
    assert media["message_id"] == str(data["photo"].pk)
    assert zipped.read(f"media/{data['photo'].pk}.png") == PNG
    assert manifest["media"] == {"files": 1, "missing": 0} and export["counts"]["media"] == 1
    actions = {e["action"] for e in _lines(zipped, "audit/events.jsonl")}
    assert actions >= {"api_key.created", "business.export_requested"}
    (member,) = _lines(zipped, TEAM_FILE)
    assert member == {"user_id": alpha.owner.pk, "email": alpha.owner.email, "first_name": "", "last_name": "",
                      "role": "owner", "joined_at": member["joined_at"]}
    requested = _trail.only(alpha, "business.export_requested")
    downloaded = _trail.only(alpha, "business.export_downloaded")
    assert (requested.actor_label, downloaded.actor_label) == (alpha.owner.email, alpha.owner.email)
    assert requested.target_id == downloaded.target_id == export["id"]


def test_no_secret_is_in_the_export_no_token_key_hash_webhook_secret_or_password(alpha, owner,
                                                                                 django_capture_on_commit_callbacks):
    data = _business_with_data(alpha)
    with schema_context(alpha.tenant.schema_name):
        key = ApiKey.objects.get()
        endpoint = WebhookEndpoint.objects.get()
        with connection.cursor() as cursor:
            cursor.execute("SELECT access_token FROM whatsapp_businessaccount")
            (stored_token,) = cursor.fetchone()
    secrets = [WHATSAPP_TOKEN, stored_token, data["key"], data["key"].removeprefix("cn_live_"), key.secret_hash,
               endpoint.secret, alpha.owner.password]

    everything = _everything(_download(owner, _request_and_run(alpha, owner, django_capture_on_commit_callbacks)))

    for secret in secrets:
        assert secret and secret.encode() not in everything, secret[:12]


def test_withheld_columns_are_named_in_the_manifest_and_absent_from_the_files(alpha, owner,
                                                                               django_capture_on_commit_callbacks):
    _business_with_data(alpha)
    zipped = _download(owner, _request_and_run(alpha, owner, django_capture_on_commit_callbacks))
    manifest = json.loads(zipped.read("manifest.json"))

    assert manifest["files"]["settings/whatsapp_accounts.jsonl"]["withheld"] == ["access_token"]
    assert "access_token" not in _lines(zipped, "settings/whatsapp_accounts.jsonl")[0]
    assert {"secret_hash", "previous_secret_hash"}.isdisjoint(_lines(zipped, "settings/api_keys.jsonl")[0])
    assert {"secret", "previous_secret"}.isdisjoint(_lines(zipped, "settings/webhook_endpoints.jsonl")[0])
    assert "password" not in _lines(zipped, TEAM_FILE)[0]


def test_every_tenant_model_is_exported_or_left_out_with_a_reason():
    tenant_models = {m._meta.label for app in settings.TENANT_APPS if app not in settings.SHARED_APPS
                     for m in apps.get_app_config(app.rsplit(".", 1)[-1]).get_models()}
    exported = {t.model for t in TABLES}

    assert tenant_models == exported | set(NOT_EXPORTED)
    assert not exported & set(NOT_EXPORTED)


def test_no_exported_column_is_named_like_a_secret():
    secret = re.compile(r"secret|token|password|passphrase|api_key|credential|private|_hash$", re.IGNORECASE)
    # A timestamp named after a secret (previous_secret_expires_at) says when, never what.
    assert [(t.file, c) for t in TABLES for c in t.columns() if secret.search(c) and not c.endswith("_at")] == []


def test_alphas_export_holds_none_of_betas_rows_and_beta_cannot_reach_it(alpha, beta, owner,
                                                                          django_capture_on_commit_callbacks):
    _business_with_data(alpha)
    _business_with_data(beta, wa_id="447700900123", name="Bob of Beta", ids=("120000000000002", "220000000000002"))
    export = _request_and_run(alpha, owner, django_capture_on_commit_callbacks)

    everything = _everything(_download(owner, export))
    assert b"Bob of Beta" not in everything and b"447700900123" not in everything

    beta_owner = beta.client(beta.owner)
    for path in (f"{URL}{export['id']}/", export["download_url"]):
        response = beta_owner.get(path)
        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found"
    assert [e["id"] for e in beta_owner.get(URL).json()] == []


@pytest.mark.parametrize("role", [Role.ADMIN, Role.AGENT])
def test_admins_and_agents_can_neither_export_nor_download(alpha, owner, role, django_capture_on_commit_callbacks):
    export = _request_and_run(alpha, owner, django_capture_on_commit_callbacks)
    other = alpha.client(alpha.add_member(f"{role}@alpha.example", role))

    for response in (other.get(URL), other.post(URL), other.get(f"{URL}{export['id']}/"),
                     other.get(export["download_url"])):
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"
    with schema_context(alpha.tenant.schema_name):
        assert BusinessExport.objects.count() == 1


def test_a_second_export_while_one_is_prepared_is_refused(alpha, owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        assert owner.post(URL).status_code == 202
        response = owner.post(URL)

    assert response.status_code == 409 and response.json()["code"] == "export_in_progress"


def test_while_running_the_status_shows_the_rows_written_so_far(alpha, owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        export_id = owner.post(URL).json()["id"]
    with schema_context(alpha.tenant.schema_name):
        BusinessExport.objects.filter(pk=export_id).update(status="running", started_at=timezone.now())
        cache.set(progress_key(export_id), {"contacts/contacts.jsonl": 1200})

    shown = owner.get(f"{URL}{export_id}/").json()

    assert (shown["status"], shown["counts"], shown["download_url"]) == (
        "running", {"contacts/contacts.jsonl": 1200}, None)
    assert owner.get(f"/api/business/exports/{export_id}/download/").json()["code"] == "export_not_ready"


def test_rows_are_read_page_by_page_each_exactly_once(alpha, owner, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(archive, "BATCH", 2)
    with schema_context(alpha.tenant.schema_name):
        for n in range(5):
            Contact.objects.create(phone=f"+1650555020{n}", name=f"Paged {n}")

    zipped = _download(owner, _request_and_run(alpha, owner, django_capture_on_commit_callbacks))

    assert [c["name"] for c in _lines(zipped, "contacts/contacts.jsonl")] == [f"Paged {n}" for n in range(5)]


def test_a_failed_export_says_so_and_leaves_no_file(alpha, owner, monkeypatch, django_capture_on_commit_callbacks):
    def broken(**kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(services, "archive_write", broken)
    export = _request_and_run(alpha, owner, django_capture_on_commit_callbacks)

    assert (export["status"], export["failure"], export["download_url"]) == (
        "failed", "No space left on device", None)
    assert not default_storage.exists(f"{alpha.tenant.schema_name}/exports/{export['id']}.zip")


def test_expired_exports_lose_their_file_and_their_link(alpha, owner, django_capture_on_commit_callbacks):
    export = _request_and_run(alpha, owner, django_capture_on_commit_callbacks)
    file = f"{alpha.tenant.schema_name}/exports/{export['id']}.zip"
    assert default_storage.exists(file)
    with schema_context(alpha.tenant.schema_name):
        BusinessExport.objects.filter(pk=export["id"]).update(expires_at=timezone.now() - timedelta(seconds=1))
        assert owner.get(export["download_url"]).status_code == 410

        assert exports_expire()["expired"] == 1

    assert not default_storage.exists(file)
    shown = owner.get(f"{URL}{export['id']}/").json()
    assert (shown["status"], shown["download_url"]) == ("expired", None)
    response = owner.get(export["download_url"])
    assert (response.status_code, response.json()["code"]) == (410, "export_expired")


def test_the_sweep_fails_runs_whose_worker_died_and_enqueues_lost_ones_again(alpha, owner,
                                                                             django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        lost = owner.post(URL).json()["id"]
    with schema_context(alpha.tenant.schema_name):
        long_ago = timezone.now() - timedelta(hours=3)
        BusinessExport.objects.filter(pk=lost).update(created_at=long_ago)
        died = BusinessExport.objects.create(status="running", started_at=long_ago)
        with django_capture_on_commit_callbacks(execute=False) as enqueued:
            result = exports_expire()
        died.refresh_from_db()

    assert result == {"expired": 0, "died": 1, "requeued": 1} and len(enqueued) == 1
    assert died.status == "failed"


def test_outside_a_transaction_every_table_is_read_in_one_read_only_snapshot(committed_business, django_db_blocker,
                                                                             tmp_path):
    isolation = []

    def spy(counts):
        with connection.cursor() as cursor:
            cursor.execute("SHOW transaction_isolation")
            isolation.append(cursor.fetchone()[0])

    with django_db_blocker.unblock(), schema_context(committed_business.tenant.schema_name):
        Contact.objects.create(phone="+16505550300", name="Committed")
        with open(tmp_path / "export.zip", "wb") as out:
            archive.archive_write(tenant=committed_business.tenant, out=out, progress=spy)

    assert set(isolation[:len(TABLES)]) == {"repeatable read"}  # the last call comes after, copying media
    zipped = zipfile.ZipFile(tmp_path / "export.zip")
    assert [c["name"] for c in _lines(zipped, "contacts/contacts.jsonl")] == ["Committed"]
