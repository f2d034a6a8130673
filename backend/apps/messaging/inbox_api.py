"""The team inbox: conversations, their messages and notes, canned replies, inbox settings, and the live
event stream (server-sent events; see live.py)."""
import re

from django.core.validators import RegexValidator
from django.db import connection
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import renderers, serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.errors import ApplicationError
from apps.core.pagination import CursorPagination
from apps.core.schema import NOT_SPACE, REQUEST_PROPERTIES, REQUEST_RULES
from apps.core.throttling import ScopedRateThrottle
from apps.core.time_zones import TIME_ZONES
from apps.messaging import conversations, live, outbox, selectors, stream_leases, template_sends
from apps.messaging.messages_api import MessageBodySerializer, MessageSerializer
from apps.messaging.models import WEEKDAYS, Conversation, ConversationNote, InboxSettings, Message
from apps.templates.preview_api import ParametersSerializer
from apps.templates.selectors import access_template
from tenants.permissions import CanManageSettings, IsTenantMember, ReadsOrManageSettings


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return f"{user.first_name} {user.last_name}".strip() or user.email


class ConversationContactSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    phone = serializers.CharField(allow_null=True)
    wa_user_id = serializers.CharField(allow_null=True)
    marketing_consent = serializers.CharField()


class ConversationNumberSerializer(serializers.Serializer):
    phone_number_id = serializers.CharField()
    display_phone_number = serializers.CharField()
    verified_name = serializers.CharField()


class ConversationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Conversation.Status.choices)
    contact = ConversationContactSerializer()
    phone_number = ConversationNumberSerializer()
    assignee = PersonSerializer(allow_null=True)
    unread_count = serializers.IntegerField()
    last_message_at = serializers.DateTimeField()
    last_message_preview = serializers.CharField()
    last_message_direction = serializers.CharField()
    last_inbound_at = serializers.DateTimeField(allow_null=True)
    window_expires_at = serializers.DateTimeField(allow_null=True)
    window_open = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_window_open(self, conversation) -> bool:
        return conversations.window_is_open(conversation)


class NoteSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    author = PersonSerializer(allow_null=True)
    body = serializers.CharField()
    created_at = serializers.DateTimeField()


# The schema states what canned_reply_save accepts: an optional "/", then letters, digits, - and _ (at
# least one letter or digit); title and body not blank. The service still checks (and lowercases).
NOT_BLANK = RegexValidator(NOT_SPACE, message="This field may not be blank.")


class CannedReplySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    shortcut = serializers.CharField(max_length=32, validators=[RegexValidator(
        r"^/*[A-Za-z0-9_-]*[A-Za-z0-9][A-Za-z0-9_-]*$", message="Use letters, digits, - and _ (e.g. hours).")])
    title = serializers.CharField(max_length=100, validators=[NOT_BLANK])
    body = serializers.CharField(max_length=4096, validators=[NOT_BLANK])


