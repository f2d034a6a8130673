"""Contacts: list/search/filter, CRUD, consent, merge, erasure, data export, bulk actions, CSV export.

Agents read and edit contacts and record consent; owners and admins also delete, erase, merge,
export and run bulk deletes (tenants.members.Capability.MANAGE_CONTACTS).
"""
from django.core.validators import RegexValidator
from django.db import connection
from django.http import StreamingHttpResponse
from django.utils import timezone
from django_tenants.utils import tenant_context
from drf_spectacular.utils import extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.contacts import filter_schema, services, values
from apps.contacts.exports import contact_export, contacts_csv, contacts_export_record
from apps.contacts.filter_schema import FilterField
from apps.contacts.models import ConsentAction, ConsentCategory, ConsentEvent, ConsentSource
from apps.contacts.selectors import (
    access_contact,
    attribute_definition_list,
    consent_event_list,
    contact_list,
    contact_query,
    contact_settings_get,
)
from apps.contacts.serializers import (
    QUERY_PARAMETERS,
    ConsentEventSerializer,
    ContactSerializer,
    CountSerializer,
    contacts_from_params,
)
from apps.core.csv_export import CSV_RESPONSE, CsvRenderer
from apps.core.errors import ApplicationError
from apps.core.pagination import CursorPagination
from apps.core.schema import NOT_SPACE, REQUEST_RULES
from tenants.members import REFUSALS, Capability
from tenants.permissions import CanManageContacts, IsTenantMember

MAX_BULK_IDS = 10_000


class ContactPagination(CursorPagination):
    ordering = "-id"  # unique and indexed: an import gives a million rows one created_at


class ConsentPagination(CursorPagination):
    ordering = ("-occurred_at", "-id")


class ManagersFor:
    """Mixin: methods listed in `manager_methods` need an owner or admin; the rest any member."""

    manager_methods: tuple[str, ...] = ()

    def get_permissions(self):
        if self.request.method.lower() in self.manager_methods:
            return [CanManageContacts()]
        return [IsTenantMember()]


class DocumentedPattern(RegexValidator):
    """The pattern apps.contacts.values enforces, stated in the OpenAPI schema (drf-spectacular reads a
    RegexValidator's regex). It checks nothing itself: the service checks every field and reports all the
    bad ones at once."""

    def __call__(self, value):
        pass


def _pattern(regex: str, message: str) -> RegexValidator:
    return DocumentedPattern(regex, message=message)


# The patterns are apps.contacts.values' rules, so the OpenAPI schema says what the services accept.
TAG_VALIDATOR = _pattern(filter_schema.TAG["pattern"], "A tag is not blank and has no , ; or |.")


# A new contact needs a phone or a WhatsApp user id (a PATCH keeps the stored one, so only create says so).
@extend_schema_serializer(component_name="ContactWrite", extensions={REQUEST_RULES: {"allOf": [{"anyOf": [
    {"type": "object", "required": ["phone"], "properties": {"phone": {"type": "string", "pattern": NOT_SPACE}}},
    {"type": "object", "required": ["wa_user_id"], "properties": {"wa_user_id": {"type": "string"}}},
]}]}})  # allOf: openapi-typescript then intersects (props & (A | B)) instead of a union with the props
class ContactWriteSerializer(serializers.Serializer):
    phone = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=64,
                                  help_text="Any format; stored as E.164 (national numbers use the default region). "
                                            "A contact needs a phone or a wa_user_id.")
    wa_user_id = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=256, validators=[
        _pattern(r"^[A-Za-z0-9][A-Za-z0-9._:-]*$", "Not a WhatsApp user id.")])
    name = serializers.CharField(required=False, allow_blank=True, max_length=values.MAX_NAME)
    email = serializers.CharField(required=False, allow_blank=True, max_length=254, validators=[
        _pattern(r"^[^@\s\x1c-\x1f\x85]{1,64}@[^@\s\x1c-\x1f\x85]+\.[^@\s\x1c-\x1f\x85.]{2,}$",
                 "Not an email address.")])  # \x1c-\x1f, \x85: space to Python, not to the schema's \s
    language = serializers.CharField(required=False, allow_blank=True, max_length=20, validators=[
        _pattern(filter_schema.LANGUAGE["pattern"], "Not a language code (e.g. en, pt_BR).")])
    tags = serializers.ListField(child=serializers.CharField(max_length=64, validators=[TAG_VALIDATOR]),
                                 required=False, max_length=values.MAX_TAGS, help_text="Replaces the contact's tags.")
    attributes = serializers.DictField(required=False, help_text="Key -> value; null removes a value. Merged into "
                                                                 "the contact's attributes.")


