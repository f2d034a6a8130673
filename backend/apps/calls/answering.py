"""An agent's side of a call: answer a customer's call, decline it, hang up; place a call to a customer.

The browser makes the WebRTC side (the SDP answer to a customer's offer, the SDP offer of our call) and posts it
here; we do the signalling with Meta through the Graph client. No database transaction is held across a Graph
call: the state is claimed first (row lock, signalling.act), Meta is asked, then the result is recorded. A
webhook may move the call meanwhile (the caller hung up); the state machine keeps whichever end came first.

Answering is Meta's two steps with the same SDP (reference §9.2): the agent who claims the ringing call
(ringing -> pre_accepted, recorded as its agent) sends `pre_accept`, then `accept`. A second agent gets 409
`call_taken`. If `accept` fails after `pre_accept`, the call stays theirs: posting the same SDP again retries
`accept`; declining it is still possible. Meta gives 30-60 s to answer: a call ringing longer is missed.
"""
from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from apps.calls import permissions
from apps.calls.models import Call, CallSettings
from apps.calls.refusals import meta_refusal, refusal
from apps.calls.services import call_move, publish
from apps.calls.signalling import LIVE, Action, Direction, IllegalAction, Move, Signal, State, act, on_webhook
from apps.contacts.models import Contact
from apps.contacts.selectors import recipient_of
from apps.core.errors import ApplicationError, Conflict
from apps.messaging.conversations import conversation_for
from apps.whatsapp import builders
from apps.whatsapp.client import GraphClient
from apps.whatsapp.errors import BuilderError, GraphError
from apps.whatsapp.models import PhoneNumber
from tenants.members import Capability, Member

RING_TIMEOUT = timedelta(seconds=60)  # Meta ends an unanswered call after 30-60 s


def _sdp(sdp: str) -> str:
    try:
        return builders.check_sdp(sdp, "sdp")
    except BuilderError as exc:
        raise ApplicationError(str(exc), code="validation_error", errors={"sdp": [exc.message]}) from None


def _graph(call: Call, action: str, **kwargs) -> None:
    number = call.phone_number
    if number is None or number.disconnected_at is not None:
        raise ApplicationError("This call's WhatsApp number was disconnected from the business.",
                               code="number_disconnected")
    try:
        GraphClient(number.account.access_token).call_action(number.phone_number_id, call.call_id, action, **kwargs)
    except GraphError as exc:
        raise meta_refusal(exc) from exc


def _state_error(error: IllegalAction) -> Conflict:
    return Conflict(error.reason, code="call_state", errors={"status": [error.state.value]})


def _name(call: Call) -> str:
    agent = call.agent
    if agent is None:
        return "Someone else"
    return " ".join(filter(None, [agent.first_name, getattr(agent, "last_name", "")])) or agent.email


def _locked(call: Call) -> Call:
    # of=("self",): only the call's row is locked (its relations are outer joins PostgreSQL can't lock).
    return Call.objects.select_for_update(of=("self",)).select_related(
        "phone_number__account", "contact", "agent").get(pk=call.pk)


def _rung_out(call: Call) -> bool:
    """A call ringing past Meta's answer time has ended at Meta even if its terminate is late: record it missed."""
    if call.status in (State.RINGING, State.PRE_ACCEPTED) and call.ringing_at and \
            timezone.now() - call.ringing_at > RING_TIMEOUT:
        call_move(call, on_webhook(State(call.status), Signal.RING_TIMEOUT), at=timezone.now())
        return True
    return False


def _record(call: Call, action: Action, **fields) -> Call:
    """After Meta agreed: the action's move, unless a webhook ended the call meanwhile."""
    with transaction.atomic():
        call = _locked(call)
        try:
            state = act(State(call.status), action, Direction(call.direction))
        except IllegalAction:
            return call  # Meta's terminate came first; the call already says how it ended
        for name, value in fields.items():
            setattr(call, name, value)
        call.last_event = action.value
        call_move(call, Move(state, True), at=timezone.now(), fields=[*fields, "last_event"])
        return call


