"""What messaging tells others (outbound webhooks: apps.developer). Sent inside the transaction of the change;
receivers write in it or act after commit, never call out directly."""
from django.dispatch import Signal

# A customer's message was stored for the first time (a redelivered webhook sends nothing). kwargs: message
message_received = Signal()

# Messages the business sent moved on. kwargs: changes, a list of (message id, status) in the order applied
# (sent, delivered, read, failed, unknown); a batch of statuses sends one signal.
message_statuses_changed = Signal()
