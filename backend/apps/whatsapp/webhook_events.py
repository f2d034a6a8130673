"""Meta's webhook payloads as typed events: parsed once, at the edge, before any handler sees them.

Like the Graph client beside it, this module is Meta's wire format only: it imports no models and nothing of
ConvoNest but the ground floor. A handler receives these dataclasses, never the raw dicts.

(Interface fixed first; the parser functions are filled in with the conformance corpus as their test data.)
"""
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class SenderProfile:
    """One entry of a change's `contacts[]`: who wrote, as Meta knows them."""

    wa_id: str | None  # the customer's phone number in digits (E.164 without "+")
    user_id: str | None  # business-scoped user id (BSUID), e.g. "US.13491208655302741918"
    name: str = ""  # profile.name, "" when absent


@dataclass(frozen=True, slots=True)
class InboundMessage:
    """One customer message of a `messages` change."""

    wamid: str  # Meta's message id (unique; redeliveries carry the same)
    type: str  # Meta's message type ("text", "image", ..., "unsupported"), at most 32 characters
    sender_wa_id: str | None  # `from`
    sender_user_id: str | None  # `from_user_id`
    profile: SenderProfile | None  # the contacts[] entry of this sender (the one profile matcher)
    sent_at: datetime | None  # Meta's `timestamp` (the one timestamp parser); None when missing or invalid
    payload: dict = field(default_factory=dict)  # the message object as Meta sent it (stored as is)

    @property
    def sender(self) -> str:
        """The sender as Meta addressed them: their number, else their user id."""
        return self.sender_wa_id or self.sender_user_id or ""
