"""Optional Sentry (SENTRY_DSN): unhandled errors of the web processes and the Celery workers, with the request
id as a tag. Nothing personal or secret leaves: no default PII (cookies, users' addresses), no request bodies
(Meta's and Stripe's webhooks carry customers' messages), and the headers that carry credentials or signatures
are dropped before an event is sent."""
import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

SECRET_HEADERS = {"authorization", "cookie", "x-api-key", "x-hub-signature-256", "stripe-signature",
                  "convonest-signature", "x-csrftoken"}


def scrub(event: dict, hint: dict | None = None) -> dict:
    request = event.get("request") or {}
    headers = request.get("headers")
    if isinstance(headers, dict):
        request["headers"] = {k: v for k, v in headers.items() if k.lower() not in SECRET_HEADERS}
    request.pop("cookies", None)
    request.pop("data", None)
    if request.get("query_string"):  # a verify token, a signup code
        request["query_string"] = "[removed]"
    tags = event.setdefault("tags", {})
    origin = _request_id()
    if origin:
        tags["request_id"] = origin
    return event


def _request_id() -> str:
    from apps.audit.context import current_origin

    origin = current_origin()
    return origin.request_id if origin is not None else ""


def sentry_start(dsn: str, *, environment: str, traces_sample_rate: float) -> None:
    from django.core.exceptions import ImproperlyConfigured
    from sentry_sdk.utils import BadDsn, Dsn

    try:
        Dsn(dsn)
    except BadDsn as exc:
        raise ImproperlyConfigured(f"SENTRY_DSN is not a Sentry DSN ({exc}): copy it from your project") from None
    sentry_sdk.init(dsn=dsn, environment=environment, integrations=[DjangoIntegration(), CeleryIntegration()],
                    send_default_pii=False, max_request_body_size="never", include_local_variables=False,
                    traces_sample_rate=traces_sample_rate, before_send=scrub)