@extend_schema_view(
    get=extend_schema(operation_id="contacts_list", parameters=QUERY_PARAMETERS),
    post=extend_schema(operation_id="contacts_create", request=ContactWriteSerializer,
                       responses={201: ContactSerializer}),
)
class ContactListApi(ListAPIView):
    """Contacts, newest first, with search and filters; POST creates one (409 if the phone is taken)."""

    permission_classes = [IsTenantMember]
    serializer_class = ContactSerializer
    pagination_class = ContactPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation, on the public host: no query
            return contact_list().none()
        return contacts_from_params(self.request.query_params)

    def post(self, request):
        data = ContactWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        contact = services.contact_create(actor=request.member, data=data.validated_data,
                                          actor_email=request.user.email)
        return Response(ContactSerializer(contact).data, status=status.HTTP_201_CREATED)


class ContactCountApi(APIView):
    """How many contacts match the same parameters as the list (for "select all N")."""

    permission_classes = [IsTenantMember]

    @extend_schema(operation_id="contacts_count", parameters=QUERY_PARAMETERS, responses=CountSerializer)
    def get(self, request):
        return Response({"count": contacts_from_params(request.query_params).count()})


class ContactDetailApi(ManagersFor, APIView):
    manager_methods = ("delete",)

    @extend_schema(operation_id="contacts_retrieve", responses=ContactSerializer)
    def get(self, request, contact_id: int):
        return Response(ContactSerializer(access_contact(contact_id)).data)

    @extend_schema(operation_id="contacts_update", request=ContactWriteSerializer, responses=ContactSerializer)
    def patch(self, request, contact_id: int):
        contact = access_contact(contact_id)
        data = ContactWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        contact = services.contact_update(actor=request.member, contact=contact, data=data.validated_data)
        return Response(ContactSerializer(contact).data)

    @extend_schema(operation_id="contacts_destroy", responses={204: None})
    def delete(self, request, contact_id: int):
        contact = access_contact(contact_id)
        services.contact_delete(actor=request.member, contact=contact)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(get=extend_schema(operation_id="contacts_consent_list"))
