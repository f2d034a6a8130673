"""The signalling state machine of a WhatsApp call, pure (no database, no Meta): what an agent's action or one of
Meta's webhooks does to a call in a given state.

    customer calls      ringing --pre_accept--> pre_accepted --accept--> accepted --hangup/terminate--> completed
                        ringing/pre_accepted --reject--> rejected
                        ringing/pre_accepted --terminate (caller gave up) or ring timeout--> missed
    business calls      (permission granted first) connecting --connect webhook/RINGING--> ringing
                        --ACCEPTED--> accepted --terminate/hangup--> completed;  --REJECTED--> rejected;
                        unanswered when terminated or hung up --> missed
    either              a terminate reporting a failure: failed

Two doors, two tempers:

- `act(state, action, direction)` is an agent's request through our API. Only legal moves pass; anything else
  raises `IllegalAction`, whose message says why in words an agent understands (the API answers 409).
- `on_webhook(state, signal, direction)` is Meta telling us what happened. Meta's webhooks arrive late, out of
  order and more than once, so a webhook never raises and never moves a call back: a stale one leaves the state
  as it is (ringing after accepted, a second terminate), while one that jumps ahead (terminate before connect)
  lands where the call is now.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class State(StrEnum):
    CONNECTING = "connecting"  # the business asked Meta to call; Meta has not reached the phone yet
    RINGING = "ringing"
    PRE_ACCEPTED = "pre_accepted"  # an agent took it: media is being set up (pre_accept sent)
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    MISSED = "missed"  # ended before anyone answered
    COMPLETED = "completed"  # answered, then ended
    FAILED = "failed"  # Meta reports it failed (setup, relay, media timeouts: 138019-138023)


class Direction(StrEnum):
    USER_INITIATED = "user_initiated"
    BUSINESS_INITIATED = "business_initiated"


class Action(StrEnum):
    """What an agent asks through our API."""

    PRE_ACCEPT = "pre_accept"  # the first half of answering (Meta: set up media early)
    ACCEPT = "accept"  # the second half, with the same SDP
    REJECT = "reject"
    HANGUP = "hangup"  # Meta's terminate


class Signal(StrEnum):
    """What one of Meta's `calls` webhooks says (apps.webhooks.calls maps Meta's events onto these), or our own
    ring timeout."""

    CONNECT = "connect"  # the customer's call arrives; or Meta's SDP answer to the business's call
    RINGING = "ringing"  # status of a business call
    ACCEPTED = "accepted"  # status of a business call: the customer picked up
    REJECTED = "rejected"  # status of a business call: the customer declined
    TERMINATED = "terminated"  # terminate, status COMPLETED
    TERMINATED_ANSWERED = "terminated_answered"  # terminate with a talk time: it was answered, wherever
    TERMINATED_FAILED = "terminated_failed"  # terminate, status FAILED
    RING_TIMEOUT = "ring_timeout"  # nobody answered in time (Meta gives 30-60 s)


UNANSWERED = frozenset({State.CONNECTING, State.RINGING, State.PRE_ACCEPTED})
ENDED = frozenset({State.REJECTED, State.MISSED, State.COMPLETED, State.FAILED})
LIVE = frozenset({State.CONNECTING, State.RINGING, State.PRE_ACCEPTED, State.ACCEPTED})
# How far along a call is: a webhook moves a call only to a higher rank. The ended states share the top rank, so
# the first end wins (a late "completed" can't overwrite "rejected").
RANK = {State.CONNECTING: 0, State.RINGING: 1, State.PRE_ACCEPTED: 2, State.ACCEPTED: 3, **{s: 4 for s in ENDED}}


class IllegalAction(Exception):
    """An agent's action that the call's state does not allow; str() says why."""

    def __init__(self, state: State, action: Action, reason: str):
        super().__init__(reason)
        self.state, self.action, self.reason = state, action, reason


@dataclass(frozen=True)
class Move:
    state: State  # the state after the action or webhook
    changed: bool  # False: a stale or repeated webhook, nothing to do

    @property
    def became_missed(self) -> bool:
        return self.changed and self.state == State.MISSED


_ENDED_WORDS = {State.REJECTED: "was declined", State.MISSED: "ended before anyone answered",
                State.COMPLETED: "has ended", State.FAILED: "failed"}


def _ended(state: State) -> str:
    return f"The call {_ENDED_WORDS[state]}."


def act(state: State, action: Action, direction: Direction) -> State:
    """The state after an agent's action, or IllegalAction."""
    if state in ENDED:
        raise IllegalAction(state, action, _ended(state))
    customer_called = direction == Direction.USER_INITIATED
    if action in (Action.PRE_ACCEPT, Action.ACCEPT, Action.REJECT) and not customer_called:
        raise IllegalAction(state, action, "Only a customer's call can be answered or declined; this call was placed "
                                           "by the business: hang it up instead.")
    if action == Action.PRE_ACCEPT:
        if state != State.RINGING:
            raise IllegalAction(state, action, "Someone has already answered this call.")
        return State.PRE_ACCEPTED
    if action == Action.ACCEPT:
        if state != State.PRE_ACCEPTED:
            raise IllegalAction(state, action, "The call must be pre-accepted (media set up) before it is accepted."
                                if state == State.RINGING else "The call has already been answered.")
        return State.ACCEPTED
    if action == Action.REJECT:
        if state == State.ACCEPTED:
            raise IllegalAction(state, action, "The call is in progress: hang it up instead of declining it.")
        return State.REJECTED
    # HANGUP: the business ends its own call at any point; a customer's call only once it is answered.
    if customer_called and state != State.ACCEPTED:
        raise IllegalAction(state, action, "Nobody has answered this call yet: decline it instead of hanging up.")
    return State.COMPLETED if state == State.ACCEPTED else State.MISSED


def _target(state: State, signal: Signal) -> State:
    """Where a webhook puts a call that is in `state` (before the forward-only rule)."""
    if signal in (Signal.CONNECT, Signal.RINGING):
        return State.RINGING
    if signal == Signal.ACCEPTED:
        return State.ACCEPTED
    if signal == Signal.REJECTED:
        return State.REJECTED
    if signal == Signal.TERMINATED_FAILED:
        return State.FAILED
    if signal == Signal.TERMINATED_ANSWERED:
        return State.COMPLETED
    if signal == Signal.RING_TIMEOUT:
        return State.MISSED if state in UNANSWERED else state
    # A terminate: completed when the call was answered, missed when it never was.
    return State.COMPLETED if state == State.ACCEPTED else State.MISSED


def on_webhook(state: State, signal: Signal) -> Move:
    """The state after one of Meta's webhooks (or the ring timeout): forward only, never raises."""
    target = _target(state, signal)
    if state in ENDED or RANK[target] <= RANK[state]:
        return Move(state, False)
    return Move(target, True)
