"""Inbound media, kept: Meta serves a customer's file for 7 days only, so every inbound image, audio, video,
document and sticker is downloaded in the background (a task per message, enqueued on commit) into the
project's storage under `<schema>/media/<message id>.<ext>` and recorded as a MessageMedia row.

The task is idempotent (a downloaded row is left alone) and retries Graph errors Meta calls retryable,
with exponential backoff (Meta's Retry-After included) capped at BACKOFF_MAX_SECONDS, below the broker's
visibility timeout, up to MAX_ATTEMPTS; then the row is `failed` with the reason.

A broker outage never loses a download: the enqueue is a robust on_commit hook that logs and leaves the row
`pending`, and media_downloads_sweep (beat, with messages_reconcile) enqueues pending rows that idled too long.
"""
import hashlib
import logging
import mimetypes
import re
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from apps.messaging.models import Message, MessageMedia
from apps.messaging.outbox import enqueue_on_commit
from apps.messaging.tasks import message_media_download_task
from apps.whatsapp.client import GraphClient
from apps.whatsapp.errors import BuilderError, GraphError

logger = logging.getLogger(__name__)

MEDIA_TYPES = ("image", "audio", "video", "document", "sticker")
MAX_ATTEMPTS = 6
BACKOFF_BASE_SECONDS = 10.0
BACKOFF_MAX_SECONDS = 3600.0
_EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "video/mp4": ".mp4",
               "video/3gpp": ".3gp", "audio/ogg": ".ogg", "audio/mpeg": ".mp3", "audio/aac": ".aac",
               "audio/amr": ".amr", "audio/mp4": ".m4a", "application/pdf": ".pdf", "text/plain": ".txt"}


def _media_object(message: Message) -> dict | None:
    obj = message.payload.get(message.type) if isinstance(message.payload, dict) else None
    return obj if isinstance(obj, dict) and obj.get("id") else None


def media_downloads_enqueue(messages: list[Message]) -> None:
    """For each inbound media message: a pending MessageMedia row and, after commit, its download task.
    A redelivered webhook finds the row; only a row still pending is enqueued again (the task is idempotent)."""
    for message in messages:
        if message.direction != Message.Direction.INBOUND or message.type not in MEDIA_TYPES:
            continue
        obj = _media_object(message)
        if obj is None:
            continue
        media, _ = MessageMedia.objects.get_or_create(message=message, defaults={
            "media_id": str(obj["id"])[:128], "mime_type": str(obj.get("mime_type") or "")[:128],
            "filename": str(obj.get("filename") or "")[:255]})
        if media.status == MessageMedia.Status.PENDING:
            schema = connection.schema_name  # named now: the commit may run after the schema was switched back
            enqueue_on_commit(message_media_download_task, message.pk, headers={"_schema_name": schema})


def media_downloads_sweep() -> int:
    """Enqueue again the downloads whose task was lost (beat, in each business's schema, with
    messages_reconcile). Returns how many.

    A pending row untouched for MESSAGE_QUEUED_SWEEP_AFTER_SECONDS was never taken by a task if it has no
    attempt yet (the broker was down after commit); with attempts, its retry may be waiting out a back-off,
    so only after BACKOFF_MAX_SECONDS more is it taken as lost. The sweep touches the rows it enqueues, so a
    task that is merely slow to start is not enqueued again at every beat; the task is idempotent anyway.
    """
    now = timezone.now()
    idle = now - timedelta(seconds=settings.MESSAGE_QUEUED_SWEEP_AFTER_SECONDS)
    lost = (MessageMedia.objects.filter(status=MessageMedia.Status.PENDING)
            .filter(Q(attempts=0, updated_at__lt=idle)
                    | Q(updated_at__lt=idle - timedelta(seconds=BACKOFF_MAX_SECONDS))))
    ids = list(lost.values_list("message_id", flat=True)[:500])
    if ids:
        MessageMedia.objects.filter(message_id__in=ids).update(updated_at=now)
        headers = {"_schema_name": connection.schema_name}  # named now, as in media_downloads_enqueue
        for pk in ids:
            enqueue_on_commit(message_media_download_task, pk, headers=headers)
    return len(ids)


