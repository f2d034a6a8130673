"""A worker takes its startup objects out of the garbage collector's view and collects young objects less often
(convonest.celery: the campaign dispatcher spent a fifth of its CPU in full collections).

The handler is called directly: sending worker_init here would also run Celery's Django fixup, which takes over
the test process's database connections."""
import gc
import weakref

import pytest
from celery import signals

from convonest.celery import GC_THRESHOLDS, _tune_garbage_collection


@pytest.fixture
def collector():
    thresholds = gc.get_threshold()
    yield
    gc.enable()
    gc.unfreeze()
    gc.set_threshold(*thresholds)


@pytest.mark.parametrize("signal", [signals.worker_init, signals.worker_process_init])
def test_the_tuning_runs_in_the_worker_before_the_pool_forks_and_in_each_child(signal):
    assert _tune_garbage_collection in signal._live_receivers(None)


def test_a_worker_freezes_what_it_loaded_and_collects_young_objects_less_often(collector):
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    _tune_garbage_collection()
    assert gc.get_freeze_count() > 10_000  # Django, the models and the project's modules
    assert gc.get_threshold() == GC_THRESHOLDS
    assert GC_THRESHOLDS[0] > 700  # Python's default


def test_garbage_made_after_the_freeze_is_still_collected(collector):
    _tune_garbage_collection()

    class Node:
        pass

    a, b = Node(), Node()
    a.other, b.other = b, a  # a cycle: only the collector frees it
    del a, b
    assert gc.collect() >= 2


def test_garbage_pending_at_the_tuning_is_collected_not_kept_for_good(collector):
    """Frozen garbage stays: a dead thread's unclosed database connection among it would stay open (the test
    suite's database teardown found one)."""
    closed = []

    class Connection:
        pass

    gc.disable()  # no collection of its own between here and the tuning
    connection = Connection()
    connection.itself = connection  # a cycle: only the collector frees it
    weakref.finalize(connection, closed.append, "closed")
    del connection
    _tune_garbage_collection()
    assert closed == ["closed"]
