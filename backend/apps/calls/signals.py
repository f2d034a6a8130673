"""What the call log tells others (outbound webhooks: apps.developer), inside the transaction of the change."""
from django.dispatch import Signal

# A new event of a call was recorded (a redelivery sends nothing). kwargs: call (as it now is), event (CallEvent)
call_event_recorded = Signal()
