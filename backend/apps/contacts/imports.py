"""CSV imports: checking an upload, queueing it, and running it in the worker.

The run streams the stored file: a reader thread decodes and normalises rows into chunks
(apps.contacts.import_rows) while this thread writes the previous chunk with COPY and set-based
upserts (apps.contacts.import_sql), each chunk in its own transaction together with the job's
counters. So progress is live, memory is bounded by two chunks, and an interrupted import resumes
after its last committed chunk when the task is redelivered.
"""
import logging
import queue
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from apps.audit.context import acting_as, automation
from apps.audit.recorder import record
from apps.contacts import import_sql, signals, values
from apps.contacts.csv_files import (
    IGNORE,
    CsvProblem,
    count_lines,
    read_layout,
    resolve_mapping,
    suggest_target,
    text_stream,
)
from apps.contacts.import_rows import RowReader, read_chunks
from apps.contacts.models import Contact, ContactImport, ImportStatus, OnExisting
from apps.contacts.selectors import attribute_definition_list, contact_list, contact_settings_get
from apps.contacts.storage import import_file_delete, import_file_open, import_file_save
from apps.core.errors import ApplicationError, Conflict
from tenants.billing.limits import Limit, require_within
from tenants.members import Member

logger = logging.getLogger(__name__)

MAX_IMPORT_BYTES = 200 * 1024 * 1024
IMPORTER = automation("contact_import", "Contact import")  # who finishes an import, in the audit log
STALE_AFTER = timedelta(minutes=5)  # a running import without a heartbeat this long is resumed
MIN_CHUNK, MAX_CHUNK = 5_000, 20_000  # memory is bounded by ~3 chunks
_DONE = object()


def _problem(exc: CsvProblem) -> ApplicationError:
    return ApplicationError(str(exc), code=exc.code, errors={"file": [str(exc)]})


def _attribute_labels() -> dict[str, str]:
    return {d.key: d.label for d in attribute_definition_list()}


def import_inspect(*, sample, encoding: str | None = None) -> dict:
    """What the wizard shows before the upload: columns, a few rows, and the suggested mapping.
    `sample` may be just the start of the file (the browser can send its first megabyte)."""
    try:
        layout = read_layout(sample, encoding=encoding)
    except CsvProblem as exc:
        raise _problem(exc) from None
    attributes = _attribute_labels()
    return {
        "encoding": layout.encoding,
        "delimiter": layout.delimiter,
        "headers": layout.headers,
        "sample_rows": layout.sample_rows,
        "suggested_mapping": {h: suggest_target(h, attributes) for h in layout.headers if h},
    }


@transaction.atomic
def import_create(*, actor: Member | None = None, upload, mapping: dict | None, on_existing: str, tags: list[str],
                  encoding: str | None, actor_email: str = "") -> ContactImport:
    """Check the upload (encoding, header, mapping), store it, queue the job. Problems with the file
    as a whole are ApplicationErrors with a code (empty_file, no_header, unknown_columns, ...)."""
    from apps.contacts.tasks import contact_import_run

    size = getattr(upload, "size", 0) or 0
    limit = getattr(settings, "CONTACT_IMPORT_MAX_BYTES", MAX_IMPORT_BYTES)
    if size > limit:
        raise ApplicationError(f"The file is larger than {limit // (1024 * 1024)} MB; split it.",
                               code="file_too_large", errors={"file": ["Too large."]})
    try:
        upload.seek(0)
        layout = read_layout(upload, encoding=encoding)
        resolved = resolve_mapping(layout.headers, mapping, _attribute_labels())
    except CsvProblem as exc:
        raise _problem(exc) from None
    try:
        extra_tags = values.clean_tags(tags or [])
    except ValueError as exc:
        raise ApplicationError(str(exc), code="validation_error", errors={"tags": [str(exc)]}) from None
    if on_existing not in OnExisting.values:
        raise ApplicationError("on_existing is update or skip.", code="validation_error",
                               errors={"on_existing": ["Use update or skip."]})
    upload.seek(0)  # 402 plan_limit when every row could be a new contact (an upper bound: nothing half-imported)
    require_within(connection.tenant, Limit.CONTACTS, adding=count_lines(upload) - 1, used_now=contact_list().count())
    upload.seek(0)
    path = import_file_save(upload)
    job = ContactImport.objects.create(
        file_name=(getattr(upload, "name", "") or "contacts.csv")[:255], file_path=path, file_size=size,
        encoding=layout.encoding, delimiter=layout.delimiter, mapping=resolved, on_existing=on_existing,
        tags=extra_tags, created_by_email=actor_email or (actor.user.email if actor is not None else ""))
    record(actor, "contacts.imported", target=job,
           detail={"file_size": size, "on_existing": on_existing, "tags": extra_tags,
                   "fields": _fields_written(job)})
    transaction.on_commit(lambda: contact_import_run.delay(job.pk))
    return job


