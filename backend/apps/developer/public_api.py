"""The public API: the only views an API key may call, each with the scope it needs.

An allowlist, checked by apps.developer.auth before any view code runs: a view not named here (team, billing,
settings, numbers, the live stream, sign-in, the keys themselves) answers 403 `api_key_not_allowed` to a key,
whatever the key's scopes. `tests/test_public_api_routes.py` walks every tenant route and proves it, and that
every entry names a routed view. Views are named by dotted class path so this module imports none of them.
"""
from apps.developer.models import ApiKeyScope

PUBLIC_API: dict[str, str] = {
    # Messages: send (free-form and templates), list, read one.
    "apps.messaging.messages_api.MessageListApi": ApiKeyScope.MESSAGES,
    "apps.messaging.messages_api.MessageDetailApi": ApiKeyScope.MESSAGES,
    "apps.messaging.template_sends_api.TemplateSendApi": ApiKeyScope.MESSAGES,
    # Templates: list, create, read, edit, delete.
    "apps.templates.templates_api.TemplateListApi": ApiKeyScope.TEMPLATES,
    "apps.templates.templates_api.TemplateDetailApi": ApiKeyScope.TEMPLATES,
    # Contacts: list, create, read, edit, delete, consent.
    "apps.contacts.contacts_api.ContactListApi": ApiKeyScope.CONTACTS,
    "apps.contacts.contacts_api.ContactDetailApi": ApiKeyScope.CONTACTS,
    "apps.contacts.contacts_api.ContactConsentApi": ApiKeyScope.CONTACTS,
    # Campaigns: list, create, read, edit, delete, start, pause, resume, cancel, recipients.
    "apps.campaigns.campaigns_api.CampaignListApi": ApiKeyScope.CAMPAIGNS,
    "apps.campaigns.campaigns_api.CampaignDetailApi": ApiKeyScope.CAMPAIGNS,
    "apps.campaigns.campaigns_api.CampaignStartApi": ApiKeyScope.CAMPAIGNS,
    "apps.campaigns.campaigns_api.CampaignPauseApi": ApiKeyScope.CAMPAIGNS,
    "apps.campaigns.campaigns_api.CampaignResumeApi": ApiKeyScope.CAMPAIGNS,
    "apps.campaigns.campaigns_api.CampaignCancelApi": ApiKeyScope.CAMPAIGNS,
    "apps.campaigns.campaigns_api.CampaignRecipientListApi": ApiKeyScope.CAMPAIGNS,
}


def view_name(view) -> str:
    cls = view if isinstance(view, type) else type(view)
    return f"{cls.__module__}.{cls.__qualname__}"


def scope_for(view) -> str | None:
    """The scope a key needs for this view, or None: keys may not call it."""
    return PUBLIC_API.get(view_name(view)) if view is not None else None
