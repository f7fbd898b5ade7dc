"""Orders as plain JSON-ready dicts: one shape for the API, stored idempotent replies and
outbound webhooks."""

from rebox.orders.models import Order


def _iso(value):
    return value.isoformat() if value else None


def order_summary(order: Order) -> dict:
    return {
        "number": order.number, "status": order.status, "email": order.email,
        "currency": order.currency, "total_minor": order.total_minor,
        "placed_at": _iso(order.placed_at), "delivered_at": _iso(order.delivered_at),
    }


def order_detail(order: Order) -> dict:
    """Expects lines, payments and shipments (with lines and events) prefetched."""
    shipped: dict[int, int] = {}
    shipments = []
    for shipment in order.shipments.all():
        quantities = {}
        for line in shipment.lines.all():
            shipped[line.order_line_id] = shipped.get(line.order_line_id, 0) + line.quantity
            quantities[str(line.order_line_id)] = line.quantity
        shipments.append({
            "id": shipment.pk, "carrier": shipment.carrier, "service": shipment.service,
            "tracking_number": shipment.tracking_number, "tracking_url": shipment.tracking_url,
            "status": shipment.status, "shipped_at": _iso(shipment.shipped_at),
            "delivered_at": _iso(shipment.delivered_at), "lines": quantities,
            "events": [
                {"status": e.status, "occurred_at": _iso(e.occurred_at),
                 "location": e.location, "description": e.description}
                for e in shipment.events.all()
            ],
        })
    return {
        **order_summary(order),
        "language": order.language, "source": order.source,
        "customer_name": order.customer.name, "shipping_address": order.shipping_address,
        "subtotal_minor": order.subtotal_minor, "discount_minor": order.discount_minor,
        "shipping_minor": order.shipping_minor, "tax_minor": order.tax_minor,
        "lines": [
            {"id": line.pk, "position": line.position, "sku": line.sku, "title": line.title,
             "quantity": line.quantity, "unit_price_minor": line.unit_price_minor,
             "discount_minor": line.discount_minor, "tax_minor": line.tax_minor,
             "total_minor": line.total_minor, "shipped_quantity": shipped.get(line.pk, 0)}
            for line in order.lines.all()
        ],
        "payments": [
            {"method": p.method, "gateway": p.gateway, "reference": p.reference,
             "amount_minor": p.amount_minor, "currency": p.currency, "status": p.status}
            for p in order.payments.all()
        ],
        "shipments": shipments,
    }
