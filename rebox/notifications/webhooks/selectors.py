"""Webhook reads. Everything is scoped by store: another store's id is simply not found."""

from django.db.models import QuerySet

from rebox.core.errors import NotFound
from rebox.core.models import OutboxEvent, Store
from rebox.notifications.models import WebhookDelivery, WebhookEndpoint
from rebox.orders.models import Order
from rebox.returns.models import Return


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


def return_for_event(event: OutboxEvent) -> Return | None:
    """The return an event is about: its subject, or the return number in its payload."""
    returns = Return.objects.filter(store_id=event.store_id).select_related("order")
    if event.subject_type == "return":
        return returns.filter(pk=event.subject_id).first()
    number = event.payload.get("number") if isinstance(event.payload, dict) else None
    return returns.filter(number=number).first() if number else None


def refund_summary(event: OutboxEvent) -> dict | None:
    """A refund event's row as integrators need it beside the payload: its status now and
    the return it pays back (the refunds app is imported lazily: it may not be installed)."""
    try:
        from rebox.refunds.models import Refund
    except ImportError:
        return None
    refund = (Refund.objects.select_related("ret").filter(pk=event.subject_id, store_id=event.store_id)
              .first())
    if refund is None:
        return None
    return {"number": refund.number, "status": refund.status, "gateway": refund.gateway,
            "return": refund.ret.number if refund.ret_id else None,
            "created_at": refund.created_at.isoformat(),
            "succeeded_at": refund.succeeded_at.isoformat() if refund.succeeded_at else None}
