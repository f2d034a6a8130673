"""Campaign reads, each taking the member: campaigns are for those who run them (owners and admins); an agent gets
the same 403 from every door (API, recipients, report)."""
from __future__ import annotations

from django.db.models import Case, CharField, F, QuerySet, When
from django.db.models.expressions import RawSQL
from django.http import Http404
from rest_framework.exceptions import PermissionDenied

from apps.campaigns.models import Campaign, CampaignRecipient
from apps.messaging.models import Message
from tenants.members import REFUSALS, Capability, Member

R = CampaignRecipient.State
M = Message.Status
# The recipient's stage as the API shows it: its own state until it has a message, then the message's status
# (with `replied` once the customer answered within the reply window).
STAGES = ("pending", "held", "skipped", "queued", "sending", "sent", "delivered", "read", "replied", "failed",
          "unknown")


def _require(member: Member) -> None:
    if not member.can(Capability.RUN_CAMPAIGNS):
        raise PermissionDenied(REFUSALS[Capability.RUN_CAMPAIGNS])


def campaign_list(member: Member, *, status: str = "") -> QuerySet[Campaign]:
    _require(member)
    campaigns = Campaign.objects.select_related("phone_number")
    return campaigns.filter(status=status) if status else campaigns


def access_campaign(member: Member, campaign_id) -> Campaign:
    """A campaign of this business; 404 for a missing id and for another business's (the schema has only ours)."""
    try:
        return campaign_list(member).select_related("phone_number__account").get(pk=int(campaign_id))
    except (Campaign.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


_REPLIED = RawSQL("""EXISTS (SELECT 1 FROM messaging_message i
                             WHERE i.conversation_id = messaging_message.conversation_id AND i.direction = 'in'
                               AND i.created_at > messaging_message.sent_at
                               AND i.created_at <= messaging_message.sent_at
                                   + make_interval(hours => campaigns_campaign.reply_window_hours))""", [])


def recipient_list(member: Member, campaign: Campaign, *, stage: str = "", error_code: int | None = None
                   ) -> QuerySet[CampaignRecipient]:
    """The campaign's recipients with their message's times, filtered by stage and Meta's error code."""
    _require(member)
    recipients = (CampaignRecipient.objects.filter(campaign=campaign)
                  .select_related("message", "campaign")
                  .annotate(replied=_REPLIED,
                            stage=Case(When(message__isnull=True, then=F("state")), default=F("message__status"),
                                       output_field=CharField()),
                            contact_name=RawSQL("SELECT name FROM contacts_contact c "
                                                "WHERE c.id = campaigns_campaignrecipient.contact_id", [])))
    if stage == "replied":
        recipients = recipients.filter(replied=True)
    elif stage in (M.SENT, M.DELIVERED, M.READ, M.FAILED, M.QUEUED, M.SENDING, M.UNKNOWN):
        recipients = recipients.filter(message__status=stage)
    elif stage in (R.PENDING, R.HELD, R.SKIPPED):
        recipients = recipients.filter(state=stage)
    if error_code is not None:
        recipients = recipients.filter(message__error_code=error_code)
    return recipients.order_by("id")


def recipient_stage(recipient: CampaignRecipient) -> str:
    if getattr(recipient, "replied", False):
        return "replied"
    return recipient.stage if hasattr(recipient, "stage") else recipient.state

