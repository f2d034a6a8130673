"""What a key's scopes let it do: the routes it may call (public_api.PUBLIC_API) and the capabilities it keeps of
its creator's. A key never holds more than its creator holds now."""
from apps.developer.models import ApiKeyScope
from tenants.members import Capability

SCOPE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    # Sending, and seeing what the creator sees (an owner's key sees every conversation, an agent's only theirs).
    ApiKeyScope.MESSAGES: frozenset({Capability.SEND, Capability.SEE_ALL_CONVERSATIONS}),
    ApiKeyScope.TEMPLATES: frozenset({Capability.MANAGE_TEMPLATES}),
    ApiKeyScope.CONTACTS: frozenset({Capability.MANAGE_CONTACTS}),
    ApiKeyScope.CAMPAIGNS: frozenset({Capability.RUN_CAMPAIGNS}),
    ApiKeyScope.READ_ONLY: frozenset(),
}


def scope_capabilities(scopes) -> frozenset[Capability]:
    held: frozenset[Capability] = frozenset()
    if ApiKeyScope.READ_ONLY in scopes:
        # Reads need no capability beyond membership, except seeing every conversation.
        return frozenset({Capability.SEE_ALL_CONVERSATIONS}) if ApiKeyScope.MESSAGES in scopes else held
    for scope in scopes:
        held |= SCOPE_CAPABILITIES.get(scope, frozenset())
    return held
