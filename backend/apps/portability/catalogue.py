"""What a business export holds: one JSON Lines file per tenant table, and what is left out and why.

Named by model label, so this app imports none of the product apps' code. Every tenant model is either exported
here or listed in NOT_EXPORTED with its reason (tests/test_exports.py walks the app registry, so a new model has to
be placed the day it is added). A table's columns are all of its concrete fields (`attname`: foreign keys as
`<name>_id`, so files join on ids) except the ones it withholds: secrets, and paths only this installation can read.
"""
from dataclasses import dataclass

from django.apps import apps
from django.db import models


@dataclass(frozen=True)
class Table:
    file: str  # path inside the archive
    model: str  # app_label.ModelName
    withheld: tuple[str, ...] = ()  # columns never exported

    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def columns(self) -> list[str]:
        return [f.attname for f in self.model_class()._meta.concrete_fields if f.attname not in self.withheld]


TABLES: list[Table] = [
    # Contacts and their consent
    Table("contacts/contacts.jsonl", "contacts.Contact"),
    Table("contacts/consent_events.jsonl", "contacts.ConsentEvent"),
    Table("contacts/merges.jsonl", "contacts.ContactMergeRecord"),
    Table("contacts/attribute_definitions.jsonl", "contacts.AttributeDefinition"),
    Table("contacts/segments.jsonl", "contacts.Segment"),
    Table("contacts/imports.jsonl", "contacts.ContactImport", withheld=("file_path",)),
    Table("contacts/import_errors.jsonl", "contacts.ContactImportError"),
    # Conversations, messages (media files under media/), notes, calls
    Table("inbox/conversations.jsonl", "messaging.Conversation"),
    Table("inbox/messages.jsonl", "messaging.Message"),
    Table("inbox/message_events.jsonl", "messaging.MessageEvent"),
    Table("inbox/media.jsonl", "messaging.MessageMedia"),
    Table("inbox/notes.jsonl", "messaging.ConversationNote"),
    # The SDP offer and answer carry the call's ICE credentials.
    Table("calls/calls.jsonl", "calls.Call", withheld=("sdp_offer", "sdp_answer")),
    Table("calls/call_events.jsonl", "calls.CallEvent"),
    Table("calls/call_permissions.jsonl", "calls.CallPermission"),
    # Templates
    Table("templates/templates.jsonl", "templates.Template"),
    Table("templates/template_events.jsonl", "templates.TemplateEvent"),
    Table("templates/syncs.jsonl", "templates.TemplateSync"),
    # Campaigns and their recipients (the lease token is the dispatcher's, not data)
    Table("campaigns/campaigns.jsonl", "campaigns.Campaign", withheld=("lease_token",)),
    Table("campaigns/variants.jsonl", "campaigns.CampaignVariant"),
    Table("campaigns/recipients.jsonl", "campaigns.CampaignRecipient"),
    # Settings. Never a secret: no WhatsApp access token, no API key hash, no webhook signing secret.
    Table("settings/contact_settings.jsonl", "contacts.ContactSettings"),
    Table("settings/inbox_settings.jsonl", "messaging.InboxSettings"),
    Table("settings/canned_replies.jsonl", "messaging.CannedReply"),
    Table("settings/whatsapp_accounts.jsonl", "whatsapp.BusinessAccount", withheld=("access_token",)),
    Table("settings/whatsapp_numbers.jsonl", "whatsapp.PhoneNumber"),
    Table("settings/whatsapp_health_events.jsonl", "whatsapp.HealthEvent"),
    Table("settings/call_settings.jsonl", "calls.CallSettings"),
    Table("settings/api_keys.jsonl", "developer.ApiKey", withheld=("secret_hash", "previous_secret_hash")),
    Table("settings/webhook_endpoints.jsonl", "developer.WebhookEndpoint", withheld=("secret", "previous_secret")),
    # Who did what
    Table("audit/events.jsonl", "audit.AuditEvent"),
]

# The team lives in the public schema (tenants.Membership, tenants.User): written from there, without passwords.
TEAM_FILE = "team/members.jsonl"
TEAM_COLUMNS = ["user_id", "email", "first_name", "last_name", "role", "joined_at"]

NOT_EXPORTED: dict[str, str] = {
    "contacts.Suppression": "keyed hashes of erased people's numbers, meaningful only with this installation's key",
    "messaging.PendingStatus": "delivery statuses held for messages we never learned of; dropped after days",
    "developer.WebhookDelivery": "the outbound webhook delivery log: copies of exported rows, kept 30 days",
    "developer.WebhookAttempt": "the outbound webhook delivery log: copies of exported rows, kept 30 days",
    "analytics.DailyMessageStats": "derived from messages (manage.py analytics_rebuild recomputes it)",
    "analytics.DailyAgentStats": "derived from conversations (manage.py analytics_rebuild recomputes it)",
    "analytics.ConversationClock": "derived from conversations (manage.py analytics_rebuild recomputes it)",
    "analytics.ResponseFact": "derived from conversations (manage.py analytics_rebuild recomputes it)",
    "portability.BusinessExport": "the exports themselves",
}
