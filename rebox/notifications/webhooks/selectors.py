"""Webhook reads. Everything is scoped by store: another store's id is simply not found."""

from django.db.models import QuerySet

from rebox.core.errors import NotFound
from rebox.core.models import OutboxEvent, Store
from rebox.notifications.models import WebhookDelivery, WebhookEndpoint
from rebox.orders.models import Order


def webhook_endpoints_for_store(*, store: Store) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(store=store)


def webhook_endpoint_get(*, store: Store, endpoint_id: int) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.filter(store=store, pk=endpoint_id).first()
    if endpoint is None:
        raise NotFound(f"No webhook {endpoint_id}")
    return endpoint


def webhook_endpoints_for_event(event: OutboxEvent) -> list[WebhookEndpoint]:
    """The store's active endpoints that asked for the event's topic."""
    endpoints = WebhookEndpoint.objects.filter(store_id=event.store_id, is_active=True)
    return [endpoint for endpoint in endpoints if endpoint.wants(event.topic)]


def webhook_deliveries_for_endpoint(*, endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    return WebhookDelivery.objects.filter(endpoint=endpoint, store_id=endpoint.store_id).defer("body")


def webhook_delivery_get(*, endpoint: WebhookEndpoint, delivery_id: int) -> WebhookDelivery:
    delivery = webhook_deliveries_for_endpoint(endpoint=endpoint).filter(pk=delivery_id).first()
    if delivery is None:
        raise NotFound(f"No delivery {delivery_id} for webhook {endpoint.pk}")
    return delivery


def order_for_event(event: OutboxEvent) -> Order | None:
    return Order.objects.filter(pk=event.subject_id, store_id=event.store_id).first()
