"""The life of a message: accept a send (limits, window, template), emit its statuses
(sent -> delivered -> read, or failed with errors), take the customer's messages in, mark reads.
"""
from __future__ import annotations

import hashlib
import threading

from .errors import GraphError, invalid, missing, webhook_error
from .state import Message, PhoneNumber, SandboxState, Template
from .stats import Stats
from .templates import Renderer
from .validation import media_kind_matches, validate_message
from .webhooks import Dispatcher, Item

STATUS_ORDER = {"accepted": 0, "sent": 1, "delivered": 2, "read": 3, "played": 4}


class Buckets:
    """Token buckets: per number at its msgs/sec (130429) and per (number, user) pair (131056)."""

    def __init__(self, state: SandboxState):
        self.state = state
        self.lock = threading.Lock()
        self.numbers: dict[str, tuple[float, float]] = {}  # id -> (tokens, at)
        self.pairs: dict[tuple[str, str], tuple[float, float]] = {}

    @staticmethod
    def _take(table: dict, key, capacity: float, rate: float, now: float) -> bool:
        tokens, at = table.get(key, (capacity, now))
        tokens = min(capacity, tokens + max(0.0, now - at) * rate)
        if tokens < 1.0:
            table[key] = (tokens, now)
            return False
        table[key] = (tokens - 1.0, now)
        return True

    def take_number(self, number: PhoneNumber) -> bool:
        mps = max(1, number.mps)
        with self.lock:
            return self._take(self.numbers, number.id, float(mps), float(mps), self.state.now())

    def take_pair(self, number_id: str, wa_id: str) -> bool:
        config = self.state.config
        with self.lock:
            if len(self.pairs) > 200_000:
                self.pairs.clear()
            return self._take(self.pairs, (number_id, wa_id), float(config.pair_burst),
                              1.0 / max(0.001, config.pair_interval_s), self.state.now())

    def reset(self) -> None:
        with self.lock:
            self.numbers.clear()
            self.pairs.clear()


