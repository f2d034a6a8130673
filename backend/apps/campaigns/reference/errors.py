"""Meta's error codes in words a shop owner can act on: what happened, what to do, and whether trying the same
person again later can work (a `failed_retryable` retarget takes those). Source: ../shared/whatsapp-cloud-api.md
§8 (Meta's error-code reference); branch on the code, never on Meta's text."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Explanation:
    code: int | str | None
    title: str
    explanation: str
    action: str
    retryable: bool = False
    retry_after_hours: int | None = None


# code -> (title, explanation, action, retryable, retry after hours)
_CODES: dict[int, tuple[str, str, str, bool, int | None]] = {
    0: ("Authentication problem", "WhatsApp could not authenticate the request.",
        "Reconnect the WhatsApp account in Settings → WhatsApp.", False, None),
    1: ("WhatsApp had a problem", "WhatsApp's servers failed unexpectedly.", "Retarget the failed recipients later.",
        True, 1),
    2: ("WhatsApp is unavailable", "WhatsApp was temporarily down or overloaded.",
        "Retarget the failed recipients in a few minutes.", True, 1),
    4: ("Too many API calls", "The app made too many requests to WhatsApp.", "Wait a little and retarget.", True, 1),
    10: ("Permission missing", "The connected account lacks a permission this send needs.",
         "Reconnect the number with Embedded Signup and grant every permission.", False, None),
    100: ("Invalid request", "WhatsApp refused a parameter of the message.",
          "Check the template's mapping; fix the campaign and retarget.", False, None),
    190: ("Access token expired", "The WhatsApp access token is no longer valid.",
          "Reconnect the WhatsApp account in Settings → WhatsApp, then resume.", False, None),
    200: ("Permission denied", "The app is not allowed to act for this account.",
          "Reconnect the WhatsApp account and grant the permissions.", False, None),
    368: ("Account restricted", "Meta temporarily blocked the account for a policy violation.",
          "Read Meta's notice in WhatsApp Manager; resume once the block ends.", False, None),
    130429: ("Throughput limit", "The number sent faster than Meta allows (80 messages a second, or 1,000).",
             "Nothing: ConvoNest slows down and retries by itself.", True, 0),
    130472: ("Part of Meta's experiment", "Meta held the message back as part of a marketing experiment.",
             "Nothing to fix; the person may get later messages.", False, None),
    131000: ("Something went wrong", "WhatsApp failed to send for an unknown reason.", "Retarget the failed later.",
             True, 1),
    131005: ("Access denied", "The token lacks permission to send from this number.",
             "Reconnect the number with Embedded Signup.", False, None),
    131008: ("Parameter missing", "A required part of the message was missing.",
             "Check the template's mapping fills every variable.", False, None),
    131009: ("Parameter value invalid", "A value in the message is not valid (e.g. a link or a media id).",
             "Check the template's mapping and media.", False, None),
    131016: ("Service unavailable", "WhatsApp was temporarily unavailable.", "Retarget the failed later.", True, 1),
    131021: ("Sending to yourself", "The recipient is the sending number itself.",
             "Remove the business's own number from the audience.", False, None),
    131026: ("Not on WhatsApp", "This number can't receive WhatsApp messages (not a WhatsApp user, an old app, or "
                                "they haven't accepted the latest terms).",
             "Reach them another way; ConvoNest leaves them out of campaigns for 30 days.", False, None),
    131031: ("Account locked", "Meta locked the business account (policy or verification).",
             "Check WhatsApp Manager for Meta's reason, then resume.", False, None),
    131037: ("Display name not approved", "The number's display name is not approved yet.",
             "Wait for Meta to approve the display name, then resume.", False, None),
    131042: ("Payment problem", "Meta could not charge the account's payment method.",
             "Fix the payment method in Meta's Business settings, then resume.", False, None),
    131045: ("Number not registered", "The number's certificate or registration is incomplete.",
             "Register the number again in Settings → WhatsApp.", False, None),
    131047: ("Outside the 24-hour window", "Only templates may be sent more than 24 hours after the customer's last "
                                           "message.", "Send a template.", False, None),
    131048: ("Spam rate limit", "Too many people blocked or reported the number's recent messages, so Meta limits "
                                "it.", "Pause marketing, improve the template's relevance and audience, check quality "
                                       "in WhatsApp Manager.", False, None),
    131049: ("Meta's per-person marketing limit", "Meta didn't deliver it to keep the person's inbox healthy: they "
                                                   "got many marketing messages lately (US numbers can't receive "
                                                   "marketing templates at all).",
             "Retarget them after at least 24 hours; don't retry sooner.", True, 24),
    131050: ("Stopped marketing messages", "The person chose to stop marketing messages from the business in "
                                           "WhatsApp.", "Respect it; they can turn them back on in WhatsApp.",
             False, None),
    131051: ("Unsupported message type", "This kind of message can't be sent.", "Use another template.", False,
             None),
    131052: ("Media download failed", "WhatsApp could not download the header's media.",
             "Check the media link works publicly, then retarget.", True, 1),
    131053: ("Media upload failed", "The header's media is of an unsupported type or too large.",
             "Use a supported file (JPEG/PNG image, MP4 video, PDF) within Meta's size limits.", False, None),
    131056: ("Too many messages to one person", "This number messaged the same person too often in a short time.",
             "Nothing: ConvoNest waits and retries that person.", True, 0),
    131057: ("Account in maintenance", "The number is being upgraded (e.g. its throughput).",
             "Nothing: it lasts a minute or so; retarget the failed.", True, 1),
    132000: ("Wrong number of variables", "The values sent don't match the template's variables.",
             "Sync the templates and fix the mapping.", False, None),
    132001: ("Template not found", "The template doesn't exist in this language (deleted, or not approved yet).",
             "Sync the templates; pick an approved one.", False, None),
    132005: ("Text too long", "A variable's value made the message longer than WhatsApp allows.",
             "Shorten the values the mapping inserts.", False, None),
    132007: ("Template content policy", "The filled-in message breaks WhatsApp's content policy.",
             "Change the values or the template.", False, None),
    132012: ("Variable format mismatch", "A variable's value doesn't fit its type (e.g. a currency or a date).",
             "Fix the mapping's values.", False, None),
    132015: ("Template paused", "Meta paused the template because of low quality (people blocked or reported it).",
             "Edit the template or use another; ConvoNest paused the campaign.", False, None),
    132016: ("Template disabled", "Meta disabled the template for repeated low quality.",
             "Create a new template; ConvoNest paused the campaign.", False, None),
    132068: ("Flow blocked", "The template's Flow is blocked.", "Fix the Flow in WhatsApp Manager.", False, None),
    132069: ("Flow throttled", "The template's Flow is being throttled.", "Retarget later.", True, 1),
    133010: ("Number not registered", "The number is not registered on the Cloud API.",
             "Register it in Settings → WhatsApp, then resume.", False, None),
    135000: ("Generic user error", "WhatsApp refused the message for an unspecified reason.",
             "Check the template and values; contact support if it persists.", False, None),
}
KNOWN_CODES = tuple(_CODES)

_SKIPS: dict[str, tuple[str, str, str, bool]] = {
    "opted_out": ("Opted out", "The person opted out of this template's category after the campaign started.",
                  "Nothing: their choice is respected.", False),
    "erased": ("Erased", "The contact was erased or deleted after the campaign started.", "Nothing.", False),
    "mapping": ("A variable can't be filled", "The mapping reads a field this contact doesn't have and gives no "
                                              "fallback.", "Add a fallback to the mapping or fill the field, then "
                                                           "retarget.", False),
    "plan_limit": ("Plan limit", "The plan's messages for this month ran out.",
                   "Upgrade in Settings → Billing, then resume.", True),
    "template_unavailable": ("Template unavailable", "The template was paused, disabled or deleted.",
                             "Use another template.", False),
    "cancelled": ("Cancelled", "The campaign was cancelled before this person's turn.", "Nothing.", False),
}


def explain(code: int | None, title: str = "") -> Explanation:
    """The explanation of Meta's `code`; an unknown code keeps Meta's own title."""
    known = _CODES.get(code) if code is not None else None
    if known is None:
        return Explanation(code, title or "Not sent", "WhatsApp refused the message"
                           + (f" ({title})." if title else "."),
                           "Check the template and the number's health in WhatsApp Manager.", False, None)
    label, explanation, action, retryable, hours = known
    return Explanation(code, label, explanation, action, retryable, hours)


def explain_skip(reason: str) -> Explanation:
    label, explanation, action, retryable = _SKIPS.get(reason, ("Not sent", "ConvoNest did not send it.",
                                                                "Check the contact.", False))
    return Explanation(reason, label, explanation, action, retryable, None)
