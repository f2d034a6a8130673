"""Output shapes shared by the contacts API modules, and the query parameters every contact list takes."""
import json

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import serializers

from apps.contacts.models import (
    ConsentAction,
    ConsentCategory,
    ConsentSource,
    ConsentState,
    ImportStatus,
    OnExisting,
)
from apps.contacts.selectors import contact_query, contact_settings_get

FILTER_HELP = ("A filter document (JSON): {\"all\"|\"any\": [conditions or groups]}; see docs/contacts.md. "
               "Conditions: tags any/all/none; attribute eq/neq/gt/gte/lt/lte/contains/in/is_set/is_not_set; "
               "consent is/is_not; first_seen_at, last_seen_at, last_inbound_at, last_outbound_at, created_at "
               "before/after/within_days/not_within_days/never/ever; phone, wa_user_id, email, name "
               "is_set/is_not_set; language eq/neq/in/is_set/is_not_set.")

QUERY_PARAMETERS = [
    OpenApiParameter("q", str, description="Search: phone (prefix, national or +international), email prefix, "
                                           "or name words (each a prefix)."),
    OpenApiParameter("segment", {"type": "integer", "minimum": 1}, description="Only contacts in this saved segment."),
    OpenApiParameter("filter", str, description=FILTER_HELP + " URL-encoded."),
    OpenApiParameter("tag", str, many=True, description="Only contacts with any of these tags (repeatable)."),
]


def contacts_from_params(params):
    """The contact queryset a list/count/export request asks for (400 on a bad filter or segment)."""
    raw_filter = params.get("filter") or None
    document = None
    if raw_filter:
        try:
            document = json.loads(raw_filter)
        except json.JSONDecodeError:
            raise ValidationError({"filter": ["Not valid JSON."]}) from None
    return contact_query(q=params.get("q", ""), segment=params.get("segment"), filter_document=document,
                         tags=[t.strip().lower() for t in params.getlist("tag") if t.strip()],
                         default_region=contact_settings_get().default_region)


class ConsentSummarySerializer(serializers.Serializer):
    marketing = serializers.ChoiceField(choices=ConsentState.choices, source="marketing_consent")
    utility = serializers.ChoiceField(choices=ConsentState.choices, source="utility_consent")


class ContactSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    phone = serializers.CharField(allow_null=True)
    wa_user_id = serializers.CharField(allow_null=True)
    wa_id = serializers.CharField()
    name = serializers.CharField()
    email = serializers.CharField()
    language = serializers.CharField()
    tags = serializers.ListField(child=serializers.CharField())
    attributes = serializers.DictField(help_text="Attribute key -> value (text, number, YYYY-MM-DD, boolean).")
    consent = serializers.SerializerMethodField()
    first_seen_at = serializers.DateTimeField(allow_null=True)
    last_seen_at = serializers.DateTimeField(allow_null=True)
    last_inbound_at = serializers.DateTimeField(allow_null=True)
    last_outbound_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field(ConsentSummarySerializer)
    def get_consent(self, contact) -> dict:
        return ConsentSummarySerializer(contact).data


class ConsentEventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    category = serializers.ChoiceField(choices=ConsentCategory.choices)
    action = serializers.ChoiceField(choices=ConsentAction.choices)
    source = serializers.ChoiceField(choices=ConsentSource.choices)
    proof = serializers.CharField()
    keyword = serializers.CharField()
    actor_email = serializers.CharField()
    occurred_at = serializers.DateTimeField()
    created_at = serializers.DateTimeField()


class CountSerializer(serializers.Serializer):
    count = serializers.IntegerField()


class ContactImportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ImportStatus.choices)
    file_name = serializers.CharField()
    file_size = serializers.IntegerField()
    encoding = serializers.CharField()
    delimiter = serializers.CharField()
    mapping = serializers.DictField(child=serializers.CharField(), help_text="CSV column -> target, as used.")
    on_existing = serializers.ChoiceField(choices=OnExisting.choices)
    tags = serializers.ListField(child=serializers.CharField())
    total_rows = serializers.IntegerField(allow_null=True, help_text="An estimate while running; exact when done.")
    processed_rows = serializers.IntegerField()
    progress = serializers.SerializerMethodField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    skipped = serializers.IntegerField()
    duplicates = serializers.IntegerField(help_text="Rows merged into an earlier row of the same file.")
    errors = serializers.IntegerField(help_text="Rows rejected; see error_report_url.")
    error_report_url = serializers.SerializerMethodField()
    failure = serializers.CharField()
    created_by_email = serializers.CharField()
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)

    def get_progress(self, job) -> float:
        """Percent of rows processed (100 when done)."""
        if job.status == ImportStatus.DONE:
            return 100.0
        if not job.total_rows:
            return 0.0
        return round(min(99.9, 100.0 * job.processed_rows / job.total_rows), 1)

    def get_error_report_url(self, job) -> str | None:
        return f"/api/contacts/imports/{job.pk}/errors.csv" if job.errors else None
