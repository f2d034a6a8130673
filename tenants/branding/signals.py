"""What the domain services tell the tenant apps (the control plane imports none of them): a business's custom domain
was added, verified or removed, sent inside the change's transaction so the business's audit log (apps.accounts'
receiver) commits with it."""
from django.dispatch import Signal

domain_changed = Signal()  # tenant, claim, change ("added" | "verified" | "removed"), actor (a Member, or None)
