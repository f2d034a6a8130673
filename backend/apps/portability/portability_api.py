"""The business as a whole (docs/data-export-and-deletion.md), owners only (Capability.BUSINESS_DATA), never an API key:

- GET/POST /api/business/exports/: the latest exports; request one (202, prepared by a worker).
- GET /api/business/exports/{id}/: one export's status and row counts (so far, while it runs).
- GET /api/business/exports/{id}/download/: the zip, until it expires (audited).
- GET /api/business/deletion/: whether the business is scheduled for deletion (every member: the app's banner).
- POST /api/business/deletion/: schedule it (the business's slug and the owner's password); POST …/cancel/: cancel.
"""
from django.conf import settings
from django.http import FileResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.portability.models import BusinessExport
from apps.portability.selectors import access_export, export_counts, export_list
from apps.portability.services import deletion_cancel, deletion_request, export_download, export_request
from tenants.deletion_schedule import deletion_pending
from tenants.members import Capability
from tenants.permissions import CanManageBusinessData, IsTenantMember


@extend_schema_serializer(component_name="BusinessExport")
class ExportSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=BusinessExport.Status.choices)
    requested_by_email = serializers.EmailField(allow_blank=True)
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    expires_at = serializers.DateTimeField(allow_null=True, help_text="The file is deleted then; set once ready")
    size = serializers.IntegerField(help_text="Bytes of the zip (0 until ready)")
    counts = serializers.SerializerMethodField()
    failure = serializers.CharField(allow_blank=True)
    download_url = serializers.SerializerMethodField()

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "integer"}})
    def get_counts(self, export) -> dict[str, int]:
        """Rows per file of the archive and `media` files: written so far while running, final once ready."""
        return export_counts(export)

    def get_download_url(self, export) -> str | None:
        ready = export.status == BusinessExport.Status.READY and export.expires_at > timezone.now()
        return f"/api/business/exports/{export.pk}/download/" if ready else None


class ExportListApi(APIView):
    """The business's latest exports, newest first; POST requests a new one."""

    permission_classes = [CanManageBusinessData]

    @extend_schema(operation_id="business_exports_list", responses=ExportSerializer(many=True))
    def get(self, request):
        return Response(ExportSerializer(export_list(request.member), many=True).data)

    @extend_schema(operation_id="business_exports_create", request=None, responses={202: ExportSerializer})
    def post(self, request):
        export = export_request(actor=request.member)
        return Response(ExportSerializer(export).data, status=status.HTTP_202_ACCEPTED)


class ExportDetailApi(APIView):
    permission_classes = [CanManageBusinessData]

    @extend_schema(operation_id="business_exports_retrieve", responses=ExportSerializer)
    def get(self, request, export_id):
        return Response(ExportSerializer(access_export(request.member, export_id)).data)


class ExportDownloadApi(APIView):
    """The export's zip: a JSON Lines file per table, the team, media files and manifest.json."""

    permission_classes = [CanManageBusinessData]

    @extend_schema(operation_id="business_exports_download",
                   responses={(200, "application/zip"): OpenApiTypes.BINARY})
    def get(self, request, export_id):
        export = access_export(request.member, export_id)
        handle = export_download(actor=request.member, export=export)
        response = FileResponse(handle, as_attachment=True, content_type="application/zip",
                                filename=f"{request.tenant.slug}-export-{export.created_at:%Y%m%d-%H%M}.zip")
        response["Cache-Control"] = "private, no-store"
        return response


@extend_schema_serializer(component_name="BusinessDeletion")
class DeletionSerializer(serializers.Serializer):
    scheduled = serializers.BooleanField(help_text="True while a deletion waits out its grace period")
    due_at = serializers.DateTimeField(allow_null=True, help_text="When the business and all its data are deleted")
    requested_at = serializers.DateTimeField(allow_null=True)
    requested_by_email = serializers.EmailField(allow_null=True)
    grace_days = serializers.IntegerField(help_text="Days between a request and the deletion")
    can_manage = serializers.BooleanField(help_text="This member may schedule or cancel the deletion (owners)")


def _deletion(request) -> dict:
    pending = deletion_pending(tenant=request.tenant)
    return {"scheduled": pending is not None, "due_at": pending and pending.due_at,
            "requested_at": pending and pending.requested_at,
            "requested_by_email": pending and pending.requested_by_email,
            "grace_days": settings.DELETION_GRACE_DAYS,
            "can_manage": request.member.can(Capability.BUSINESS_DATA)}


class DeletionApi(APIView):
    """Whether the business is scheduled for deletion (any member reads it: every page shows the banner); the
    owner schedules it with POST, confirming with the business's slug and their own password."""

    permission_classes = [IsTenantMember]
    throttle_scope = "password_change"  # it checks the password: a stolen access cookie must not guess it

    @extend_schema_serializer(component_name="BusinessDeletionConfirm")
    class InputSerializer(serializers.Serializer):
        slug = serializers.CharField(max_length=63, help_text="The business's slug, typed to confirm")
        password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"},
                                         help_text="The owner's own password")

    def get_permissions(self):
        return [CanManageBusinessData()] if self.request.method == "POST" else super().get_permissions()

    def get_throttles(self):
        return super().get_throttles() if self.request.method == "POST" else []

    @extend_schema(operation_id="business_deletion_retrieve", responses=DeletionSerializer)
    def get(self, request):
        return Response(DeletionSerializer(_deletion(request)).data)

    @extend_schema(operation_id="business_deletion_create", request=InputSerializer,
                   responses={201: DeletionSerializer})
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        deletion_request(actor=request.member, **data.validated_data)
        return Response(DeletionSerializer(_deletion(request)).data, status=status.HTTP_201_CREATED)


class DeletionCancelApi(APIView):
    """Cancel the scheduled deletion (any owner, not only the one who asked)."""

    permission_classes = [CanManageBusinessData]

    @extend_schema(operation_id="business_deletion_cancel", request=None, responses=DeletionSerializer)
    def post(self, request):
        deletion_cancel(actor=request.member)
        return Response(DeletionSerializer(_deletion(request)).data)
