"""Read-only mode: a business whose grace period ran out keeps reading, but writes answer 402 `read_only`.

Webhooks come in on the public host (never here), so inbound messages and statuses are still stored. Signing in
and out, billing itself (to pay), and the business's export and deletion stay open.
"""
from django.http import JsonResponse
from django.utils.dateformat import format as date_format

from apps.core.errors import envelope
from tenants.billing.models import Subscription, SubscriptionStatus

SAFE = {"GET", "HEAD", "OPTIONS"}
# A business that stopped paying may still take its data out or delete itself (/api/business/).
OPEN_PREFIXES = ("/api/auth/", "/api/billing/", "/api/team/invites/lookup/", "/api/business/")


class ReadOnlyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tenant = getattr(request, "tenant", None)
        if (request.method in SAFE or tenant is None or getattr(tenant, "schema_name", "public") == "public"
                or not request.path.startswith("/api/") or request.path.startswith(OPEN_PREFIXES)):
            return self.get_response(request)
        subscription = Subscription.objects.filter(tenant_id=tenant.pk).first()
        if subscription is not None and subscription.effective_status() == SubscriptionStatus.READ_ONLY:
            since = subscription.read_only_at()
            return JsonResponse(envelope(
                "read_only",
                f"This business is read-only since {date_format(since, 'j M Y')}: payments stopped. Nothing is lost "
                "and incoming messages are still stored; an owner can pay in Settings → Billing to resume.",
                {"upgrade_url": ["/settings/billing"]}), status=402)
        return self.get_response(request)
