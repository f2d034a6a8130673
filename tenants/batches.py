"""Deleting or updating a large backlog in bounded batches (the beat cleanups): a backlog drains over a few runs
instead of one long transaction."""

BATCH = 1000
MAX_BATCHES = 50  # per run


def in_batches(queryset, apply) -> int:
    """Apply `apply(ids)` to the ordered queryset's ids, BATCH at a time, at most MAX_BATCHES times. Returns the
    sum of what `apply` returned (rows changed)."""
    done = 0
    for _ in range(MAX_BATCHES):
        ids = list(queryset.values_list("pk", flat=True)[:BATCH])
        if not ids:
            break
        done += apply(ids)
        if len(ids) < BATCH:
            break
    return done
