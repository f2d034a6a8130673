"""GET /api/messages/{id}/media/: the stored file of an inbound media message, to members of this business."""
from django.core.files.storage import default_storage
from django.db import connection
from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.views import APIView

from apps.core.errors import Conflict
from apps.messaging.models import MessageMedia
from apps.messaging.selectors import access_media

# Shown in the page (img/audio/video); anything else is a download, so a customer's HTML or SVG file can
# never run as a page of the business's host.
INLINE_TYPES = {"image/jpeg", "image/png", "image/webp", "video/mp4", "video/3gpp", "audio/ogg", "audio/mpeg",
                "audio/aac", "audio/amr", "audio/mp4"}


class _AnyAccept(BaseContentNegotiation):
    """An <img> asks for image/*; the JSON renderer still answers errors (the file bypasses renderers)."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class MessageMediaApi(APIView):
    content_negotiation_class = _AnyAccept

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
                   operation_id="messages_media_retrieve")
    def get(self, request, message_id):
        media = access_media(request.member, message_id)
        if media.status != MessageMedia.Status.DOWNLOADED:
            raise Conflict(f"The file is not here ({media.get_status_display().lower()}).",
                           code=f"media_{media.status}")
        if not media.file.startswith(f"{connection.schema_name}/"):  # belt and braces: only this schema's folder
            raise Http404
        try:
            handle = default_storage.open(media.file, "rb")
        except FileNotFoundError:
            raise Http404 from None
        mime = media.mime_type.split(";")[0].strip().lower() or "application/octet-stream"
        inline = mime in INLINE_TYPES
        name = media.filename or media.file.rsplit("/", 1)[-1]
        response = FileResponse(handle, as_attachment=not inline, filename=name,
                                content_type=media.mime_type if inline else "application/octet-stream")
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, max-age=3600"
        return response