@transaction.atomic
def import_delete(*, actor: Member | None = None, contact_import: ContactImport) -> None:
    """Forget a finished import: its row, its error report (which may quote people's data), its file."""
    if contact_import.status in (ImportStatus.QUEUED, ImportStatus.RUNNING):
        raise Conflict("The import is still running; delete it when it has finished.", code="import_running")
    record(actor, "contacts.import_deleted", target=contact_import)
    path = contact_import.file_path
    contact_import.delete()
    transaction.on_commit(lambda: import_file_delete(path), robust=True)


def _claim(import_id: int) -> bool:
    """Take the job: queued, or running but abandoned (the worker died and the task was redelivered)."""
    now = timezone.now()
    return ContactImport.objects.filter(pk=import_id).filter(
        Q(status=ImportStatus.QUEUED) | Q(status=ImportStatus.RUNNING, heartbeat_at__lt=now - STALE_AFTER)
    ).update(status=ImportStatus.RUNNING, heartbeat_at=now) == 1


def _chunk_size(estimated_rows: int) -> int:
    return max(MIN_CHUNK, min(MAX_CHUNK, estimated_rows // 10))  # ~10-20 progress steps


def import_run(*, import_id: int, phases: dict | None = None) -> None:
    """Run the job. `phases` (optional) receives seconds per phase, as the job's log line reports them."""
    if not _claim(import_id):
        return
    job = ContactImport.objects.get(pk=import_id)
    if job.started_at is None:
        ContactImport.objects.filter(pk=job.pk).update(started_at=timezone.now())
    phases = {} if phases is None else phases
    started = time.perf_counter()
    try:
        _run(job, phases)
    except Exception as exc:  # noqa: BLE001 - any failure ends the job with a message, rows so far stay
        logger.exception("contact import %s failed", job.pk)
        if isinstance(exc, CsvProblem):
            message = str(exc)
        elif isinstance(exc, FileNotFoundError):  # web and worker must share MEDIA_ROOT (apps.contacts.storage)
            message = "The uploaded file could not be read by the import worker. Upload it again."
        else:
            message = ("The import stopped unexpectedly. Rows before the stop were saved; "
                       "import the file again to finish.")
        with transaction.atomic():
            ContactImport.objects.filter(pk=job.pk).update(status=ImportStatus.FAILED, failure=message[:500],
                                                           finished_at=timezone.now())
            _record_finished(job.pk)
        import_file_delete(job.file_path)
        return
    now = timezone.now()
    with transaction.atomic():
        ContactImport.objects.filter(pk=job.pk).update(status=ImportStatus.DONE, total_rows=F("processed_rows"),
                                                       finished_at=now, heartbeat_at=now)
        _record_finished(job.pk)
    import_file_delete(job.file_path)
    phases["total"] = time.perf_counter() - started
    logger.info("contact import %s done: %s", job.pk, ", ".join(f"{k} {v:.2f}s" for k, v in sorted(phases.items())))


def _record_finished(import_id: int) -> None:
    """The audit log's `contacts.import_finished`, by the import (an automation), with its counts (no row data)."""
    job = ContactImport.objects.get(pk=import_id)
    with acting_as(IMPORTER):
        record(None, "contacts.import_finished", target=job, detail={
            "status": job.status, "rows": job.processed_rows, "created": job.created, "updated": job.updated,
            "skipped": job.skipped, "duplicates": job.duplicates, "errors": job.errors})


def _run(job: ContactImport, phases: dict) -> None:
    """Phases: reader_cpu (the reader thread's own CPU time: CSV, validation, formatting), wait_reader
    (this thread idle, waiting for a chunk), db_* (each SQL step, wall time), db_counters (the job row
    and the commit). Reader and database overlap, so the phases add up to more than the total."""
    clock = time.perf_counter()
    with import_file_open(job.file_path) as binary:
        estimate = max(count_lines(binary) - 1, 0)
    if job.total_rows is None:
        ContactImport.objects.filter(pk=job.pk).update(total_rows=estimate)
    reader = RowReader(headers=_headers(job), mapping=job.mapping, definitions=list(attribute_definition_list()),
                       default_region=contact_settings_get().default_region, extra_tags=job.tags)
    with_suppressions = import_sql.suppressions_exist()
    phases["setup"] = time.perf_counter() - clock
    chunks = _chunks_in_background(job, reader, _chunk_size(estimate), phases)
    try:
        _write_chunks(job, chunks, with_suppressions, phases)
    finally:
        chunks.close()  # stops the reader thread


def _write_chunks(job: ContactImport, chunks, with_suppressions: bool, phases: dict) -> None:
    while True:
        clock = time.perf_counter()
        chunk = next(chunks, None)
        phases["wait_reader"] = phases.get("wait_reader", 0.0) + time.perf_counter() - clock
        if chunk is None:
            return
        with transaction.atomic():
            # Durability of the last chunk can wait: data and counters commit together, so a crash loses
            # both and the redelivered task redoes that chunk.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
            # Contacts one by one only when someone listens (outbound webhooks): else no per-row work at all.
            changed = {} if signals.contact_events_wanted(("created", "updated")) else None
            counts = import_sql.save_chunk(import_id=job.pk, mode=job.on_existing, chunk=chunk,
                                           with_suppressions=with_suppressions, phases=phases, changed=changed)
            if changed:
                created, updated = import_sql.changed_contacts(changed)
                signals.contacts_changed_in_bulk.send(sender=Contact, created_ids=created, updated_ids=updated,
                                                      fields=_fields_written(job))
            clock = time.perf_counter()
            ContactImport.objects.filter(pk=job.pk).update(
                heartbeat_at=timezone.now(), **{k: F(k) + v for k, v in counts.items()})
        phases["db_counters"] = phases.get("db_counters", 0.0) + time.perf_counter() - clock


def _fields_written(job: ContactImport) -> list[str]:
    """The contact fields an import may set (the `changed` of its contact.updated events)."""
    fields = set()
    for target in job.mapping.values():
        if target == IGNORE:
            continue
        fields.add("name" if target in ("first_name", "last_name") else
                   target if target in values.BUILTIN_FIELDS else "attributes")
    if job.tags:
        fields.add("tags")
    return sorted(fields)


def _headers(job: ContactImport) -> list[str]:
    with import_file_open(job.file_path) as binary:
        return read_layout(binary, encoding=job.encoding, sample_rows=0).headers


def _chunks_in_background(job: ContactImport, reader: RowReader, chunk_rows: int, phases: dict):
    """Yield chunks parsed by a second thread, at most two ahead (bounded memory)."""
    chunks: queue.Queue = queue.Queue(maxsize=2)
    stop = threading.Event()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                chunks.put(item, timeout=0.5)
                return True
            except queue.Full:
                continue
        return False

    def produce():
        try:
            with import_file_open(job.file_path) as binary:
                text = text_stream(binary, job.encoding)
                for chunk in read_chunks(text, reader=reader, delimiter=job.delimiter, chunk_rows=chunk_rows,
                                         skip_rows=job.processed_rows):
                    phases["reader_cpu"] = time.thread_time()  # this thread's CPU time so far
                    if not put(chunk):
                        return
            phases["reader_cpu"] = time.thread_time()
            put(_DONE)
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, which re-raises it
            put(exc)

    thread = threading.Thread(target=produce, name=f"contact-import-{job.pk}", daemon=True)
    thread.start()
    try:
        while True:
            item = chunks.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join(timeout=10)
