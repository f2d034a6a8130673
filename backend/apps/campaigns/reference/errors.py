"""What a failed or skipped campaign message means, in words a shop owner understands, and what to do.

The campaign report groups failures by Meta's error code (`failures: [{code, title, explanation, action,
retryable, count}]`); `explain(code, title)` gives everything but the count. Sources: Meta's error-code list as
summarised in the offline reference (whatsapp-cloud-api.md §8.2, §5.6 template pausing, §8.4 messaging limits,
§10.19 the US marketing block). Whether the send path retries a code is decided elsewhere
(apps.whatsapp.errors.RETRY_TABLE, seconds); this is about people, over hours.

`retryable` answers "is a retarget of these recipients worth it?" (the retarget stage "failed_retryable"):
True when the cause passes with time (`retry_after_hours` is the least wait that makes sense) or is on the
business's side and `action` says how to fix it first; False when the cause is the recipient (not on WhatsApp,
opted out, in Meta's experiment), where sending again fails again or goes against their wishes.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Explanation:
    code: int | None
    title: str  # Meta's title when it gave one, else ours
    explanation: str  # what happened, one or two sentences
    action: str  # what to do about it
    retryable: bool  # worth retargeting (after the action, or after retry_after_hours)
    retry_after_hours: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class _Entry:
    title: str
    explanation: str
    action: str
    retryable: bool
    retry_after_hours: int | None = None


# Actions read well in both places they appear: the report of failed recipients, and the reason the dispatcher
# gives when such an error pauses the whole campaign ("WhatsApp answered 131042 (title). action").
_THEN = "then resume the campaign, or retarget the recipients that failed"
_RECONNECT = f"Reconnect your WhatsApp number under Settings → WhatsApp, granting every permission asked for; {_THEN}."
_LATER = "Nothing to fix on your side: retarget the failed recipients in an hour or so."

_ACCESS_LOST = _Entry(
    "Authentication failed",
    "WhatsApp no longer accepts ConvoNest's access to your WhatsApp Business account: it expired or was removed.",
    _RECONNECT, True)
_META_DOWN = _Entry(
    "Service unavailable",
    "WhatsApp had a temporary problem on its side and did not send the message.",
    _LATER, True, 1)
_PERMISSION = _Entry(
    "Permission error",
    "ConvoNest's access to your WhatsApp account is missing a permission it needs to send messages.",
    _RECONNECT, True)
_TEMPLATE_PROBLEM = _Entry(
    "Template problem",
    "WhatsApp refused the message because of a problem with the template or the values put into it.",
    "Check the template's status and the campaign's variable mapping, fix what is wrong, then retarget.", True)
_REGISTRATION = _Entry(
    "Number registration problem",
    "Your WhatsApp number is not (or no longer) properly registered with WhatsApp, so it can't send.",
    f"Finish or repeat the number's registration under Settings → WhatsApp, {_THEN}.", True)

CODES: dict[int, _Entry] = {
    0: _ACCESS_LOST,
    190: _Entry("Access token has expired", _ACCESS_LOST.explanation, _RECONNECT, True),
    1: _Entry("API unknown error", _META_DOWN.explanation, _LATER, True, 1),
    2: _Entry("API service unavailable", _META_DOWN.explanation, _LATER, True, 1),
    3: _Entry("API method not available",
              "The WhatsApp app ConvoNest uses lacks a capability this send needs.",
              "Contact ConvoNest support: the app's permissions need checking.", True),
    4: _Entry("Too many calls",
              "Too many requests reached WhatsApp from this app in a short time, so it turned some away.",
              _LATER, True, 1),
    10: _Entry("Permission denied",
               "ConvoNest does not have permission to send for this WhatsApp account: it was never granted or "
               "has been withdrawn.", _RECONNECT, True),
    100: _Entry("Invalid parameter",
                "WhatsApp refused the message because part of it was invalid, for example a variable's value that "
                "is too long or in the wrong form.",
                "Look at Meta's details in the recipient table, correct the contact data or the variable mapping, "
                "then retarget.", True),
    200: _PERMISSION,
    368: _Entry("Temporarily blocked for policies violations",
                "Meta has temporarily blocked your account from sending because of a WhatsApp policy violation.",
                "See Account quality in WhatsApp Manager for the reason and when the block ends (you can appeal "
                f"there); once it is lifted, {_THEN}.", True),
    80007: _Entry("Rate limit issues",
                  "Your WhatsApp Business account made too many requests in a short time.", _LATER, True, 1),
    130429: _Entry("Rate limit hit",
                   "Messages went out faster than your number's WhatsApp sending speed allows.",
                   "Nothing to fix: ConvoNest slows down by itself. Retarget the failed recipients.", True, 1),
    130472: _Entry("User's number is part of an experiment",
                   "Meta held this marketing message back because the recipient is in a Meta experiment that limits "
                   "the marketing messages they receive.",
                   "Nothing to do; don't resend to these people for now.", False),
    130497: _Entry("Business account is restricted from messaging users in this country",
                   "Your WhatsApp account may not send messages to people in this recipient's country.",
                   "Leave these recipients out of your campaigns; Meta support can say whether the restriction "
                   "can be lifted.", False),
    131000: _Entry("Something went wrong",
                   "WhatsApp failed to send the message because of an unexpected problem on its side.",
                   _LATER, True, 1),
    131005: _Entry("Access denied",
                   "WhatsApp refused the request: ConvoNest's permission to send for this number was not granted or "
                   "was removed.", _RECONNECT, True),
    131008: _Entry("Required parameter is missing",
                   "The message lacked something WhatsApp requires, usually a template variable left empty.",
                   "Give every template variable a value or a fallback in the campaign's mapping, then retarget.",
                   True),
    131009: _Entry("Parameter value is not valid",
                   "One of the values in the message is not valid for WhatsApp, for example a button link or a "
                   "phone number in the wrong form.",
                   "Check the mapped values for these recipients, correct them, then retarget.", True),
    131016: _Entry("Service unavailable", _META_DOWN.explanation, _LATER, True, 1),
    131021: _Entry("Recipient cannot be sender",
                   "The recipient is the very WhatsApp number the campaign sends from.",
                   "Leave your own number out of the audience.", False),
    131026: _Entry("Message undeliverable",
                   "WhatsApp could not deliver to this person: the number may not use WhatsApp, may have an old "
                   "version of the app, or hasn't accepted WhatsApp's latest terms.",
                   "Check the number with the customer; resending won't help until that changes.", False),
    131031: _Entry("Account has been locked",
                   "Meta locked your WhatsApp Business account, usually because of a policy violation or a "
                   "two-step verification problem.",
                   f"Open WhatsApp Manager to see why and ask for a review; once the account is unlocked, {_THEN}.",
                   True),
    131037: _Entry("WhatsApp provided number needs display name approval before message can be sent",
                   "Your number's display name hasn't been approved yet, and until it is the number can't send.",
                   "Wait for the display name's approval in WhatsApp Manager (or correct it and submit it again), "
                   "then retarget.", True),
    131042: _Entry("Business eligibility payment issue",
                   "The message wasn't sent because of a billing problem on your WhatsApp account: no valid payment "
                   "method, an unpaid balance or a reached credit limit.",
                   f"Fix the payment method in WhatsApp Manager → Billing, {_THEN}.", True),
    131045: _Entry("Incorrect certificate",
                   "Your number isn't properly registered with WhatsApp, so messages from it are refused.",
                   _REGISTRATION.action, True),
    131047: _Entry("Re-engagement message",
                   "More than 24 hours have passed since this person last wrote to you; outside that window only an "
                   "approved template may be sent.",
                   "Send them an approved template (a campaign always does): retarget them.", True),
    131048: _Entry("Spam rate limit hit",
                   "WhatsApp limited your number because many people recently blocked or reported your messages.",
                   "Check your number's quality rating, send only to people who asked for your messages, and wait "
                   "at least a day before retargeting.", True, 24),
    131049: _Entry("This message was not delivered to maintain healthy ecosystem engagement",
                   "Meta chose not to deliver this marketing message, to stop people getting too many; it also "
                   "delivers no marketing messages at all to US (+1) numbers.",
                   "Wait at least a day before retargeting, and make the message more relevant; don't retarget US "
                   "numbers with marketing.", True, 24),
    131050: _Entry("Unable to deliver the message. This recipient has chosen to stop receiving marketing messages "
                   "on WhatsApp from your business",
                   "This person turned off marketing messages from your business in WhatsApp.",
                   "Respect their choice: don't send them marketing. They can turn it back on themselves.", False),
    131051: _Entry("Unsupported message type",
                   "WhatsApp does not support this kind of message.",
                   "Use another template, then retarget.", True),
    131052: _Entry("Media download error",
                   "WhatsApp could not download a file the customer sent.",
                   "Ask the customer to send the file again.", False),
    131053: _Entry("Media upload error",
                   "WhatsApp couldn't use the image, video or document in the template's header: unsupported type, "
                   "a damaged file or too large.",
                   "Replace the header file with a supported one (a JPEG or PNG image, an MP4 video, a PDF), then "
                   "retarget.", True),
    131056: _Entry("(Business Account, Consumer Account) pair rate limit hit",
                   "Too many messages went to this same person in a short time.",
                   "Nothing to fix for the others; retarget this person later.", True, 1),
    131057: _Entry("Account in maintenance mode",
                   "Your WhatsApp account was briefly under maintenance (for example while Meta raised its sending "
                   "speed).", _LATER, True, 1),
    131062: _Entry("Business-scoped user ID recipients not supported for authentication templates",
                   "This person is known only by their WhatsApp username, and login-code templates can only go to "
                   "a phone number.",
                   "Ask the customer for their phone number, or send them another kind of template.", False),
    131063: _Entry("Marketing templates disabled",
                   "Marketing templates are switched off for your WhatsApp account on the Cloud API.",
                   "Turn marketing messages back on in WhatsApp Manager (or ask Meta support), then retarget.", True),
    132000: _Entry("Number of parameters does not match the expected number of params",
                   "The message carried a different number of variables than the template has (the template may "
                   "have changed since the campaign was set up).",
                   "Map every variable of the template in the campaign, then retarget.", True),
    132001: _Entry("Template name does not exist in the translation",
                   "The template doesn't exist in this language or isn't approved: it may have been deleted, "
                   "renamed or rejected.",
                   "Check the template under Templates (sync them), and send an approved one: retarget the "
                   "recipients with it.", True),
    132005: _Entry("Translated text too long",
                   "With the variables filled in, the message became longer than WhatsApp allows.",
                   "Shorten the values put into the variables (or the template itself), then retarget.", True),
    132007: _Entry("Format character policy violated",
                   "The filled-in message broke WhatsApp's rules, for example line breaks, tabs or more than four "
                   "spaces in a row inside a variable, or content its policy doesn't allow.",
                   "Remove line breaks, tabs and runs of spaces from the variable values, then retarget.", True),
    132012: _Entry("Parameter format does not match format in the created template",
                   "A variable's value doesn't match what the template expects, for example text where it expects "
                   "a date or an amount, or numbered variables where it has named ones.",
                   "Correct the variable mapping to match the template, then retarget.", True),
    132015: _Entry("Template is paused",
                   "Meta paused the template because of its low quality (people blocked or reported it).",
                   "A pause lasts 3 hours the first time and 6 the second; after it, or after improving the "
                   f"template, {_THEN}.", True, 3),
    132016: _Entry("Template is disabled",
                   "Meta disabled the template for good after repeated quality problems.",
                   "Create a new template with different content, get it approved, and retarget with it.", True),
    132068: _Entry("Flow is in blocked state",
                   "The WhatsApp Flow in this template is blocked, so the message can't be sent.",
                   "Fix the Flow in WhatsApp Manager, then retarget.", True),
    132069: _Entry("Flow is in throttled state",
                   "The WhatsApp Flow in this template is limited to 10 messages an hour because of problems with it.",
                   "Fix the Flow in WhatsApp Manager; retarget after an hour at the earliest.", True, 1),
    133010: _Entry("Phone number not registered",
                   "Your WhatsApp number isn't registered with the WhatsApp Cloud API, so it can't send.",
                   _REGISTRATION.action, True),
    135000: _Entry("Generic user error",
                   "WhatsApp refused the message because of an unexpected problem with its content.",
                   "Check the template and the values put into it; contact ConvoNest support if it keeps happening.",
                   True),
    137000: _Entry("Identity key mismatch",
                   "This person's WhatsApp identity changed (for example a new phone), so for their safety the "
                   "message was not delivered.",
                   "Confirm the number with the customer before sending again.", False),
    2494100: _Entry("Phone number in maintenance mode",
                    "Your WhatsApp number was briefly under maintenance.", _LATER, True, 1),
}

# Every code with an explanation of its own (a retarget's SQL lists the retryable ones). Codes explained by their
# range below (a 2xx permission error, an unlisted 132xxx template error) are not in it.
KNOWN_CODES: tuple[int, ...] = tuple(sorted(CODES))

_RANGES: tuple[tuple[int, int, _Entry], ...] = (
    (200, 299, _PERMISSION),
    (132000, 132999, _TEMPLATE_PROBLEM),
    (133000, 133999, _REGISTRATION),
)

_NO_CODE = _Entry(
    "Not sent",
    "The message could not be handed to WhatsApp, and WhatsApp gave no error code (for example it did not "
    "answer in time).",
    "Retarget the failed recipients later; if many fail like this, check the number under Settings → WhatsApp.",
    True, 1)


def explain(code: int | None, title: str = "") -> Explanation:
    """The explanation of one of Meta's error codes. `title` is Meta's (from the status webhook or the error
    response); it is kept when given, so the report shows Meta's own words next to ours."""
    if code is None:
        return _explanation(None, _NO_CODE, title)
    entry = CODES.get(code)
    if entry is None:
        entry = next((entry for low, high, entry in _RANGES if low <= code <= high), None)
    if entry is None:
        return Explanation(
            code=code,
            title=title or f"Error {code}",
            explanation=f"WhatsApp refused the message with error {code}"
                        + (f": “{title}”." if title else ".") + " ConvoNest has no plainer explanation of it yet.",
            action=f"Look up code {code} in Meta's WhatsApp error codes, or ask ConvoNest support.",
            retryable=False,
        )
    return _explanation(code, entry, title)


