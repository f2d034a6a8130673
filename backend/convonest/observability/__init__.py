"""What an operator sees of a running ConvoNest (docs/observability.md): Prometheus metrics (apps.core.metrics
defines them; here: the HTTP middleware, /metrics and the live gauges, the Celery worker's endpoint), JSON logs
carrying the request, business and task (logs.py), and optional Sentry (sentry.py)."""