HH_MM = {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"}


@extend_schema_field({
    "type": "object", "additionalProperties": False,
    "description": "Open intervals per weekday, e.g. {\"mon\": [[\"09:00\", \"18:00\"]]}; each interval starts "
                   "before it ends. A day without intervals is closed.",
    "properties": {day: {"type": "array", "maxItems": 24, "items": {"type": "array", "items": HH_MM,
                                                                    "minItems": 2, "maxItems": 2}}
                   for day in WEEKDAYS},
})
class BusinessHoursField(serializers.JSONField):
    pass


# The enum is for requests only: a stored zone from before the list was pinned must still be readable.
@extend_schema_serializer(extensions={REQUEST_PROPERTIES: {"timezone": {"enum": list(TIME_ZONES)}}})
class InboxSettingsSerializer(serializers.ModelSerializer):
    business_hours = BusinessHoursField(required=False)

    class Meta:
        model = InboxSettings
        exclude = ["id"]
        read_only_fields = ["updated_at"]
        # Replies are sent to customers: not blank (DRF trims whitespace first); the schema says so too.
        extra_kwargs = {name: {"validators": [NOT_BLANK]}
                        for name in ("opt_out_reply", "opt_in_reply", "welcome_text", "away_text")}


class RecentFirst(CursorPagination):
    ordering = ("-last_message_at", "-id")


class Inbox:
    """Conversations this member may see: every one with see_all_conversations, else their own and unassigned."""

    permission_classes = [IsTenantMember]

    def conversation(self, conversation_id) -> Conversation:
        return selectors.access_conversation(self.request.member, conversation_id)


@extend_schema_view(get=extend_schema(operation_id="conversations_list", parameters=[
    OpenApiParameter("view", str, enum=["all", "mine", "unassigned"]),
    OpenApiParameter("status", str, enum=Conversation.Status.values),
    OpenApiParameter("q", str, description="Contact name, email or phone digits"),
    OpenApiParameter("phone_number_id", str)]))
class ConversationListApi(Inbox, ListAPIView):
    serializer_class = ConversationSerializer
    pagination_class = RecentFirst

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Conversation.objects.none()
        params = self.request.query_params
        return selectors.conversation_list(
            self.request.member, view=params.get("view", "all"),
            status=params.get("status", "") if params.get("status") in Conversation.Status.values else "",
            q=params.get("q", ""), phone_number_id=params.get("phone_number_id", ""))


class ConversationDetailApi(Inbox, APIView):
    @extend_schema_serializer(component_name="ConversationUpdate")
    class InputSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=Conversation.Status.choices, required=False)
        assignee_id = serializers.IntegerField(allow_null=True, required=False)

    @extend_schema(responses=ConversationSerializer, operation_id="conversations_retrieve")
    def get(self, request, conversation_id):
        return Response(ConversationSerializer(self.conversation(conversation_id)).data)

    @extend_schema(request=InputSerializer, responses=ConversationSerializer, operation_id="conversations_update")
    def patch(self, request, conversation_id):
        conversation = self.conversation(conversation_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        conversation = conversations.conversation_update(conversation=conversation, actor=request.member,
                                                         data=data.validated_data)
        return Response(ConversationSerializer(self.conversation(conversation.pk)).data)


class ConversationReadApi(Inbox, APIView):
    """The agent has read the thread: unread clears and the customer sees blue ticks."""

    @extend_schema(request=None, responses=ConversationSerializer, operation_id="conversations_mark_read")
    def post(self, request, conversation_id):
        conversation = conversations.conversation_mark_read(conversation=self.conversation(conversation_id))
        return Response(ConversationSerializer(conversation).data)


@extend_schema_view(get=extend_schema(operation_id="conversations_messages_list"))
class ConversationMessagesApi(Inbox, ListAPIView):
    """GET: the thread, newest first (pages go back in time). POST: reply (202; the outbox sends it)."""

    serializer_class = MessageSerializer
    throttle_scope = "send"

    def get_throttles(self):
        return [ScopedRateThrottle()] if self.request.method == "POST" else []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no tenant, no request
            return Message.objects.none()
        return selectors.conversation_messages(self.conversation(self.kwargs["conversation_id"]))

    # Meta's message object (`type` + the object it names), or one of the business's templates by id (what a
    # closed window needs).
    @extend_schema_serializer(component_name="ConversationReply", extensions={REQUEST_RULES: {"allOf": [{"oneOf": [
        {"type": "object", "required": ["type"], "properties": {"type": {"type": "string"}},
         "not": {"anyOf": [{"required": ["template_id"]}, {"required": ["parameters"]}]}},
        {"type": "object", "required": ["template_id"], "properties": {"template_id": {"type": "integer"}},
         "not": {"required": ["type"]}}]}]}})  # allOf + typed branches: openapi-typescript intersects, not `never`
    class InputSerializer(MessageBodySerializer):
        template_id = serializers.IntegerField(required=False, min_value=1,
                                               help_text="An APPROVED template of the conversation's number's "
                                                         "WhatsApp account, instead of `type`")
        parameters = ParametersSerializer(required=False, help_text="The template's values; without them its saved "
                                                                    "mapping fills them from the contact")

        def get_fields(self):
            fields = super().get_fields()
            fields["type"].required = False
            return fields

        def to_internal_value(self, data):
            if isinstance(data, dict) and "type" in data:
                return super().to_internal_value(data)
            return serializers.Serializer.to_internal_value(self, data)  # a template: no message object to build

        def validate(self, attrs):
            if ("type" in attrs) == ("template_id" in attrs):
                raise serializers.ValidationError({"type": ["Send a message (type) or a template (template_id)."]})
            if "parameters" in attrs and "template_id" not in attrs:
                raise serializers.ValidationError({"parameters": ["Only a template (template_id) takes parameters."]})
            return attrs

    @extend_schema(request=InputSerializer, responses={202: MessageSerializer}, operation_id="conversations_reply")
    def post(self, request, conversation_id):
        conversation = self.conversation(conversation_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if "template_id" in values:
            message = template_sends.template_send(
                actor=request.member, template=access_template(request.member, values["template_id"]),
                number=conversation.phone_number, contact=conversation.contact, parameters=values.get("parameters"))
        else:
            message = outbox.message_send_to(actor=request.member, number=conversation.phone_number,
                                             contact=conversation.contact, message=values["message"])
        return Response(MessageSerializer(message).data, status=status.HTTP_202_ACCEPTED)


@extend_schema_view(get=extend_schema(operation_id="conversations_notes_list"))
class ConversationNotesApi(Inbox, ListAPIView):
    serializer_class = NoteSerializer

    class Oldest(CursorPagination):
        ordering = ("created_at", "id")

    pagination_class = Oldest

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ConversationNote.objects.none()
        return selectors.note_list(self.conversation(self.kwargs["conversation_id"]))

    @extend_schema_serializer(component_name="NoteCreate")
    class InputSerializer(serializers.Serializer):
        body = serializers.CharField(max_length=4000)

    @extend_schema(request=InputSerializer, responses={201: NoteSerializer}, operation_id="conversations_notes_create")
    def post(self, request, conversation_id):
        conversation = self.conversation(conversation_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        note = conversations.note_create(conversation=conversation, author=request.user,
                                         body=data.validated_data["body"])
        return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)


@extend_schema_view(get=extend_schema(operation_id="canned_replies_list", parameters=[
    OpenApiParameter("q", str, description="Shortcut prefix or words of the title")]))
class CannedReplyListApi(ListAPIView):
    """Everyone reads; owners and admins write."""

    serializer_class = CannedReplySerializer

    class ByShortcut(CursorPagination):
        ordering = ("shortcut",)

    pagination_class = ByShortcut

    permission_classes = [ReadsOrManageSettings]

    def get_queryset(self):
        return selectors.canned_reply_list(self.request.query_params.get("q", ""))

    @extend_schema(request=CannedReplySerializer, responses={201: CannedReplySerializer},
                   operation_id="canned_replies_create")
    def post(self, request):
        data = CannedReplySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reply = conversations.canned_reply_save(actor=request.member, **data.validated_data)
        return Response(CannedReplySerializer(reply).data, status=status.HTTP_201_CREATED)


class CannedReplyDetailApi(APIView):
    permission_classes = [CanManageSettings]

    @extend_schema(request=CannedReplySerializer, responses=CannedReplySerializer, operation_id="canned_replies_update")
    def put(self, request, reply_id):
        reply = selectors.access_canned_reply(reply_id)
        data = CannedReplySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reply = conversations.canned_reply_save(actor=request.member, reply=reply, **data.validated_data)
        return Response(CannedReplySerializer(reply).data)

    @extend_schema(responses={204: None}, operation_id="canned_replies_destroy")
    def delete(self, request, reply_id):
        conversations.canned_reply_delete(actor=request.member, reply=selectors.access_canned_reply(reply_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class InboxSettingsApi(APIView):
    """Automations and business hours. Everyone reads; owners and admins change them."""

    permission_classes = [ReadsOrManageSettings]

    @extend_schema(responses=InboxSettingsSerializer, operation_id="inbox_settings_retrieve")
    def get(self, request):
        return Response(InboxSettingsSerializer(selectors.inbox_settings_get()).data)

    @extend_schema(request=InboxSettingsSerializer(partial=True), responses=InboxSettingsSerializer,
                   operation_id="inbox_settings_update")
    def patch(self, request):
        data = InboxSettingsSerializer(selectors.inbox_settings_get(), data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        updated = conversations.inbox_settings_update(actor=request.member, data=dict(data.validated_data))
        return Response(InboxSettingsSerializer(updated).data)


STREAM_ID = re.compile(r"\d{1,20}-\d{1,20}")


class EventStreamRenderer(renderers.BaseRenderer):
    media_type = "text/event-stream"
    format = "event-stream"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        raise NotImplementedError("the view streams its own response")


class InboxEventsApi(Inbox, APIView):
    """Server-sent events: `message`, `status`, `conversation` and `note`, each naming a conversation.

    SSE rather than WebSockets: the inbox only listens (it acts through the REST API), SSE rides the
    same cookie-authenticated HTTP path through the Next.js proxy, and EventSource reconnects by itself
    with Last-Event-ID, which the Redis stream answers with what was missed.

    Served by the events service (events_asgi.py; nginx and the Next.js proxy send this path there), which
    runs this view, with every middleware and the same authentication and membership check as the API,
    once per connection, then streams on asyncio: an open stream holds none of the threads that serve the
    API and Meta's webhooks. Reached through the API's own (WSGI) server, it answers 503. At most
    INBOX_STREAMS_PER_PERSON / INBOX_STREAMS_PER_BUSINESS streams are open at once (429 with Retry-After).
    A stream ends after about INBOX_STREAM_SECONDS; the reconnect checks membership again.
    """

    renderer_classes = [renderers.JSONRenderer, EventStreamRenderer]

    def handle_exception(self, exc):
        # Errors are JSON in the envelope, even when the client asked for an event stream.
        self.request.accepted_renderer, self.request.accepted_media_type = renderers.JSONRenderer(), "application/json"
        return super().handle_exception(exc)

    @extend_schema(responses={(200, "text/event-stream"): OpenApiTypes.STR,
                              # What this (WSGI) server answers: streams are the events service's (audit H4).
                              (503, "application/json"): OpenApiResponse(
                                  response={"$ref": "#/components/schemas/ErrorEnvelope"},
                                  description="`events_service_only`: the request reached the API server, not "
                                              "the events service that serves the stream")},
                   operation_id="inbox_events",
                   parameters=[OpenApiParameter("last_event_id", str, description="Resume after this event "
                                                "(the Last-Event-ID header does the same)")])
    def get(self, request):
        if not request.META.get(live.SERVED_BY_EVENTS_SERVICE):
            # A thread of the API's pool must never be held by a stream (audit H4).
            raise ApplicationError("Live updates are served by the events service, not this server.",
                                   code="events_service_only", status_code=503)
        schema = connection.schema_name
        listener = live.Listener(schema=schema, member=request.member,
                                 agents_see_all=selectors.inbox_settings_get().agents_see_all)
        start = request.headers.get("Last-Event-ID") or request.query_params.get("last_event_id") or ""
        if not STREAM_ID.fullmatch(start):
            start = live.latest_id(schema)
        lease = stream_leases.acquire(schema, request.user.pk)
        return live.EventStreamResponse(live.LiveStream(listener, start, lease))
