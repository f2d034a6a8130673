"""The accounts app keeps no tables of its own: people and memberships are the control plane's (tenants.models), and
what happens to the team is in the business's audit log (apps.audit)."""
