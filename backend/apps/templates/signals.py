"""What templates tell others (outbound webhooks: apps.developer), inside the transaction of the change."""
from django.dispatch import Signal

# A template's status changed (Meta's webhook). kwargs: template (as it now is), previous_status
template_status_changed = Signal()
