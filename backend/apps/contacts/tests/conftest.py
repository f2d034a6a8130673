"""Helpers for the contacts tests: clients by role, contacts made through the services, imports run in
process (the real Celery path has its own test, test_import_worker.py)."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from tenants.models import Role


@pytest.fixture(autouse=True)
def _import_files_in_tmp(settings, tmp_path):
    settings.CONTACT_IMPORT_ROOT = str(tmp_path / "imports")


@pytest.fixture
def owner(alpha):
    return alpha.client(alpha.owner)


@pytest.fixture
def agent(alpha):
    return alpha.client(alpha.add_member("agent@alpha.example", Role.AGENT))


def in_schema(business):
    return schema_context(business.tenant.schema_name)


def make_contact(business, **data):
    from apps.contacts import services

    with in_schema(business):
        return services.contact_create(data=data)


def set_region(business, region: str):
    from apps.contacts import services

    with in_schema(business):
        services.contact_settings_update(default_region=region)


def define(business, key, type_="text", choices=(), label=None):
    from apps.contacts import services

    with in_schema(business):
        return services.attribute_definition_create(key=key, label=label or key.title(), type=type_,
                                                    choices=list(choices))


def csv_file(text: str | bytes, name="contacts.csv", encoding="utf-8") -> SimpleUploadedFile:
    content = text if isinstance(text, bytes) else text.encode(encoding)
    return SimpleUploadedFile(name, content, content_type="text/csv")


def start_import(client, content, **fields):
    import json

    data = {"file": csv_file(content)}
    for key, value in fields.items():
        data[key] = json.dumps(value) if key == "mapping" else value
    return client.post("/api/contacts/imports/", data, format="multipart")


def run_import(business, import_id: int):
    """What the Celery task does, in the business's schema."""
    from apps.contacts.imports import import_run
    from apps.contacts.models import ContactImport

    with in_schema(business):
        import_run(import_id=import_id)
        return ContactImport.objects.get(pk=import_id)


def import_now(client, business, content, **fields):
    response = start_import(client, content, **fields)
    assert response.status_code == 202, response.content
    return run_import(business, response.json()["id"])
