"""CSV imports (owners and admins): inspect a file, start an import, follow it, download its errors."""
from django.db import connection
from django.http import StreamingHttpResponse
from django_tenants.utils import tenant_context
from drf_spectacular.utils import extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.contacts.csv_files import IGNORE, SUPPORTED_ENCODINGS
from apps.contacts.exports import import_errors_csv
from apps.contacts.imports import import_create, import_delete, import_inspect
from apps.contacts.models import OnExisting
from apps.contacts.selectors import access_import, attribute_definition_list, import_list
from apps.contacts.serializers import ContactImportSerializer
from apps.contacts.values import BUILTIN_FIELDS
from apps.core.csv_export import CSV_RESPONSE, CsvRenderer
from apps.core.input_guards import MultiPartParser
from apps.core.pagination import CursorPagination
from tenants.permissions import CanManageContacts

FIELD_LABELS = {"phone": "Phone", "wa_user_id": "WhatsApp user id", "name": "Name", "first_name": "First name",
                "last_name": "Last name", "email": "Email", "language": "Language", "tags": "Tags"}


@extend_schema_serializer(component_name="ImportTarget")
class TargetSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="What to put in the mapping.")
    label = serializers.CharField()
    kind = serializers.ChoiceField(choices=["field", "attribute", "ignore"])


def _targets() -> list[dict]:
    targets = [{"value": f, "label": FIELD_LABELS[f], "kind": "field"} for f in BUILTIN_FIELDS]
    targets += [{"value": d.key, "label": d.label, "kind": "attribute"} for d in attribute_definition_list()]
    return targets + [{"value": IGNORE, "label": "Don't import", "kind": "ignore"}]


class ImportPagination(CursorPagination):
    ordering = "-id"


@extend_schema_view(get=extend_schema(operation_id="contacts_imports_list"))
class ImportListApi(ListAPIView):
    """Imports, newest first. POST (multipart) starts one and answers 202 with the queued job."""

    permission_classes = [CanManageContacts]
    serializer_class = ContactImportSerializer
    pagination_class = ImportPagination

    @extend_schema_serializer(component_name="ContactImportCreate")
    class InputSerializer(serializers.Serializer):
        file = serializers.FileField(allow_empty_file=True,  # an empty file gets our own, clearer, error
                                     help_text="CSV with a header row; UTF-8 unless `encoding` says otherwise.")
        mapping = serializers.JSONField(required=False, binary=True,
                                        help_text="JSON object: CSV column -> field, attribute key or \"ignore\". "
                                                  "Columns left out map by their names.")
        on_existing = serializers.ChoiceField(choices=OnExisting.choices, default=OnExisting.UPDATE)
        tags = serializers.ListField(child=serializers.CharField(max_length=200), required=False, default=list,
                                     help_text="Tags added to every imported contact (repeat the field, or "
                                               "separate with commas).")
        encoding = serializers.ChoiceField(choices=list(SUPPORTED_ENCODINGS), required=False)

    parser_classes = [MultiPartParser]

    def get_queryset(self):
        return import_list()

    @extend_schema(operation_id="contacts_imports_create", request={"multipart/form-data": InputSerializer},
                   responses={202: ContactImportSerializer})
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        params = data.validated_data
        tags = [t for raw in params["tags"] for t in raw.split(",") if t.strip()]
        job = import_create(actor=request.member, upload=params["file"], mapping=params.get("mapping"),
                            on_existing=params["on_existing"], tags=tags, encoding=params.get("encoding"),
                            actor_email=request.user.email)
        return Response(ContactImportSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class ImportInspectApi(APIView):
    """Read the start of a CSV (the browser may send just its first megabyte): its encoding, delimiter,
    columns, first rows and the mapping each column would get, plus every possible target."""

    permission_classes = [CanManageContacts]
    parser_classes = [MultiPartParser]

    @extend_schema_serializer(component_name="ContactImportInspect")
    class InputSerializer(serializers.Serializer):
        file = serializers.FileField(allow_empty_file=True)
        encoding = serializers.ChoiceField(choices=list(SUPPORTED_ENCODINGS), required=False)

    @extend_schema_serializer(component_name="ContactImportLayout")
    class OutputSerializer(serializers.Serializer):
        encoding = serializers.CharField()
        delimiter = serializers.CharField()
        headers = serializers.ListField(child=serializers.CharField())
        sample_rows = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))
        suggested_mapping = serializers.DictField(child=serializers.CharField())
        targets = TargetSerializer(many=True)

    @extend_schema(operation_id="contacts_imports_inspect", request={"multipart/form-data": InputSerializer},
                   responses=OutputSerializer)
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        layout = import_inspect(sample=data.validated_data["file"], encoding=data.validated_data.get("encoding"))
        return Response(self.OutputSerializer({**layout, "targets": _targets()}).data)


class ImportDetailApi(APIView):
    """An import's status and counters; poll it for the progress bar (`processed_rows` / `total_rows`).
    DELETE removes a finished import and its error report (the contacts it wrote stay)."""

    permission_classes = [CanManageContacts]

    @extend_schema(operation_id="contacts_imports_retrieve", responses=ContactImportSerializer)
    def get(self, request, import_id: int):
        return Response(ContactImportSerializer(access_import(import_id)).data)

    @extend_schema(operation_id="contacts_imports_destroy", responses={204: None})
    def delete(self, request, import_id: int):
        import_delete(actor=request.member, contact_import=access_import(import_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ImportErrorsCsvApi(APIView):
    """The rows an import rejected: row (as in a spreadsheet, header = 1), column, value, reason."""

    permission_classes = [CanManageContacts]
    renderer_classes = [JSONRenderer, CsvRenderer]

    @extend_schema(operation_id="contacts_imports_errors_csv", responses=CSV_RESPONSE)
    def get(self, request, import_id: int):
        job = access_import(import_id)
        tenant = connection.tenant

        def lines():
            with tenant_context(tenant):
                yield from import_errors_csv(job)

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.csv"'
        return response
