"""The platform's Prometheus metrics (operator-facing; /metrics, docs/observability.md). Defined here, at the
bottom of the import layers, so any app can count what it does; exposed by convonest.observability.

Labels never carry a business, a contact or a raw path: a route is its URL pattern (`api/campaigns/<int:pk>/`),
so 10,000 businesses make no more series than one, and nothing tenant-specific reaches the operator's dashboards.

Gunicorn and Celery run several processes: with PROMETHEUS_MULTIPROC_DIR set (compose, Kubernetes), each process
writes its values there and the exposition sums them (prometheus_client's multiprocess mode).
"""
from prometheus_client import Counter, Histogram

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
LAG_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 300.0)

HTTP_REQUESTS = Counter("convonest_http_requests_total", "HTTP requests answered, by route pattern, method and status",
                        ["route", "method", "status"])
HTTP_DURATION = Histogram("convonest_http_request_duration_seconds", "Time to answer an HTTP request, by route pattern",
                          ["route"], buckets=LATENCY_BUCKETS)

WEBHOOKS_RECEIVED = Counter("convonest_webhooks_received_total",
                            "POSTs to Meta's webhook endpoint, by outcome (stored, redelivery, invalid_signature, "
                            "too_large, malformed)", ["outcome"])
WEBHOOK_EVENTS_ROUTED = Counter("convonest_webhook_events_routed_total", "Stored webhook events routed to businesses")
WEBHOOK_LAG = Histogram("convonest_webhook_lag_seconds", "From storing a webhook event to its routing done",
                        buckets=LAG_BUCKETS)

SENDS = Counter("convonest_sends_total", "Messages offered to Meta, by door (single: the outbox; campaign: a "
                "campaign's batch) and result (sent, failed, retry, unknown)", ["door", "result"])
RATE_LIMIT_WAITS = Counter("convonest_rate_limit_waits_total",
                           "Takes from a token bucket that found it empty and had to wait (number: Meta's "
                           "throughput; pair: one customer)", ["bucket"])
