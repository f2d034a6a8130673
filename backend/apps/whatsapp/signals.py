"""What WhatsApp tells the apps above it. The import floors keep whatsapp from importing them (templates,
messaging), so they listen here instead.

`account_connected(sender=BusinessAccount, waba_id=str, tenant=Tenant, connected_via=str)` is sent once per
connection of a WABA to a business (manual connect, Embedded Signup, bootstrap), after the transaction
commits, inside that business's schema; never for a connection that rolled back. Receivers run as a robust
on-commit hook: one that raises is logged and does not undo the committed connection.
"""
from django.dispatch import Signal

account_connected = Signal()
