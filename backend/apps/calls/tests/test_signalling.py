"""The signalling state machine on its own: every agent action from every state and direction, legal or not, and
Meta's webhooks from every state (late, out of order, repeated: never backwards)."""
import itertools

import pytest

from apps.calls.signalling import ENDED, Action, Direction, IllegalAction, Signal, State, act, on_webhook

S, A, D, W = State, Action, Direction, Signal
UI, BI = D.USER_INITIATED, D.BUSINESS_INITIATED

# (state, action, direction) -> the state after it. Everything not listed is illegal.
LEGAL = {
    (S.RINGING, A.PRE_ACCEPT, UI): S.PRE_ACCEPTED,
    (S.PRE_ACCEPTED, A.ACCEPT, UI): S.ACCEPTED,
    (S.RINGING, A.REJECT, UI): S.REJECTED,
    (S.PRE_ACCEPTED, A.REJECT, UI): S.REJECTED,
    (S.CONNECTING, A.REJECT, UI): S.REJECTED,
    (S.ACCEPTED, A.HANGUP, UI): S.COMPLETED,
    (S.CONNECTING, A.HANGUP, BI): S.MISSED,
    (S.RINGING, A.HANGUP, BI): S.MISSED,
    (S.PRE_ACCEPTED, A.HANGUP, BI): S.MISSED,
    (S.ACCEPTED, A.HANGUP, BI): S.COMPLETED,
}
EVERY_ACTION = list(itertools.product(State, Action, Direction))


@pytest.mark.parametrize(("state", "action", "direction"), [c for c in EVERY_ACTION if c in LEGAL],
                         ids=lambda v: v.value)
def test_legal_agent_actions_move_the_call(state, action, direction):
    assert act(state, action, direction) == LEGAL[(state, action, direction)]


@pytest.mark.parametrize(("state", "action", "direction"), [c for c in EVERY_ACTION if c not in LEGAL],
                         ids=lambda v: v.value)
def test_illegal_agent_actions_are_refused_with_a_reason(state, action, direction):
    with pytest.raises(IllegalAction) as refused:
        act(state, action, direction)
    assert refused.value.state == state and refused.value.action == action and refused.value.reason.endswith(".")


def test_the_reasons_say_what_to_do_instead():
    with pytest.raises(IllegalAction, match="decline it instead"):
        act(S.RINGING, A.HANGUP, UI)
    with pytest.raises(IllegalAction, match="already answered"):
        act(S.PRE_ACCEPTED, A.PRE_ACCEPT, UI)
    with pytest.raises(IllegalAction, match="placed by the business"):
        act(S.RINGING, A.PRE_ACCEPT, BI)
    with pytest.raises(IllegalAction, match="ended before anyone answered"):
        act(S.MISSED, A.REJECT, UI)


# (state, signal) -> the state after it; a state not changed is a stale or repeated webhook.
WEBHOOKS = {
    (S.CONNECTING, W.CONNECT): S.RINGING,
    (S.CONNECTING, W.RINGING): S.RINGING,
    (S.CONNECTING, W.ACCEPTED): S.ACCEPTED,  # RINGING lost or late
    (S.CONNECTING, W.REJECTED): S.REJECTED,
    (S.CONNECTING, W.TERMINATED): S.MISSED,  # terminate before connect: never answered
    (S.CONNECTING, W.TERMINATED_ANSWERED): S.COMPLETED,
    (S.CONNECTING, W.TERMINATED_FAILED): S.FAILED,
    (S.CONNECTING, W.RING_TIMEOUT): S.MISSED,
    (S.RINGING, W.ACCEPTED): S.ACCEPTED,
    (S.RINGING, W.REJECTED): S.REJECTED,
    (S.RINGING, W.TERMINATED): S.MISSED,
    (S.RINGING, W.TERMINATED_ANSWERED): S.COMPLETED,
    (S.RINGING, W.TERMINATED_FAILED): S.FAILED,
    (S.RINGING, W.RING_TIMEOUT): S.MISSED,
    (S.PRE_ACCEPTED, W.ACCEPTED): S.ACCEPTED,
    (S.PRE_ACCEPTED, W.REJECTED): S.REJECTED,
    (S.PRE_ACCEPTED, W.TERMINATED): S.MISSED,  # the caller hung up while we set up media
    (S.PRE_ACCEPTED, W.TERMINATED_ANSWERED): S.COMPLETED,
    (S.PRE_ACCEPTED, W.TERMINATED_FAILED): S.FAILED,
    (S.PRE_ACCEPTED, W.RING_TIMEOUT): S.MISSED,
    (S.ACCEPTED, W.REJECTED): S.REJECTED,
    (S.ACCEPTED, W.TERMINATED): S.COMPLETED,
    (S.ACCEPTED, W.TERMINATED_ANSWERED): S.COMPLETED,
    (S.ACCEPTED, W.TERMINATED_FAILED): S.FAILED,
}


@pytest.mark.parametrize(("state", "signal"), list(itertools.product(State, Signal)), ids=lambda v: v.value)
def test_webhooks_move_forward_or_change_nothing(state, signal):
    move = on_webhook(state, signal)
    expected = WEBHOOKS.get((state, signal), state)
    assert (move.state, move.changed) == (expected, expected != state)


@pytest.mark.parametrize("ended", sorted(ENDED), ids=lambda v: v.value)
def test_an_ended_call_stays_as_it_ended_whatever_arrives_late(ended):
    assert all(on_webhook(ended, signal).state == ended for signal in Signal)


def test_a_redelivered_or_reordered_sequence_lands_where_the_ordered_one_does():
    ordered = [W.CONNECT, W.RINGING, W.ACCEPTED, W.TERMINATED]
    for sequence in itertools.permutations(ordered):
        state = S.CONNECTING
        for signal in [*sequence, *sequence]:  # and each one twice
            state = on_webhook(state, signal).state
        accepted_before_end = sequence.index(W.ACCEPTED) < sequence.index(W.TERMINATED)
        assert state == (S.COMPLETED if accepted_before_end else S.MISSED)


def test_only_a_fresh_miss_says_it_became_missed():
    assert on_webhook(S.RINGING, W.TERMINATED).became_missed
    assert not on_webhook(S.MISSED, W.TERMINATED).became_missed
    assert not on_webhook(S.ACCEPTED, W.TERMINATED).became_missed
