"""Outbound shipments and their tracking: from label to the customer's door.

The delivery date recorded here is where return windows start.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from rebox.core.actors import Actor
from rebox.core.audit import audit_record
from rebox.core.errors import Conflict, FieldError, ValidationFailed
from rebox.core.outbox import outbox_publish
from rebox.inventory.models import MovementKind, StockMovement
from rebox.inventory.services import stock_move
from rebox.orders.models import Order, OrderLine, Shipment, ShipmentLine, TrackingEvent
from rebox.orders.services import order_transition
from rebox.orders.states import SHIPMENT_TRANSITIONS, OrderStatus, ShipmentStatus, can_move

TRACKING_URLS = {
    "dhl": "https://www.dhl.com/track?tracking-id={}",
    "ups": "https://www.ups.com/track?tracknum={}",
    "usps": "https://tools.usps.com/go/TrackConfirmAction?tLabels={}",
    "royal_mail": "https://www.royalmail.com/track-your-item#/tracking-results/{}",
    "postnord": "https://tracking.postnord.com/dk/?id={}",
    "gls": "https://gls-group.com/track/{}",
    "nova_poshta": "https://novaposhta.ua/en/tracking/?cargo_number={}",
    "israel_post": "https://mypost.israelpost.co.il/itemtrace?itemcode={}",
}


@dataclass
class TrackingUpdate:
    external_id: str
    status: str
    occurred_at: datetime
    location: str = ""
    description: str = ""


def shipped_quantities(order: Order) -> dict[int, int]:
    rows = (ShipmentLine.objects.filter(order_line__order=order)
            .values("order_line_id").annotate(shipped=Sum("quantity")))
    return {row["order_line_id"]: row["shipped"] for row in rows}


def shipment_create(
    *, order: Order, carrier: str, tracking_number: str, actor: Actor,
    quantities: dict[int, int] | None = None, service: str = "",
) -> Shipment:
    """Ship some or all of what is left of an order (``quantities`` by order line id)."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status not in (OrderStatus.PAID, OrderStatus.PROCESSING,
                                OrderStatus.PARTIALLY_SHIPPED):
            raise Conflict(f"Order {order.number} is {order.status}; it cannot be shipped")
        lines = {line.pk: line for line in order.lines.all()}
        already = shipped_quantities(order)
        remaining = {pk: line.quantity - already.get(pk, 0) for pk, line in lines.items()}
        wanted = quantities if quantities is not None else {
            pk: qty for pk, qty in remaining.items() if qty > 0}
        errors = [
            FieldError(f"lines[{pk}].quantity", f"only {remaining.get(pk, 0)} left to ship")
            for pk, qty in wanted.items() if qty <= 0 or qty > remaining.get(pk, 0)
        ]
        if errors or not wanted:
            raise ValidationFailed(errors=errors or [FieldError("lines", "nothing left to ship")])
        if Shipment.objects.filter(store_id=order.store_id, carrier=carrier,
                                   tracking_number=tracking_number).exists():
            raise Conflict(errors=[FieldError("tracking_number",
                                              f"{carrier} {tracking_number} is already in use")])
        url_pattern = TRACKING_URLS.get(carrier.lower(), "")
        shipment = Shipment.objects.create(
            store_id=order.store_id, order=order, carrier=carrier, service=service,
            tracking_number=tracking_number, shipped_at=timezone.now(),
            tracking_url=url_pattern.format(tracking_number) if url_pattern else "",
        )
        ShipmentLine.objects.bulk_create(
            [ShipmentLine(shipment=shipment, order_line_id=pk, quantity=qty)
             for pk, qty in wanted.items()])
        for pk, qty in wanted.items():
            _ship_reserved_stock(line=lines[pk], quantity=qty, actor=actor)
        fully = all(already.get(pk, 0) + wanted.get(pk, 0) >= line.quantity
                    for pk, line in lines.items())
        order_transition(order=order, actor=actor,
                         to=OrderStatus.SHIPPED if fully else OrderStatus.PARTIALLY_SHIPPED,
                         why=f"{carrier} {tracking_number}")
        outbox_publish(store=order.store_id, topic="order.shipped", subject_type="order",
                       subject_id=order.pk, payload={"shipment_id": shipment.pk})
    return shipment


def _ship_reserved_stock(*, line: OrderLine, quantity: int, actor: Actor) -> None:
    """Turn the line's reservation into a shipment out of the location that held it."""
    reservation = (StockMovement.objects.filter(order_line=line, kind=MovementKind.RESERVED)
                   .values_list("location_id", flat=True).first())
    if reservation is None:
        return  # dropship or imported line: no stock of ours was held
    stock_move(store_id=line.store_id, variant_id=line.variant_id, location_id=reservation,
               kind=MovementKind.SHIPPED, quantity=quantity, actor=actor,
               order_line_id=line.pk, why="shipped")


def tracking_event_record(*, shipment: Shipment, update: TrackingUpdate, actor: Actor) -> bool:
    """Record a carrier event once; move the shipment (and the order) forward.

    Returns False for a duplicate delivery of an event already recorded.
    """
    try:
        with transaction.atomic():
            TrackingEvent.objects.create(
                store_id=shipment.store_id, shipment=shipment, external_id=update.external_id,
                status=update.status, occurred_at=update.occurred_at,
                location=update.location, description=update.description,
            )
            _apply_tracking(shipment=shipment, update=update, actor=actor)
    except IntegrityError:
        return False
    return True


def _apply_tracking(*, shipment: Shipment, update: TrackingUpdate, actor: Actor) -> None:
    shipment = Shipment.objects.select_for_update().get(pk=shipment.pk)
    if not can_move(SHIPMENT_TRANSITIONS, shipment.status, update.status):
        return  # late or repeated news of a state already passed: kept, not applied
    shipment.status = update.status
    if update.status == ShipmentStatus.DELIVERED:
        shipment.delivered_at = update.occurred_at
    shipment.save(update_fields=["status", "delivered_at"])
    audit_record(store=shipment.store_id, actor=actor, action=f"shipment.{update.status}",
                 subject_type="order", subject_id=shipment.order_id, at=update.occurred_at,
                 why=update.description or update.location,
                 details={"shipment_id": shipment.pk, "tracking_number": shipment.tracking_number})
    if update.status == ShipmentStatus.DELIVERED:
        _deliver_order_if_complete(order_id=shipment.order_id, actor=actor)


def _deliver_order_if_complete(*, order_id: int, actor: Actor) -> None:
    order = Order.objects.select_for_update().get(pk=order_id)
    if order.status != OrderStatus.SHIPPED:
        return
    shipments = list(order.shipments.all())
    if any(s.status != ShipmentStatus.DELIVERED for s in shipments):
        return
    order.delivered_at = max(s.delivered_at for s in shipments)
    order.save(update_fields=["delivered_at"])
    order_transition(order=order, to=OrderStatus.DELIVERED, actor=actor, why="all parcels delivered")
    outbox_publish(store=order.store_id, topic="order.delivered", subject_type="order",
                   subject_id=order.pk, payload={"delivered_at": order.delivered_at.isoformat()})
