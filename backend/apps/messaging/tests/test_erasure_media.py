"""Erasing or deleting a contact removes their media: the MessageMedia rows in the transaction, the files on
disk only once it has committed. Other contacts' and other businesses' files stay."""
import os

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django_tenants.utils import schema_context

from apps.contacts.models import Contact
from apps.messaging import media as media_module
from apps.messaging.media import media_downloads_enqueue, media_path, message_media_download
from apps.messaging.models import Message, MessageMedia
from apps.messaging.tests.inbox_helpers import connect_number, customer_writes

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def numbers(alpha, beta):
    return connect_number(alpha), connect_number(beta, "120000000000002", "220000000000002")


def _photo(business, number, wa_id: str) -> tuple[Message, str]:
    """A customer's photo, downloaded: the row and the file on disk (as media.message_media_download leaves them)."""
    message = customer_writes(business, number, wa_id=wa_id, message={
        "type": "image", "image": {"id": f"77{wa_id}", "mime_type": "image/png"}})
    with schema_context(business.tenant.schema_name):
        name = default_storage.save(media_path(message.pk, ".png"), ContentFile(PNG))
        MessageMedia.objects.create(message=message, media_id=f"77{wa_id}", mime_type="image/png",
                                    status="downloaded", file=name, size=len(PNG))
    return message, os.path.join(settings.MEDIA_ROOT, name)


def _contact(business, wa_id: str) -> Contact:
    with schema_context(business.tenant.schema_name):
        return Contact.objects.get(phone=f"+{wa_id}")


@pytest.mark.parametrize("how", ["erase", "delete", "bulk_delete"])
def test_erasing_or_deleting_a_contact_removes_their_media_files_after_commit_and_nobody_elses(
        alpha, beta, numbers, how, django_capture_on_commit_callbacks):
    alice_photo, alice_file = _photo(alpha, numbers[0], "16505550101")
    bob_photo, bob_file = _photo(alpha, numbers[0], "16505550102")
    beta_photo, beta_file = _photo(beta, numbers[1], "16505550101")  # the same person, another business
    alice = _contact(alpha, "16505550101")
    owner = alpha.client(alpha.owner)
    assert owner.get(f"/api/messages/{alice_photo.pk}/media/").status_code == 200

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        if how == "erase":
            response = owner.post(f"/api/contacts/{alice.pk}/erase/")
        elif how == "delete":
            response = owner.delete(f"/api/contacts/{alice.pk}/")
        else:
            response = owner.post("/api/contacts/bulk/", {"action": "delete", "ids": [alice.pk]}, format="json")
        assert response.status_code in (200, 204), response.content
    assert os.path.exists(alice_file)  # not before the commit: a rollback must not lose the file
    for callback in callbacks:
        callback()

    assert not os.path.exists(alice_file)
    assert owner.get(f"/api/messages/{alice_photo.pk}/media/").status_code == 404
    with schema_context(alpha.tenant.schema_name):
        assert not MessageMedia.objects.filter(message_id=alice_photo.pk).exists()
        assert MessageMedia.objects.filter(message_id=bob_photo.pk, status="downloaded").exists()
    assert os.path.exists(bob_file) and os.path.exists(beta_file)
    assert owner.get(f"/api/messages/{bob_photo.pk}/media/").status_code == 200
    assert beta.client(beta.owner).get(f"/api/messages/{beta_photo.pk}/media/").status_code == 200


def test_a_rolled_back_erasure_keeps_the_files(alpha, numbers, django_capture_on_commit_callbacks):
    from django.db import transaction

    from apps.contacts.services import contact_erase

    photo, path = _photo(alpha, numbers[0], "16505550101")
    contact = _contact(alpha, "16505550101")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with schema_context(alpha.tenant.schema_name), pytest.raises(RuntimeError):
            with transaction.atomic():
                contact_erase(contact=contact)
                raise RuntimeError("something later in the request failed")
    assert callbacks == [] and os.path.exists(path)
    with schema_context(alpha.tenant.schema_name):
        assert MessageMedia.objects.filter(message_id=photo.pk).exists()


def test_a_download_that_finishes_after_the_erasure_leaves_no_file_behind(alpha, numbers, monkeypatch):
    """The worker fetched the bytes while the contact was erased: the row is gone, so is the file it wrote."""
    message = customer_writes(alpha, numbers[0], message={"type": "image", "image": {"id": "7701",
                                                                                     "mime_type": "image/png"}})
    with schema_context(alpha.tenant.schema_name):
        media_downloads_enqueue([message])  # as the webhook handler does: a pending row

    def fetch_while_erased(token, media_id, phone_number_id):
        MessageMedia.objects.filter(message_id=message.pk).delete()  # the erasure commits meanwhile
        return PNG, "image/png"

    monkeypatch.setattr(media_module, "_fetch", fetch_while_erased)
    with schema_context(alpha.tenant.schema_name):
        assert message_media_download(message.pk) is None
        assert not default_storage.exists(media_path(message.pk, ".png"))
