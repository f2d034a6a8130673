"""A new time zone moves every day boundary: rebuild the tables (after commit, in a task)."""
from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from apps.messaging.models import InboxSettings


@receiver(pre_save, sender=InboxSettings)
def _remember_time_zone(sender, instance: InboxSettings, **kwargs):
    instance._analytics_old_tz = (InboxSettings.objects.filter(pk=instance.pk).values_list("timezone", flat=True)
                                  .first())


@receiver(post_save, sender=InboxSettings)
def _time_zone_changed(sender, instance: InboxSettings, created: bool, **kwargs):
    old = getattr(instance, "_analytics_old_tz", None)
    if (old or "UTC") == (instance.timezone or "UTC"):
        return
    from apps.analytics.tasks import analytics_rebuild_task

    transaction.on_commit(lambda: analytics_rebuild_task.delay(), robust=True)
