"""Which handler runs a routed change, by its webhook `field`. Tenant apps register theirs (in their
AppConfig.ready()), so ingress, in the control plane, never imports a tenant app.

A handler is called inside the business's schema, in a transaction, as `handler(value, waba_id=...)` with the
change's `value` object. It returns the problems it found in items it dropped (logged and kept on the change's
row; the rest of the change is handled), or None; it raises ChangeRejected to reject the whole change. A field
no app registered is logged and marked handled: the raw body stays stored, so a later handler can replay it.
"""
from collections.abc import Callable

Handler = Callable[..., list[str] | None]


class ChangeRejected(Exception):
    """Raised by a handler: the whole change is not what Meta sends; str(exc) is the reason (kept on the row)."""


_HANDLERS: dict[str, Handler] = {}


def register(field: str, handler: Handler) -> None:
    """Make `handler` the one handler of `field`. Registering the same handler again is a no-op (ready() may
    run twice); a second, different handler for a field is a configuration error."""
    current = _HANDLERS.get(field)
    if current is not None and current is not handler:
        raise ValueError(f"webhook field {field!r} already has a handler: {current!r}")
    _HANDLERS[field] = handler


def handler_for(field: str) -> Handler | None:
    """The registered handler of `field`, or None when no app registered it."""
    return _HANDLERS.get(field)
