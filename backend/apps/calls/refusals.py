"""Why a call, a call permission request or a calling setting was refused, in words an agent understands, and what
to do: one catalogue for the refusals we make ourselves before asking Meta (the same rules, so the answer comes at
once and is the same) and for Meta's own (reference §9.6), in the API's error envelope.

    raise refusal(138006)                       # a rule we check locally
    raise meta_refusal(graph_error)             # Meta said no: the same words when we know its code
"""
from __future__ import annotations

from dataclasses import dataclass

from apps.core.errors import ApplicationError
from apps.whatsapp.errors import GraphError, TransientError


@dataclass(frozen=True)
class Refusal:
    code: str  # the envelope's code (apps.core.error_codes)
    status: int
    explanation: str
    action: str

    def message(self, meta_code: int | None) -> str:
        suffix = f" (WhatsApp code {meta_code})" if meta_code else ""
        return f"{self.explanation} {self.action}{suffix}"


_ENABLE = "An owner or admin can switch calling on in the number's call settings."
CATALOGUE: dict[int, Refusal] = {
    138000: Refusal("calling_disabled", 409, "Calling is switched off on this WhatsApp number (or it takes calls "
                    "over SIP, which ConvoNest doesn't use).", _ENABLE),
    138001: Refusal("calling_unavailable", 409, "This customer can't receive WhatsApp calls (an old app, or a "
                    "device that takes no calls).", "Write to them instead."),
    138002: Refusal("calling_unavailable", 429, "The number has 1,000 calls in progress, WhatsApp's limit.",
                    "Try again when a call has ended."),
    138003: Refusal("call_in_progress", 409, "A call with this customer is already in progress on this number.",
                    "Wait for it to end, or hang it up."),
    138004: Refusal("calling_unavailable", 502, "WhatsApp could not connect the call.", "Try again in a moment."),
    138005: Refusal("calling_unavailable", 429, "Too many calls were started from this number in a short time.",
                    "Wait a minute and try again."),
    138006: Refusal("call_permission_required", 409, "This customer hasn't allowed this number to call them (or "
                    "their permission expired: a temporary one lasts 7 days).",
                    "Send them a call permission request while they're in a conversation with you, or wait for them "
                    "to call you."),
    138007: Refusal("calling_unavailable", 409, "The call's media were not set up in time, so WhatsApp ended it.",
                    "Check the browser's microphone and network, then call again."),
    138009: Refusal("call_permission_request_limit", 429, "WhatsApp allows 1 call permission request per 24 hours "
                    "and 2 per 7 days to the same customer (a connected call resets the count).",
                    "Wait before asking again, or ask the customer to call you."),
    138012: Refusal("call_limit", 429, "This number has reached WhatsApp's limit of 10 connected calls to this "
                    "customer in 24 hours.", "Call again tomorrow, or continue in the chat."),
    138013: Refusal("calling_unavailable", 409, "WhatsApp doesn't allow business-initiated calls from this number's "
                    "country (USA, Canada, Turkey, Egypt, Vietnam, Nigeria).", "Only customers can call this number."),
    138014: Refusal("calling_unavailable", 409, "WhatsApp has paused calling on this number for a while because of "
                    "low call quality or many unanswered calls.", "Try again later; answer calls promptly."),
    138015: Refusal("calling_unavailable", 400, "Calling can't be switched on yet: WhatsApp requires the business "
                    "to be allowed at least 2,000 business-initiated conversations a day (messaging limit).",
                    "Grow the messaging limit first (send good-quality messages to more customers), then try again."),
    138017: Refusal("call_permission_exists", 409, "This customer has already allowed this number to call them, "
                    "permanently.", "Just call them."),
    138018: Refusal("calling_unavailable", 400, "Calling can't be switched on: WhatsApp's prerequisites are missing "
                    "(the app must be subscribed to the account's webhooks, including calls).",
                    "Reconnect the number under Settings → WhatsApp, then try again."),
    131044: Refusal("calling_unavailable", 402, "WhatsApp has no valid payment method for this account, which "
                    "business-initiated calls need.", "Add a payment method in Meta's WhatsApp Manager."),
}


def refusal(meta_code: int, **errors: str) -> ApplicationError:
    """The refusal of a rule we check before asking Meta (it would answer `meta_code`). `errors` add detail by
    field (e.g. retry_after)."""
    entry = CATALOGUE[meta_code]
    return ApplicationError(entry.message(meta_code), code=entry.code, status_code=entry.status,
                            errors={key: [value] for key, value in errors.items()})


def meta_refusal(exc: GraphError) -> ApplicationError:
    """Meta refused a calling request: explained when we know its code, else quoted."""
    entry = CATALOGUE.get(exc.code or 0)
    if entry is not None:
        return ApplicationError(entry.message(exc.code), code=entry.code, status_code=entry.status)
    if isinstance(exc, TransientError):
        return ApplicationError("WhatsApp could not be reached; nothing was changed. Try again in a moment.",
                                code="calling_unavailable", status_code=503)
    reason = exc.details or exc.title or "no reason given"
    return ApplicationError(f"WhatsApp refused: {reason}", code="whatsapp_rejected", status_code=400)