class ContactConsentApi(ListAPIView):
    """A contact's consent ledger, newest first; POST appends an opt-in or opt-out."""

    permission_classes = [IsTenantMember]
    serializer_class = ConsentEventSerializer
    pagination_class = ConsentPagination

    @extend_schema_serializer(component_name="ConsentRecord")
    class InputSerializer(serializers.Serializer):
        category = serializers.ChoiceField(choices=ConsentCategory.choices)
        action = serializers.ChoiceField(choices=ConsentAction.choices)
        source = serializers.ChoiceField(choices=[c for c in ConsentSource.choices if c[0] != "suppression"])
        proof = serializers.CharField(required=False, allow_blank=True, max_length=5000,
                                      help_text="What the person saw or did: the form's wording, the message.")
        keyword = serializers.CharField(required=False, allow_blank=True, max_length=64)
        occurred_at = serializers.DateTimeField(required=False, help_text="Defaults to now; not in the future.")

    @extend_schema_serializer(component_name="ConsentRecorded")
    class OutputSerializer(serializers.Serializer):
        event = ConsentEventSerializer()
        contact = ContactSerializer()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ConsentEvent.objects.none()
        return consent_event_list(contact=access_contact(self.kwargs["contact_id"]))

    @extend_schema(operation_id="contacts_consent_create", request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request, contact_id: int):
        contact = access_contact(contact_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        event = services.consent_record(actor=request.member, contact=contact, actor_email=request.user.email,
                                        **data.validated_data)
        return Response(self.OutputSerializer({"event": event, "contact": contact}).data,
                        status=status.HTTP_201_CREATED)


@extend_schema_serializer(component_name="ContactMergeRecord")
class MergeRecordSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    merged_id = serializers.IntegerField()
    field_winners = serializers.DictField(child=serializers.CharField())
    moved_consent_events = serializers.IntegerField()
    actor_email = serializers.CharField()
    created_at = serializers.DateTimeField()


class ContactMergeApi(APIView):
    """Fold another contact into this one (owners and admins). The other contact is deleted; an audit
    record keeps who, when, which side won each field, and the other contact's profile."""

    permission_classes = [CanManageContacts]

    @extend_schema_serializer(component_name="ContactMerge")
    class InputSerializer(serializers.Serializer):
        merge_id = serializers.IntegerField(help_text="The contact to fold into this one.")
        prefer = serializers.DictField(
            child=serializers.ChoiceField(choices=["survivor", "merged"]), required=False, default=dict,
            help_text="Field (phone, wa_user_id, name, email, language, attributes) -> which side wins. By default "
                      "this contact's value wins unless it is empty.")

    @extend_schema_serializer(component_name="ContactMerged")
    class OutputSerializer(serializers.Serializer):
        contact = ContactSerializer()
        merge = MergeRecordSerializer()

    @extend_schema(operation_id="contacts_merge", request=InputSerializer, responses=OutputSerializer)
    def post(self, request, contact_id: int):
        survivor = access_contact(contact_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        merged = access_contact(data.validated_data["merge_id"])
        record = services.contact_merge(actor=request.member, survivor=survivor, merged=merged,
                                        prefer=data.validated_data["prefer"], actor_email=request.user.email)
        return Response(self.OutputSerializer({"contact": record.survivor, "merge": record}).data)


class ContactDataExportApi(APIView):
    """Everything held about one person, for a data access request (owners and admins)."""

    permission_classes = [CanManageContacts]

    @extend_schema(operation_id="contacts_data_export", responses={200: dict})
    def get(self, request, contact_id: int):
        return Response(contact_export(actor=request.member, contact=access_contact(contact_id)))


class ContactEraseApi(APIView):
    """Erase a person (owners and admins): see services.contact_erase and docs/contacts.md."""

    permission_classes = [CanManageContacts]

    @extend_schema_serializer(component_name="ContactErased")
    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        erased_at = serializers.DateTimeField()

    @extend_schema(operation_id="contacts_erase", request=None, responses=OutputSerializer)
    def post(self, request, contact_id: int):
        contact = services.contact_erase(actor=request.member, contact=access_contact(contact_id))
        return Response(self.OutputSerializer(contact).data)


# Property schemas repeated in ContactBulk's rules, so the generated TypeScript branches are typed.
IDS = {"type": "array", "items": {"type": "integer"}}
TAGS = {"type": "array", "items": {"type": "string"}}


class ContactBulkApi(APIView):
    """Tag, untag or delete every contact of a selection: listed `ids`, or a whole `filter` (with the
    list's `q` and `segment`), not only the page on screen. Delete needs an owner or admin."""

    permission_classes = [IsTenantMember]

    # Ids or a filter, not both; tag and untag name at least one tag (delete needs none).
    @extend_schema_serializer(component_name="ContactBulk", extensions={REQUEST_RULES: {"allOf": [
        {"oneOf": [{"type": "object", "required": ["ids"], "properties": {"ids": IDS}},
                   {"type": "object", "required": ["filter"], "properties": {"filter": filter_schema.REF}}]},
        {"oneOf": [{"type": "object", "properties": {"action": {"type": "string", "enum": ["delete"]}}},
                   {"type": "object", "required": ["action", "tags"], "properties": {
                       "action": {"type": "string", "enum": ["tag", "untag"]}, "tags": {**TAGS, "minItems": 1}}}]},
    ]}})
    class InputSerializer(serializers.Serializer):
        action = serializers.ChoiceField(choices=["tag", "untag", "delete"])
        tags = serializers.ListField(child=serializers.CharField(max_length=64, validators=[TAG_VALIDATOR]),
                                     required=False, max_length=values.MAX_TAGS,
                                     help_text="Required (not empty) for tag and untag.")
        ids = serializers.ListField(child=serializers.IntegerField(), required=False, max_length=MAX_BULK_IDS,
                                    help_text="Send ids or filter, not both.")
        filter = FilterField(required=False, help_text="A filter document; {} selects every contact.")
        q = serializers.CharField(required=False, allow_blank=True, max_length=100)
        segment = serializers.IntegerField(required=False, min_value=1)

        def validate(self, attrs):
            if ("ids" in attrs) == ("filter" in attrs):
                raise serializers.ValidationError("Send either ids or filter ({} for every contact).")
            if attrs["action"] in ("tag", "untag") and not attrs.get("tags"):
                raise serializers.ValidationError({"tags": ["Which tags?"]})
            return attrs

    @extend_schema_serializer(component_name="ContactBulkResult")
    class OutputSerializer(serializers.Serializer):
        action = serializers.CharField()
        matched = serializers.IntegerField(help_text="Contacts in the selection.")
        affected = serializers.IntegerField(help_text="Contacts changed (already tagged ones aren't).")

    @extend_schema(operation_id="contacts_bulk", request=InputSerializer, responses=OutputSerializer)
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        params = data.validated_data
        if params["action"] == "delete" and not request.member.can(Capability.MANAGE_CONTACTS):
            self.permission_denied(request, message=REFUSALS[Capability.MANAGE_CONTACTS])
        if "ids" in params:
            queryset = contact_list().filter(pk__in=params["ids"])
        else:
            queryset = contact_query(q=params.get("q", ""), segment=params.get("segment"),
                                     filter_document=params["filter"] or None,
                                     default_region=contact_settings_get().default_region)
        matched = queryset.count()
        # What was selected, for the audit log: never the search text nor the filter's values (a person's name,
        # email or number), only the fields it tests.
        selection = {"selection": "ids", "matched": matched} if "ids" in params else {
            "selection": "filter", "matched": matched, "filter_fields": filter_schema.filter_fields(params["filter"]),
            "segment": params.get("segment"), "search": bool(params.get("q"))}
        tags = []
        if params["action"] != "delete":
            try:
                tags = values.clean_tags(params["tags"])
            except ValueError as exc:
                raise ApplicationError(str(exc), code="validation_error", errors={"tags": [str(exc)]}) from None
        if params["action"] == "tag":
            affected = services.contacts_tag(actor=request.member, queryset=queryset, tags=tags, selection=selection)
        elif params["action"] == "untag":
            affected = services.contacts_untag(actor=request.member, queryset=queryset, tags=tags, selection=selection)
        else:
            affected = services.contacts_delete(actor=request.member, queryset=queryset, selection=selection)
        return Response({"action": params["action"], "matched": matched, "affected": affected})


class ContactExportCsvApi(APIView):
    """Every contact matching the list's parameters as CSV, streamed (owners and admins)."""

    permission_classes = [CanManageContacts]
    renderer_classes = [JSONRenderer, CsvRenderer]

    @extend_schema(operation_id="contacts_export_csv", parameters=QUERY_PARAMETERS, responses=CSV_RESPONSE)
    def get(self, request):
        queryset = contacts_from_params(request.query_params)
        definitions = list(attribute_definition_list())
        contacts_export_record(actor=request.member, params=request.query_params)
        tenant = connection.tenant

        def lines():
            with tenant_context(tenant):  # streamed after the view returns
                yield from contacts_csv(queryset, definitions)

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="contacts-{stamp}.csv"'
        return response
