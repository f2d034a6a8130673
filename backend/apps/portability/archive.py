"""The business as one zip: a JSON Lines file per table (catalogue.TABLES), the team, the media files and a manifest.

Memory stays flat whatever the business's size: rows are read in keyset pages (`pk > last`, BATCH at a time, which
holds with or without server-side cursors, behind PgBouncer too) and written one line at a time into the zip's
deflate stream; media files are copied in chunks. The caller gives a file to write to (a temporary file on disk).

The tables are read in one REPEATABLE READ, READ ONLY transaction, so every file shows the same moment: a message
never names a contact that is missing from contacts.jsonl. Media files are copied afterwards, for the media rows of
that moment (a file erased meanwhile is counted as missing).
"""
import json
import shutil
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import BinaryIO

from django.apps import apps
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from apps.portability.catalogue import NOT_EXPORTED, TABLES, TEAM_COLUMNS, TEAM_FILE
from tenants.models import Membership, Tenant

FORMAT_VERSION = 1
BATCH = 2000
MEDIA_MODEL = "messaging.MessageMedia"
CHUNK = 1024 * 1024


def archive_write(*, tenant: Tenant, out: BinaryIO, requested_by: str = "",
                  progress: Callable[[dict], None] = lambda counts: None) -> dict:
    """Write the business's archive into `out`; returns its manifest (also written as manifest.json)."""
    counts: dict[str, int] = {}
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        with _snapshot():
            for table in TABLES:
                counts[table.file] = _lines(archive, table.file, _rows(table.model_class(), table.columns()))
                progress(counts)
            counts[TEAM_FILE] = _lines(archive, TEAM_FILE, _team(tenant))
            migrations = _migrations()
            media_upto = apps.get_model(MEDIA_MODEL).objects.order_by("-pk").values_list("pk", flat=True).first()
        media = _media(archive, tenant, media_upto)
        progress({**counts, "media": media["files"]})
        manifest = _manifest(tenant, counts, media, migrations, requested_by)
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, cls=DjangoJSONEncoder))
    return manifest


@contextmanager
def _snapshot():
    """One consistent view of the business for every table. Inside a caller's transaction (the tests' own) that
    transaction's view is used: the isolation level can only be set by a transaction's first statement."""
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _rows(model, columns: list[str]) -> Iterator[dict]:
    return _keyset(model._base_manager.order_by("pk").values(*columns), model._meta.pk.attname)


def _keyset(rows, pk: str) -> Iterator[dict]:
    """`rows` (a values() queryset ordered by pk) BATCH at a time, each page after the last pk seen."""
    last = None
    while True:
        page = list((rows if last is None else rows.filter(pk__gt=last))[:BATCH])
        yield from page
        if len(page) < BATCH:
            return
        last = page[-1][pk]


def _team(tenant: Tenant) -> Iterator[dict]:
    """The business's members, from the public schema: who they are and their role, never a password hash."""
    members = (Membership.objects.filter(tenant=tenant).order_by("pk")
               .values_list("user_id", "user__email", "user__first_name", "user__last_name", "role", "created_at"))
    for row in members.iterator(chunk_size=BATCH):
        yield dict(zip(TEAM_COLUMNS, row, strict=True))


def _lines(archive: zipfile.ZipFile, name: str, records: Iterable[dict]) -> int:
    count = 0
    with archive.open(name, "w", force_zip64=True) as entry:
        for record in records:
            entry.write(json.dumps(record, cls=DjangoJSONEncoder, ensure_ascii=False).encode() + b"\n")
            count += 1
    return count


def _media(archive: zipfile.ZipFile, tenant: Tenant, upto: int | None) -> dict:
    """Copy the downloaded media files of rows up to `upto` (the snapshot's last) to media/, as `file` names them
    without the schema's folder (inbox/media.jsonl's `file` column maps a message to its file)."""
    files = missing = 0
    if upto is None:
        return {"files": 0, "missing": 0}
    model = apps.get_model(MEDIA_MODEL)
    prefix = f"{tenant.schema_name}/"
    rows = model._base_manager.filter(pk__lte=upto).exclude(file="").order_by("pk").values("pk", "file")
    for row in _keyset(rows, "pk"):
        if not row["file"].startswith(prefix):  # belt and braces, as the media API: only this schema's folder
            missing += 1
            continue
        name = "media/" + row["file"].removeprefix(prefix).removeprefix("media/")
        info = zipfile.ZipInfo(name, date_time=timezone.now().timetuple()[:6])
        info.compress_type = zipfile.ZIP_STORED  # images, audio and video are compressed already
        try:
            with default_storage.open(row["file"], "rb") as source, archive.open(info, "w", force_zip64=True) as dest:
                shutil.copyfileobj(source, dest, CHUNK)
        except FileNotFoundError:  # erased after the snapshot, or lost: the row says which file it was
            missing += 1
            continue
        files += 1
    return {"files": files, "missing": missing}


def _migrations() -> dict[str, str]:
    """The latest applied migration of each app in this schema: which shape the files have."""
    latest: dict[str, str] = {}
    for app_label, name in sorted(MigrationRecorder(connection).applied_migrations()):
        latest[app_label] = name
    return latest


def _manifest(tenant: Tenant, counts: dict, media: dict, migrations: dict, requested_by: str) -> dict:
    return {
        "format": "convonest-business-export",
        "format_version": FORMAT_VERSION,
        "created_at": timezone.now(),
        "requested_by": requested_by,
        "business": {"name": tenant.name, "slug": tenant.slug, "created_at": tenant.created_at,
                     "domains": sorted(tenant.domains.values_list("domain", flat=True))},
        "files": {table.file: {"model": table.model, "rows": counts[table.file], "columns": table.columns(),
                               "withheld": list(table.withheld)} for table in TABLES}
                 | {TEAM_FILE: {"model": "tenants.Membership", "rows": counts[TEAM_FILE], "columns": TEAM_COLUMNS,
                                "withheld": ["password"]}},
        "media": media,
        "migrations": migrations,
        "not_exported": NOT_EXPORTED,
    }