def call_answer(*, actor: Member, call: Call, sdp: str) -> Call:
    """Take a customer's ringing call with the browser's SDP answer: pre_accept, then accept with the same SDP."""
    sdp = _sdp(sdp)
    with transaction.atomic():
        call = _locked(call)
        resuming = call.status == State.PRE_ACCEPTED and call.agent_id == actor.user_id
        if call.status in (State.PRE_ACCEPTED, State.ACCEPTED) and call.agent_id != actor.user_id:
            raise Conflict(f"{_name(call)} answered this call first.", code="call_taken",
                           errors={"agent_id": [str(call.agent_id)]})
        if resuming and sdp != call.sdp_answer:
            raise Conflict("Answer with the same SDP as the first try: WhatsApp requires accept to repeat it.",
                           code="call_state", errors={"sdp": ["Differs from the SDP this call was pre-accepted with."]})
        missed = not resuming and _rung_out(call)
        if not resuming and not missed:
            try:
                state = act(State(call.status), Action.PRE_ACCEPT, Direction(call.direction))
            except IllegalAction as error:
                raise _state_error(error) from None
            call.agent, call.sdp_answer, call.last_event = actor.user, sdp, Action.PRE_ACCEPT.value
            call_move(call, Move(state, True), at=timezone.now(), fields=["agent", "sdp_answer", "last_event"])
    if missed:
        raise Conflict("The caller gave up before anyone answered: the call was missed.", code="call_state",
                       errors={"status": [call.status]})
    if not resuming:
        try:
            _graph(call, "pre_accept", sdp=sdp)
        except ApplicationError:
            _release(call, actor)
            raise
    _graph(call, "accept", sdp=call.sdp_answer)
    return _record(call, Action.ACCEPT, started_at=timezone.now())


def _release(call: Call, actor: Member) -> None:
    """Meta refused pre_accept: the call rings for the others again (unless it ended meanwhile)."""
    with transaction.atomic():
        call = _locked(call)
        if call.status == State.PRE_ACCEPTED and call.agent_id == actor.user_id:
            Call.objects.filter(pk=call.pk).update(status=State.RINGING, agent=None, sdp_answer="")
            call.status, call.agent, call.sdp_answer = State.RINGING, None, ""
            publish(call)


def call_reject(*, actor: Member, call: Call) -> Call:
    """Decline a customer's call (ringing, or being answered by oneself)."""
    if call.status == State.PRE_ACCEPTED and call.agent_id != actor.user_id:
        raise Conflict(f"{_name(call)} is answering this call.", code="call_taken")
    try:
        act(State(call.status), Action.REJECT, Direction(call.direction))
    except IllegalAction as error:
        raise _state_error(error) from None
    _graph(call, "reject")
    return _record(call, Action.REJECT, agent=call.agent or actor.user)


def call_hangup(*, actor: Member, call: Call) -> Call:
    """End a call: the person on it, or someone who sees every conversation (a supervisor)."""
    if call.agent_id not in (None, actor.user_id) and not actor.can(Capability.SEE_ALL_CONVERSATIONS):
        raise ApplicationError("Only the person on the call, or an owner or admin, can hang it up.",
                               code="permission_denied", status_code=403)
    try:
        act(State(call.status), Action.HANGUP, Direction(call.direction))
    except IllegalAction as error:
        raise _state_error(error) from None
    _graph(call, "terminate")
    now = timezone.now()
    duration = int((now - call.answered_at).total_seconds()) if call.answered_at else None
    return _record(call, Action.HANGUP, ended_at=now, duration_seconds=duration)


def call_place(*, actor: Member, contact: Contact, number: PhoneNumber, sdp: str) -> Call:
    """Call a customer with the browser's SDP offer. Refused here first when Meta would refuse (calling off, no
    permission, a call in progress, the daily limit). Meta's SDP answer arrives with the `connect` webhook."""
    sdp = _sdp(sdp)
    to = recipient_of(contact)
    if not to.isdigit():
        raise ApplicationError("This contact has no WhatsApp number to call.", code="validation_error",
                               errors={"contact_id": ["The contact needs a phone number or WhatsApp id."]})
    calling = CallSettings.objects.filter(phone_number=number).values_list("calling", flat=True).first() or {}
    if calling.get("status") == "DISABLED":  # unknown (never read from Meta): Meta decides
        raise refusal(138000)
    if Call.objects.filter(contact=contact, phone_number=number, status__in=LIVE).exists():
        raise refusal(138003)
    permissions.require_call_allowed(contact, number)
    try:
        call_id = GraphClient(number.account.access_token).call_connect(number.phone_number_id, to, sdp)
    except GraphError as exc:
        raise meta_refusal(exc) from exc
    with transaction.atomic():
        # The connect webhook may have created the call already: it is merged, its state kept.
        call, created = Call.objects.select_for_update().get_or_create(call_id=call_id, defaults={
            "phone_number": number, "contact": contact})
        call.direction, call.agent, call.sdp_offer = Call.Direction.BUSINESS_INITIATED, actor.user, sdp
        call.from_number, call.to_number = call.from_number or number.display_phone_number, call.to_number or to
        call.contact, call.conversation = contact, conversation_for(contact=contact, number=number)
        call.last_event = call.last_event or "connect_requested"
        call.save()
        publish(call)
    return call