def _explanation(code: int | None, entry: _Entry, title: str) -> Explanation:
    return Explanation(code, title or entry.title, entry.explanation, entry.action, entry.retryable,
                       entry.retry_after_hours)


# Recipients we did not send to (CampaignRecipient.skip_reason), decided before anything reached Meta.
SKIP_REASONS: dict[str, _Entry] = {
    "opted_out": _Entry(
        "Opted out",
        "This person opted out of this kind of message after the campaign was set up, so it was not sent.",
        "Nothing to do: their choice is respected. They are sent to again only if they opt back in.", False),
    "erased": _Entry(
        "Contact erased",
        "This contact's personal data was erased while the campaign was running, so there was no one to send to.",
        "Nothing to do.", False),
    "mapping": _Entry(
        "Missing variable",
        "A template variable had no value for this contact and no fallback, so the message could not be "
        "completed.",
        "Fill in the contact's missing field or give the variable a fallback in the mapping, then retarget.", True),
    "plan_limit": _Entry(
        "Plan limit reached",
        "Your ConvoNest plan's message allowance ran out before this recipient's turn.",
        "Upgrade your plan (Settings → Billing) or wait for the allowance to renew, then retarget.", True),
    "template_unavailable": _Entry(
        "Template unavailable",
        "The template stopped being usable (paused, disabled or deleted) before this recipient's turn.",
        "Wait until the template is active again or pick another approved one, then retarget.", True),
    "cancelled": _Entry(
        "Cancelled",
        "The campaign was cancelled before this recipient's turn.",
        "Nothing to do; retarget them if you still want to reach them.", True),
}


def explain_skip(reason: str) -> Explanation:
    """Why a recipient was skipped by ConvoNest itself (never sent to Meta): `code` is None."""
    entry = SKIP_REASONS.get(reason) or _Entry(
        reason.replace("_", " ").capitalize() or "Skipped",
        "ConvoNest did not send this message.",
        "Contact ConvoNest support if you need to know more.", False)
    return _explanation(None, entry, "")
