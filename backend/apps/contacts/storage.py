"""Where uploaded import files wait for the worker: MEDIA_ROOT/contact-imports/<schema>/<random>.csv.

The web process writes and the Celery worker reads, so in production MEDIA_ROOT must be a volume both
see (docker-compose mounts backend-data at /app/.data for both). Files are deleted when their import
finishes; the error report lives in the database.
"""
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import connection


def import_storage() -> FileSystemStorage:
    root = getattr(settings, "CONTACT_IMPORT_ROOT", "") or \
        Path(getattr(settings, "MEDIA_ROOT", "") or settings.REPO_DIR / ".data" / "media") / "contact-imports"
    return FileSystemStorage(location=str(root))


def import_file_save(upload) -> str:
    """Store the upload (Django streams it in chunks) under this tenant's folder; returns its name."""
    name = f"{connection.schema_name}/{uuid.uuid4().hex}.csv"
    return import_storage().save(name, upload)


def import_file_open(name: str):
    return import_storage().open(name, "rb")


def import_file_delete(name: str) -> None:
    if name:
        import_storage().delete(name)
