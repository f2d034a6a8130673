"""DRF throttles that count the real client (apps.core.client_ip), platform-wide.

Every throttle in the project derives from ClientRateThrottle; DRF's own `get_ident` (which trusts
the whole X-Forwarded-For string from anyone) is never used. Counts live in the `global` cache, so an
anonymous client's budget is one budget across every business's host, not one per host.
"""
from django.core.cache import caches
from django.db import connection
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from apps.core.client_ip import client_ident


class ClientRateThrottle(SimpleRateThrottle):
    """A rate from `DEFAULT_THROTTLE_RATES[scope]`, counted per signed-in person in this business, else
    per client address. Subclasses set `scope` (or read it from the view, see ScopedRateThrottle)."""

    @property
    def cache(self):
        return caches["global"]

    def get_ident(self, request) -> str:
        return client_ident(request)

    def get_rate(self):
        # Read live (not at import, as DRF does), so settings overrides apply.
        self.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
        return super().get_rate()

    def subject(self, request) -> str:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return f"user:{connection.schema_name}:{user.pk}"
        return f"ip:{self.get_ident(request)}"

    def get_cache_key(self, request, view) -> str:
        return f"throttle:{self.scope}:{self.subject(request)}"


class ScopedRateThrottle(ClientRateThrottle):
    """DRF's ScopedRateThrottle on our identity: views name their `throttle_scope`. The default class."""

    scope_attr = "throttle_scope"

    def __init__(self):
        pass  # the rate is known only once the view is

    def allow_request(self, request, view):
        self.scope = getattr(view, self.scope_attr, None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class TenantRateThrottle(ClientRateThrottle):
    """One budget for the whole business of this host (e.g. invitations a day)."""

    def subject(self, request) -> str:
        return f"tenant:{request.tenant.pk}"
