"""What calls hears from messaging: a customer's `call_permission_reply` message sets their permission."""
from django.dispatch import receiver

from apps.calls.permissions import permission_reply_apply
from apps.messaging.signals import message_received


@receiver(message_received, dispatch_uid="calls.permission_reply")
def _permission_reply(sender, message, **kwargs):
    if message.type == "interactive":
        permission_reply_apply(message)
