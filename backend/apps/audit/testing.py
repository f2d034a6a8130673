"""For tests: the audit events a test's own steps wrote in a business, after a mark (not its fixtures' events, nor
the test client's sign-in)."""
from django_tenants.utils import schema_context

from apps.audit.models import AuditEvent


class AuditTrail:
    def __init__(self) -> None:
        self._since: dict[str, int] = {}

    def forget(self) -> None:
        self._since.clear()

    def mark(self, business) -> None:
        """From here on."""
        with schema_context(business.tenant.schema_name):
            last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
        self._since[business.tenant.schema_name] = last or 0

    def events(self, business, **filters) -> list[AuditEvent]:
        schema = business.tenant.schema_name
        with schema_context(schema):
            return list(AuditEvent.objects.filter(id__gt=self._since.get(schema, 0), **filters)
                        .exclude(action="auth.login").order_by("id"))

    def only(self, business, action: str) -> AuditEvent:
        """The one event of `action` (fails, listing what was written, when there are none or several)."""
        events = self.events(business, action=action)
        assert len(events) == 1, [(e.action, e.detail) for e in self.events(business)]
        return events[0]
