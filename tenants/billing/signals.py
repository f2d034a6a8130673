"""What billing tells the tenant apps (the control plane imports none of them): a business's subscription changed plan
or status, sent inside the change's transaction so the business's audit log (apps.accounts' receiver) commits with
it."""
from django.dispatch import Signal

subscription_changed = Signal()  # tenant, changes ({"plan": [old, new], "status": [old, new]}), source (e.g. "stripe")
