"""A worker takes its startup objects out of the garbage collector's view and collects young objects less often
(convonest.celery: the campaign dispatcher spent a fifth of its CPU in full collections)."""
import gc

import pytest
from celery import signals

from convonest.celery import GC_THRESHOLDS


@pytest.fixture
def collector():
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


@pytest.mark.parametrize("signal", [signals.worker_init, signals.worker_process_init])
def test_a_worker_freezes_what_it_loaded_and_collects_young_objects_less_often(collector, signal):
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    signal.send(sender=None)
    assert gc.get_freeze_count() > 10_000  # Django, the models and the project's modules
    assert gc.get_threshold() == GC_THRESHOLDS
    assert GC_THRESHOLDS[0] > 700  # Python's default


def test_garbage_made_after_the_freeze_is_still_collected(collector):
    signals.worker_process_init.send(sender=None)

    class Node:
        pass

    a, b = Node(), Node()
    a.other, b.other = b, a  # a cycle: only the collector frees it
    del a, b
    assert gc.collect() >= 2
