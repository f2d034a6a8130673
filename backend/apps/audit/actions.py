"""Every action the audit log knows, with the words people read in the log and its filter.

One catalogue: `record()` refuses an action that isn't here, so a typo fails in the tests instead of writing an
event nobody can filter for. Names are `<area>.<verb>`; the area groups the filter.
"""

ACTIONS: dict[str, str] = {
    # Signing in and the team (apps.accounts)
    "auth.login": "Signed in",
    "auth.password_changed": "Changed their password",
    "team.invite_sent": "Invited a member",
    "team.invite_revoked": "Revoked an invitation",
    "team.member_joined": "Joined the team",
    "team.role_changed": "Changed a member's role",
    "team.member_removed": "Removed a member",
    "team.reseller_entered": "Reseller staff entered the business",
    "team.reseller_access_changed": "Changed the reseller's access",
    # WhatsApp numbers (apps.whatsapp)
    "whatsapp.number_connected": "Connected a WhatsApp number",
    "whatsapp.number_updated": "Changed a WhatsApp number",
    "whatsapp.number_disconnected": "Disconnected a WhatsApp number",
    # Contacts (apps.contacts)
    "contact.created": "Created a contact",
    "contact.updated": "Changed a contact",
    "contact.deleted": "Deleted a contact",
    "contact.erased": "Erased a contact's personal data",
    "contact.merged": "Merged contacts",
    "contact.consent_changed": "Changed a contact's consent",
    "contact.exported": "Exported a contact's data",
    "contacts.bulk_changed": "Changed contacts in bulk",
    "contacts.imported": "Imported contacts",
    "contacts.import_finished": "A contact import finished",
    "contacts.import_deleted": "Deleted a contact import",
    "contacts.exported": "Exported contacts",
    "contacts.settings_changed": "Changed the contact settings",
    "attribute.created": "Created a contact attribute",
    "attribute.updated": "Changed a contact attribute",
    "attribute.deleted": "Deleted a contact attribute",
    "segment.created": "Created a segment",
    "segment.updated": "Changed a segment",
    "segment.deleted": "Deleted a segment",
    # Templates (apps.templates)
    "template.created": "Created a template",
    "template.updated": "Changed a template",
    "template.deleted": "Deleted a template",
    "template.status_changed": "Meta changed a template's status",
    "template.acknowledged": "Acknowledged a template's warning",
    "templates.synced": "Synced templates from Meta",
    # Inbox (apps.messaging)
    "inbox.settings_changed": "Changed the inbox settings",
    "canned_reply.created": "Created a canned reply",
    "canned_reply.updated": "Changed a canned reply",
    "canned_reply.deleted": "Deleted a canned reply",
    # Calls (apps.calls)
    "calls.settings_changed": "Changed a number's call settings",
    # Campaigns (apps.campaigns)
    "campaign.created": "Created a campaign",
    "campaign.updated": "Changed a campaign",
    "campaign.deleted": "Deleted a campaign",
    "campaign.scheduled": "Scheduled a campaign",
    "campaign.started": "Started a campaign",
    "campaign.paused": "Paused a campaign",
    "campaign.resumed": "Resumed a campaign",
    "campaign.cancelled": "Cancelled a campaign",
    "campaign.finished": "A campaign finished",
    # Developers (apps.developer)
    "api_key.created": "Created an API key",
    "api_key.rotated": "Rotated an API key",
    "api_key.revoked": "Revoked an API key",
    "webhook_endpoint.created": "Added a webhook endpoint",
    "webhook_endpoint.updated": "Changed a webhook endpoint",
    "webhook_endpoint.deleted": "Deleted a webhook endpoint",
    "webhook_endpoint.secret_rolled": "Rolled a webhook endpoint's secret",
    "webhook_endpoint.enabled": "Enabled a webhook endpoint",
    "webhook_endpoint.disabled": "A webhook endpoint was disabled",
    "webhook_delivery.replayed": "Replayed a webhook delivery",
    # The business as a whole (apps.portability): its export, its deletion (whose completion is recorded in the public
    # schema, tenants.DeletionRequest: this log goes with the schema)
    "business.export_requested": "Requested an export of the whole business",
    "business.export_downloaded": "Downloaded an export of the whole business",
    "business.deletion_requested": "Scheduled the business's deletion",
    "business.deletion_cancelled": "Cancelled the business's deletion",
    # Billing and domains (the control plane, through apps.accounts' receivers)
    "billing.subscription_changed": "The subscription changed plan or status",
    "domain.added": "Added a custom domain",
    "domain.verified": "Verified a custom domain",
    "domain.removed": "Removed a custom domain",
}


def area_of(action: str) -> str:
    return action.split(".", 1)[0]
