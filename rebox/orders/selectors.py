"""Order queries. Every one takes the store: there is no unscoped read."""

from datetime import datetime

from django.db.models import Prefetch, QuerySet

from rebox.core.errors import NotFound
from rebox.core.models import Store
from rebox.orders.models import Order, Payment, Shipment


def orders_for_store(
    *, store: Store, status: str | None = None, email: str | None = None,
    placed_from: datetime | None = None, placed_to: datetime | None = None,
    search: str | None = None,
) -> QuerySet[Order]:
    qs = Order.objects.filter(store=store)
    if status:
        qs = qs.filter(status=status)
    if email:
        qs = qs.filter(email=email.strip().lower())
    if placed_from:
        qs = qs.filter(placed_at__gte=placed_from)
    if placed_to:
        qs = qs.filter(placed_at__lt=placed_to)
    if search:
        term = search.strip()
        qs = qs.filter(number__iexact=term) | qs.filter(email__iexact=term.lower())
    return qs


def order_get(*, store: Store, number: str) -> Order:
    """One order with lines, payments and shipments (with their lines and events)."""
    order = (
        Order.objects.filter(store=store, number=number)
        .select_related("customer")
        .prefetch_related(
            "lines", Prefetch("payments", queryset=Payment.objects.order_by("pk")),
            Prefetch("shipments", queryset=Shipment.objects.order_by("pk").prefetch_related(
                "lines", "events")),
        )
        .first()
    )
    if order is None:
        raise NotFound(f"No order {number}")
    return order


def shipment_get(*, store: Store, order_number: str, shipment_id: int) -> Shipment:
    shipment = Shipment.objects.filter(
        store=store, order__number=order_number, pk=shipment_id).first()
    if shipment is None:
        raise NotFound(f"No shipment {shipment_id} on order {order_number}")
    return shipment


def shipment_by_tracking(*, store: Store, carrier: str, tracking_number: str) -> Shipment:
    shipment = Shipment.objects.filter(
        store=store, carrier__iexact=carrier, tracking_number=tracking_number).first()
    if shipment is None:
        raise NotFound(f"No {carrier} shipment {tracking_number}")
    return shipment
