"""What campaigns tell others (outbound webhooks: apps.developer), inside the transaction of the change."""
from django.dispatch import Signal

# A campaign reached a final status: completed, cancelled or failed. kwargs: campaign (as it now is)
campaign_finished = Signal()
