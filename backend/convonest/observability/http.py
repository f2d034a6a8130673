"""Counts and times every HTTP answer by its route pattern (never the raw path: ids and hosts stay out)."""
import time

from apps.core.metrics import HTTP_DURATION, HTTP_REQUESTS

METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def route_of(request) -> str:
    match = getattr(request, "resolver_match", None)
    return (match.route or match.view_name or "(unnamed)") if match is not None else "(unmatched)"


class RequestMetricsMiddleware:
    """Outermost, so refusals by the middlewares below (unknown host, read-only, rate limits) count too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        route = route_of(request)
        method = request.method if request.method in METHODS else "other"
        HTTP_REQUESTS.labels(route, method, str(response.status_code)).inc()
        HTTP_DURATION.labels(route).observe(time.perf_counter() - started)
        return response
