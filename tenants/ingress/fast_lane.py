"""Meta's webhook POSTs take the short way through the site's middleware (docs/webhook-ingest.md, "Fast lane").

Every business's events arrive at this one endpoint, many times the rest of the traffic. Its view needs none of the
middlewares after the request id: no business to resolve (the public host; its insert names its schema), no
session, CSRF, CORS, read-only or rate-limit headers for a signed server-to-server call. Those cost more than the
view's own work (resolving the host alone is a query), so the lane calls the view directly. What still applies:
the metrics (outermost), the trusted proxy's client address and the request id (before this middleware),
ALLOWED_HOSTS (`get_host`), and everything the view checks (size, signature, UTF-8, NUL).
"""
from django.conf import settings
from django.db import connection
from django.http.request import split_domain_port
from django.urls import resolve

WEBHOOK_PATH = "/webhooks/whatsapp"


class WebhookFastLaneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.match = resolve(WEBHOOK_PATH, urlconf=settings.PUBLIC_SCHEMA_URLCONF)

    def __call__(self, request):
        if request.method != "POST" or request.path_info != WEBHOOK_PATH:
            return self.get_response(request)
        host, _ = split_domain_port(request.get_host())  # get_host enforces ALLOWED_HOSTS (400 otherwise)
        if host != settings.BASE_DOMAIN:
            return self.get_response(request)  # a business's host: the usual way (it has no such route: 404)
        # The public schema, as the host middleware would set it: the router task it wakes carries the schema.
        connection.set_schema_to_public()
        request.resolver_match = self.match  # the metrics' route label, as if resolved
        return self.match.func(request)
