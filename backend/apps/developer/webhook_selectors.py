"""Reads of a business's outbound webhooks. The API's doors take the acting member (manage_settings is checked by the
views' permission); another business's ids are simply absent from this schema (404)."""
from django.http import Http404

from apps.developer.webhook_models import WebhookDelivery, WebhookEndpoint
from tenants.members import Member


def endpoint_list(member: Member):
    return WebhookEndpoint.objects.all()


def access_endpoint(member: Member, endpoint_id: int) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.filter(pk=endpoint_id).first()
    if endpoint is None:
        raise Http404
    return endpoint


def delivery_list(member: Member, *, endpoint: WebhookEndpoint, status: str = "", event_type: str = ""):
    deliveries = WebhookDelivery.objects.filter(endpoint=endpoint).defer("payload")
    if status:
        deliveries = deliveries.filter(status=status)
    if event_type:
        deliveries = deliveries.filter(event_type=event_type)
    return deliveries


def access_delivery(member: Member, delivery_id) -> WebhookDelivery:
    delivery = WebhookDelivery.objects.select_related("endpoint").prefetch_related("attempt_rows").filter(
        pk=delivery_id).first()
    if delivery is None:
        raise Http404
    return delivery