def message_media_download(message_id) -> float | None:
    """Download one message's media. Returns the seconds to wait before trying again, or None when done
    (downloaded, failed for good, or nothing to do)."""
    media = MessageMedia.objects.select_related("message__phone_number__account").filter(
        message_id=message_id).first()
    if media is None or media.status != MessageMedia.Status.PENDING:
        return None
    attempt = media.attempts + 1
    # update() skips auto_now: the sweep reads updated_at as "last sign of a task", so set it by hand.
    MessageMedia.objects.filter(pk=media.pk).update(attempts=attempt, updated_at=timezone.now())
    number = media.message.phone_number
    try:
        data, mime = _fetch(number.account.access_token, media.media_id, number.phone_number_id)
        name = _store(media, data, mime or media.mime_type)
    except (GraphError, OSError) as exc:
        retryable = isinstance(exc, OSError) or exc.retryable
        if retryable and attempt < MAX_ATTEMPTS:
            delay = BACKOFF_BASE_SECONDS * 2 ** (attempt - 1)
            if isinstance(exc, GraphError):
                delay = max(delay, exc.retry_after or 0, exc.backoff_hint or 0)
            # Capped, Retry-After too: a countdown past the broker's visibility timeout is delivered twice.
            delay = min(delay, BACKOFF_MAX_SECONDS)
            MessageMedia.objects.filter(pk=media.pk).update(error=str(exc)[:2000], updated_at=timezone.now())
            logger.warning("media of message %s: attempt %s failed (%s); retrying in %.0f s", message_id, attempt,
                           type(exc).__name__, delay)
            return delay
        return _fail(media, str(exc))
    except BuilderError as exc:  # e.g. a media URL on a host we never send the token to
        return _fail(media, str(exc))
    saved = MessageMedia.objects.filter(pk=media.pk, status=MessageMedia.Status.PENDING).update(
        status=MessageMedia.Status.DOWNLOADED, file=name, sha256=hashlib.sha256(data).hexdigest(), size=len(data),
        mime_type=(mime or media.mime_type)[:128], error="", downloaded_at=timezone.now())
    if not saved and not MessageMedia.objects.filter(pk=media.pk).exists():
        # The contact was erased or deleted while we downloaded: the file must not outlive its row.
        default_storage.delete(name)
    return None


def _fail(media: MessageMedia, reason: str) -> None:
    logger.warning("media of message %s failed for good: %s", media.message_id, reason)
    MessageMedia.objects.filter(pk=media.pk, status=MessageMedia.Status.PENDING).update(
        status=MessageMedia.Status.FAILED, error=reason[:2000])
    return None


def _fetch(token: str, media_id: str, phone_number_id: str) -> tuple[bytes, str]:
    """GET /{media-id} for a fresh URL (they live 5 minutes), then the bytes with the token. A 404 on the
    download means the URL expired in between: ask once more."""
    with GraphClient(token) as graph:
        info = graph.media_info(media_id, phone_number_id)
        try:
            data = graph.download_media(info.url)
        except GraphError as exc:
            if exc.http_status != 404:
                raise
            info = graph.media_info(media_id, phone_number_id)
            data = graph.download_media(info.url)
    return data, info.mime_type or ""


def _extension(mime: str, filename: str) -> str:
    suffix = re.search(r"\.([A-Za-z0-9]{1,8})$", filename or "")
    if suffix:
        return "." + suffix.group(1).lower()
    base = (mime or "").split(";")[0].strip().lower()
    return _EXTENSIONS.get(base) or mimetypes.guess_extension(base) or ".bin"


def media_path(message_id, extension: str) -> str:
    """Namespaced by the business's schema, so no path of one business can name another's file."""
    return f"{connection.schema_name}/media/{message_id}{extension}"


def _store(media: MessageMedia, data: bytes, mime: str) -> str:
    name = media_path(media.message_id, _extension(mime, media.filename))
    if default_storage.exists(name):  # an earlier attempt wrote it and then failed: replace, never suffix
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(data))


# --- Erasure ------------------------------------------------------------------------------------------

def media_erase(*, message_ids_sql: str, params) -> int:
    """Forget the media of the messages `message_ids_sql` selects (a contact erased or deleted): the rows go
    in the caller's transaction, the files once it commits, so a rollback never leaves rows without files.
    Set-based (a bulk delete may cover many contacts). Returns the number of rows deleted."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {MessageMedia._meta.db_table} WHERE message_id IN ({message_ids_sql}) "
                       f"RETURNING file", params)
        files = [name for (name,) in cursor.fetchall() if name]
        deleted = cursor.rowcount
    if files:
        schema = connection.schema_name  # named now: the commit may run after the schema was switched back
        transaction.on_commit(lambda: media_files_delete(files, schema=schema), robust=True)
    return deleted


def media_files_delete(names: list[str], *, schema: str) -> None:
    """Delete stored media files of `schema`; a file already gone is fine, an I/O error is logged (the row is
    gone either way, so the file can no longer be served)."""
    for name in names:
        if not name.startswith(f"{schema}/media/"):  # only ever this business's media folder
            logger.error("refusing to delete %r: not a media file of %s", name, schema)
            continue
        try:
            default_storage.delete(name)
        except OSError as exc:
            logger.error("could not delete erased media file %s: %s", name, exc)
