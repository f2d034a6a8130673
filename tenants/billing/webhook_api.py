"""Stripe's webhook endpoint (public host): verify `Stripe-Signature`, apply the event once, answer 200.

The work is a few rows in one transaction, so it runs here: Stripe retries any non-2xx for days, and an event
recorded by id is a no-op when it comes again.
"""
import json
import logging

import stripe
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from apps.core.errors import envelope
from tenants.billing import stripe_client
from tenants.billing.services import stripe_event_handle

logger = logging.getLogger(__name__)
MAX_BODY_BYTES = 1024 * 1024  # Stripe's events are a few KB


@csrf_exempt
@require_POST
def stripe_webhook(request):
    body = request.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        return JsonResponse(envelope("request_too_large", "The body is larger than this endpoint accepts."),
                            status=413)
    try:
        stripe_client.event_verified(body, request.headers.get("Stripe-Signature"))
        event = json.loads(body)
    except (stripe.SignatureVerificationError, ValueError) as exc:
        # ValueError: not JSON, or no usable timestamp in the header (stripe raises both kinds).
        logger.warning("Stripe webhook refused: %s", type(exc).__name__)
        return JsonResponse(envelope("invalid_signature", "The Stripe-Signature header does not match the body."),
                            status=400)
    if not isinstance(event, dict):
        return JsonResponse(envelope("bad_request", "Not a Stripe event."), status=400)
    return JsonResponse({"outcome": stripe_event_handle(event)})