class Messaging:
    def __init__(self, state: SandboxState, dispatcher: Dispatcher, stats: Stats | None = None):
        self.state = state
        self.dispatcher = dispatcher
        self.buckets = Buckets(state)
        self.stats = stats if stats is not None else Stats()
        self.calling = None  # the Sandbox sets its Calling (which answers permission requests through us)

    # --- business -> customer -----------------------------------------------------------------------
    def send(self, number: PhoneNumber, body) -> dict:
        state = self.state
        if not isinstance(body, dict):
            raise GraphError(100, "The request body must be a JSON object.")
        if body.get("status") is not None:
            return self.mark_read(number, body)
        out = validate_message(body)
        if not number.registered:
            raise GraphError(133010, f"Phone number {number.id} is not registered for the Cloud API: call "
                                     "POST /{phone-number-id}/register first.")
        template, rendered = None, None
        if out.type == "template":
            template, rendered = self._template(number, body["template"])
        if out.to is not None:
            wa_id = out.to
        else:
            business_id = state.business_of_number(number)
            customer = state.customer_by_bsuid(out.recipient, business_id)
            if customer is None:
                raise invalid("recipient", "no WhatsApp user with this business-scoped user id")
            wa_id = customer.wa_id
            if template is not None and template.category == "AUTHENTICATION":
                raise GraphError(131062, "Authentication templates can't be sent to a business-scoped user id.")
        if wa_id == number.digits:
            raise GraphError(131021, "The recipient is the sending phone number.")
        for path, _kind, media_id in out.media:
            media = state.media.get(media_id)
            if media is None:
                raise invalid(path, "no media with this id")
        if not self.buckets.take_number(number):
            raise GraphError(130429, "Cloud API message throughput has been reached "
                                     f"({number.mps} messages per second for this phone number).",
                             subcode=2494055)
        if not self.buckets.take_pair(number.id, wa_id):
            raise GraphError(131056, "Message failed to send because there were too many messages sent from this "
                                     "phone number to the same phone number in a short period of time.")
        if self.calling is not None and (body.get("interactive") or {}).get("type") == "call_permission_request":
            self.calling.on_permission_request(number, wa_id)  # 138017, 138009
        customer = state.ensure_customer(wa_id)
        now = state.now()
        message = Message(id=state.new_wamid(wa_id), direction="out", phone_number_id=number.id, wa_id=wa_id,
                          type=out.type, payload=body, timestamp=now,
                          biz_opaque_callback_data=out.biz_opaque_callback_data,
                          category=template.category.lower() if template else "service", rendered=rendered,
                          context_id=out.context_id)
        state.add_message(message)
        self.stats.send_accepted(number.id, message.biz_opaque_callback_data)
        failure = self._failure(number, message, out, customer.undeliverable, template)
        if failure is not None:
            self._fail(message, *failure)
        else:
            if out.type == "reaction":
                self._react(number, message, body["reaction"])
            self.set_status(message, "sent")
            if out.type != "reaction":  # reactions only ever get `sent` (reference §2.7)
                wamid = message.id
                self.dispatcher.schedule(state.config.delivery_delay_ms / 1000,
                                         lambda: self.set_status_by_id(wamid, "delivered"))
                self._customer_engages(number, message)
        result: dict = {"messaging_product": "whatsapp",
                        "contacts": [{"input": out.to_input if out.to else out.recipient, "wa_id": wa_id}],
                        "messages": [{"id": message.id}]}
        if out.recipient and out.to is None:
            result["contacts"][0]["user_id"] = out.recipient
        if template is not None:
            result["messages"][0]["message_status"] = "accepted"
        return result

    def _template(self, number: PhoneNumber, payload: dict) -> tuple[Template, dict]:
        state = self.state
        name, code = payload["name"], payload["language"]["code"]
        with state.lock:
            same_name = [t for t in state.templates_of(number.waba_id) if t.name == name]
        match = next((t for t in same_name if t.language == code), None)
        if match is None:
            raise GraphError(132001, f"template name ({name}) does not exist in {code}")
        if match.status == "PAUSED":
            raise GraphError(132015, f"template {name} ({code}) is paused")
        if match.status == "DISABLED":
            raise GraphError(132016, f"template {name} ({code}) is disabled")
        if match.status != "APPROVED":
            raise GraphError(132001, f"template name ({name}) is not approved in {code} (status {match.status})")
        rendered = Renderer(match, state.media.get).render(payload.get("components"))
        rendered["name"] = name
        rendered["language"] = code
        return match, rendered

    def _failure(self, number, message: Message, out, undeliverable: bool, template) -> tuple[int, str] | None:
        state = self.state
        if undeliverable:
            return 131026, "Message undeliverable: the recipient is not a WhatsApp user (sandbox rule)."
        if template is None and not state.window_open(number.id, message.wa_id):
            return 131047, ("Message failed to send because more than 24 hours have passed since the customer "
                            "last replied to this number.")
        for _path, kind, media_id in out.media:
            media = state.media.get(media_id)
            if media is not None and not media_kind_matches(kind, media.mime_type):
                return 131053, f"Media {media_id} is {media.mime_type}, which can't be sent as {kind}."
        if out.reaction_target:
            target = state.messages.get(out.reaction_target)
            if target is None or target.phone_number_id != number.id or target.type == "reaction" \
                    or state.now() - target.timestamp > 30 * 86400:
                return 131009, f"The message {out.reaction_target} to react to does not exist, is too old or is " \
                               "itself a reaction."
        return None

    def _react(self, number: PhoneNumber, message: Message, reaction: dict) -> None:
        target = self.state.messages.get(reaction["message_id"])
        if target is not None:
            with self.state.lock:
                if reaction.get("emoji"):
                    target.reactions["business"] = reaction["emoji"]
                else:
                    target.reactions.pop("business", None)

    def _customer_engages(self, number: PhoneNumber, message: Message) -> None:
        """What a simulated customer does with a delivered message (`read_share`, `reply_share`): opens it after a
        while, and answers some. Which ones is decided by the message's id, not by chance."""
        config = self.state.config
        wamid, wa_id = message.id, message.wa_id
        if config.read_share <= 0 or _share(wamid, "read") >= config.read_share:
            return
        read_after = (config.delivery_delay_ms + config.read_delay_ms * (0.5 + _share(wamid, "delay"))) / 1000
        answers = _share(wamid, "reply") < config.reply_share

        def read() -> None:
            if self.set_status_by_id(wamid, "read") and answers:
                self.dispatcher.schedule(config.reply_delay_ms / 1000, lambda: self.inbound(
                    number, wa_id, {"type": "text", "text": {"body": "Thanks, got it!"}}, context_id=wamid))

        self.dispatcher.schedule(read_after, read)

    # --- statuses -----------------------------------------------------------------------------------
    def set_status_by_id(self, wamid: str, status: str) -> bool:
        message = self.state.messages.get(wamid)
        return message is not None and self.set_status(message, status)

    def set_status(self, message: Message, status: str) -> bool:
        """Move an outbound message forward (never back) and emit the status webhook."""
        state = self.state
        with state.lock:
            if message.status == "failed" or STATUS_ORDER.get(status, -1) <= STATUS_ORDER.get(message.status, -1):
                return False
            if status == "read" and message.type == "reaction":
                return False
            message.status = status
            now = state.now()
            message.statuses.append({"status": status, "timestamp": now})
            state.dirty = True
        number = state.numbers.get(message.phone_number_id)
        if number is None:
            return True
        status_obj = {"id": message.id, "status": status, "timestamp": str(int(now)), "recipient_id": message.wa_id}
        if message.biz_opaque_callback_data is not None:
            status_obj["biz_opaque_callback_data"] = message.biz_opaque_callback_data
        conversation_id, expires = state.conversation(number.id, message.wa_id, message.category)
        conversation = {"id": conversation_id}
        if status == "sent":
            conversation["expiration_timestamp"] = str(int(expires))
        conversation["origin"] = {"type": message.category}
        status_obj["conversation"] = conversation
        status_obj["pricing"] = {"billable": self._billable(number, message), "pricing_model": "PMP",
                                 "category": message.category}
        self._emit_status(number, message, status_obj)
        return True

    def _billable(self, number: PhoneNumber, message: Message) -> bool:
        if message.category == "service":
            return False
        if message.category == "utility":
            return not self.state.window_open(number.id, message.wa_id)
        return True

    def _fail(self, message: Message, code: int, details: str) -> None:
        state = self.state
        with state.lock:
            message.status = "failed"
            now = state.now()
            error = webhook_error(code, details)
            message.errors = [error]
            message.statuses.append({"status": "failed", "timestamp": now, "code": code})
        number = state.numbers[message.phone_number_id]
        status_obj = {"id": message.id, "status": "failed", "timestamp": str(int(now)),
                      "recipient_id": message.wa_id}
        if message.biz_opaque_callback_data is not None:
            status_obj["biz_opaque_callback_data"] = message.biz_opaque_callback_data
        status_obj["errors"] = [error]
        self._emit_status(number, message, status_obj)

    def fail(self, message: Message, code: int, details: str = "") -> bool:
        """Control API: fail a message that has not been delivered yet."""
        if message.direction != "out" or message.status in ("delivered", "read", "failed"):
            return False
        self._fail(message, code, details or webhook_error(code, "")["title"])
        return True

    def _emit_status(self, number: PhoneNumber, message: Message, status_obj: dict) -> None:
        errors = status_obj.get("errors")
        self.stats.status_emitted(status_obj["status"], errors[0]["code"] if errors else None)
        self.dispatcher.enqueue(Item(field="messages", waba_id=number.waba_id, phone_number_id=number.id,
                                     status=status_obj, contact=self.state.contact_for(number, message.wa_id)))

    def customer_read(self, number: PhoneNumber, wa_id: str, up_to: str | None = None) -> int:
        """The customer opened the chat: every business message not yet read becomes read."""
        count = 0
        for message in self.state.chat(number.id, wa_id):
            if message.direction == "out" and message.status in ("accepted", "sent", "delivered") \
                    and message.type != "reaction":
                count += self.set_status(message, "read")
            if up_to and message.id == up_to:
                break
        return count

    # --- mark as read / typing (business reads the customer's message) ------------------------------
    def mark_read(self, number: PhoneNumber, body: dict) -> dict:
        if body.get("messaging_product") is None:
            raise missing("messaging_product")
        if body["messaging_product"] != "whatsapp":
            raise invalid("messaging_product", "must be \"whatsapp\"")
        if body.get("status") != "read":
            raise invalid("status", "must be \"read\"")
        for key in body:
            if key not in ("messaging_product", "status", "message_id", "typing_indicator", "recipient_type"):
                raise GraphError(100, f"Unexpected key \"{key}\" on param \"message\".")
        message_id = body.get("message_id")
        if not message_id:
            raise missing("message_id")
        if not isinstance(message_id, str):
            raise GraphError(100, "Parameter 'message_id' must be a string")
        typing = body.get("typing_indicator")
        if typing is not None:
            if not isinstance(typing, dict):
                raise GraphError(100, "Parameter 'typing_indicator' must be an object")
            if typing.get("type") != "text":
                raise invalid("typing_indicator.type", "must be \"text\"")
        state = self.state
        target = state.messages.get(message_id)
        if target is None or target.direction != "in" or target.phone_number_id != number.id:
            raise invalid("message_id", "no message from a customer to this phone number has this id")
        if not self.buckets.take_number(number):
            raise GraphError(130429, f"Cloud API message throughput has been reached ({number.mps} messages per "
                                     "second for this phone number).", subcode=2494055)
        with state.lock:
            # Marking one message read also marks the earlier ones of the thread (reference §3).
            for message in state.chat(number.id, target.wa_id):
                if message.direction == "in" and message.status != "read":
                    message.status = "read"
                if message.id == target.id:
                    break
            if typing is not None:
                state.typing[(number.id, target.wa_id)] = state.now() + 25
            state.dirty = True
        return {"success": True}

    # --- customer -> business -----------------------------------------------------------------------
    def inbound(self, number: PhoneNumber, wa_id: str, message_obj: dict, context_id: str | None = None) -> Message:
        """Store a customer's message, open the window, and emit the `messages` webhook.

        `message_obj` holds the type and its object; `from`, `id`, `timestamp` and `context` are added here.
        """
        state = self.state
        state.ensure_customer(wa_id)
        now = state.now()
        wamid = state.new_wamid(wa_id)
        msg: dict = {}
        context = message_obj.pop("context", None)
        if context_id:
            target = state.messages.get(context_id)
            if target is None or target.phone_number_id != number.id:
                raise ValueError(f"context.message_id {context_id} is not a message of this chat")
            context = {"from": number.digits if target.direction == "out" else target.wa_id, "id": context_id}
        if context:
            msg["context"] = context
        msg.update({"from": wa_id, "id": wamid, "timestamp": str(int(now))})
        msg.update(message_obj)
        message = Message(id=wamid, direction="in", phone_number_id=number.id, wa_id=wa_id, type=msg["type"],
                          payload=msg, timestamp=now, status="received", context_id=context_id)
        state.add_message(message)
        state.open_window(number.id, wa_id, now)
        with state.lock:
            state.typing.pop((number.id, wa_id), None)
        if msg["type"] == "reaction":
            target = state.messages.get(msg["reaction"]["message_id"])
            if target is not None:
                with state.lock:
                    if msg["reaction"].get("emoji"):
                        target.reactions["customer"] = msg["reaction"]["emoji"]
                    else:
                        target.reactions.pop("customer", None)
        contact = state.contact_for(number, wa_id)
        self.dispatcher.enqueue(Item(field="messages", waba_id=number.waba_id, phone_number_id=number.id,
                                     message=msg, contact=contact))
        return message


def _share(wamid: str, purpose: str) -> float:
    """A number in [0, 1) fixed by the message id: the same message is read (or answered) however often it is asked."""
    return int.from_bytes(hashlib.blake2b(f"{purpose}:{wamid}".encode(), digest_size=8).digest(), "big") / 2**64
