"""Statuses from Meta's webhooks, applied in batches (placeholder until the batch implementation lands)."""
from apps.messaging.models import PendingStatus


def pending_apply(wamids: list[str]) -> None:
    """Apply and delete the statuses held for these wamids (they beat the send's answer)."""
    from apps.messaging.outbox import message_status_apply

    for pending in PendingStatus.objects.filter(wamid__in=wamids).order_by("created_at"):
        message_status_apply(status=pending.status, wamid=pending.wamid, at=pending.at, error=pending.error,
                             pricing=pending.pricing)
        pending.delete()
