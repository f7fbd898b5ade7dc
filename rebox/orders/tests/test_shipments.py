"""From the warehouse to the door: shipments, tracking and the timeline."""

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from rebox.core.audit import audit_entries_for
from rebox.core.errors import ValidationFailed
from rebox.core.models import OutboxEvent
from rebox.inventory.models import StockLevel
from rebox.orders.models import Order
from rebox.testing import make_variant, order_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(api, store):
    make_variant(store, "BOOT-40", price_minor=90_000, stock=4)
    make_variant(store, "SOCK", price_minor=1_000, stock=10)
    response = api.post("/orders", order_payload(("BOOT-40", 1, 90_000), ("SOCK", 3, 1_000),
                                                 number="T100"))
    assert response.status_code == 201
    return Order.objects.get(number="T100")


def _event(api, number, shipment_id, event_id, status, at):
    return api.post(f"/orders/{number}/shipments/{shipment_id}/events",
                    {"id": event_id, "status": status, "occurred_at": at})


def test_shipping_everything_marks_the_order_shipped_and_takes_the_stock(api, order):
    response = api.post("/orders/T100/shipments", {"carrier": "dhl", "tracking_number": "JD01"})

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "shipped"
    assert body["shipments"][0]["tracking_url"].endswith("JD01")
    assert [line["shipped_quantity"] for line in body["lines"]] == [1, 3]
    boot = StockLevel.objects.get(variant__sku="BOOT-40")
    assert (boot.on_hand, boot.reserved) == (3, 0)


def test_partial_shipment_then_the_rest(api, order):
    sock_line = order.lines.get(sku="SOCK")
    first = api.post("/orders/T100/shipments", {"carrier": "gls", "tracking_number": "G1",
                                                "lines": {str(sock_line.pk): 2}})
    second = api.post("/orders/T100/shipments", {"carrier": "gls", "tracking_number": "G2"})

    assert first.json()["status"] == "partially_shipped"
    assert second.json()["status"] == "shipped"
    assert sorted(s["lines"][str(sock_line.pk)] for s in second.json()["shipments"]
                  if str(sock_line.pk) in s["lines"]) == [1, 2]


def test_cannot_ship_more_than_was_ordered(api, order):
    sock_line = order.lines.get(sku="SOCK")

    response = api.post("/orders/T100/shipments", {"carrier": "gls", "tracking_number": "G1",
                                                   "lines": {str(sock_line.pk): 4}})

    assert response.status_code == 422
    assert "only 3 left to ship" in response.json()["errors"][0]["message"]
    assert not order.shipments.exists()


def test_tracking_to_delivered_records_the_delivery_date_once(api, order):
    shipment = api.post("/orders/T100/shipments", {"carrier": "dhl", "tracking_number": "JD02"}
                        ).json()["shipments"][0]

    _event(api, "T100", shipment["id"], "e1", "in_transit", "2026-11-02T08:00:00Z")
    delivered = _event(api, "T100", shipment["id"], "e2", "delivered", "2026-11-03T23:30:00+01:00")
    again = _event(api, "T100", shipment["id"], "e2", "delivered", "2026-11-03T23:30:00+01:00")

    assert delivered.json()["status"] == "delivered"
    assert delivered.json()["delivered_at"] == "2026-11-03T22:30:00+00:00"
    assert len(again.json()["shipments"][0]["events"]) == 2
    order.refresh_from_db()
    assert order.delivered_at == datetime(2026, 11, 3, 22, 30, tzinfo=UTC)
    assert OutboxEvent.objects.filter(topic="order.delivered").count() == 1


def test_timeline_shows_every_step_with_who_and_when(api, order):
    shipment = api.post("/orders/T100/shipments", {"carrier": "dhl", "tracking_number": "JD03"}
                        ).json()["shipments"][0]
    _event(api, "T100", shipment["id"], "e1", "delivered", timezone.now().isoformat())

    steps = [(e.action, e.actor_type, e.actor_label)
             for e in audit_entries_for(store=order.store, subject_type="order", subject_id=order.pk)]

    assert steps == [
        ("order.placed", "integration", "API key tests"),
        ("order.shipped", "integration", "API key tests"),
        ("shipment.delivered", "integration", "API key tests"),
        ("order.delivered", "integration", "API key tests"),
    ]


def test_shipping_an_unpaid_order_is_refused(api, store):
    make_variant(store, "HAT", price_minor=500)
    api.post("/orders", order_payload(("HAT", 1, 500), number="U1", paid=False))

    response = api.post("/orders/U1/shipments", {"carrier": "dhl", "tracking_number": "X"})

    assert response.status_code == 409
    assert "pending" in response.json()["detail"]


def test_shipping_nothing_left_is_a_validation_error(order):
    from rebox.core.actors import SYSTEM
    from rebox.orders.shipments import shipment_create

    shipment_create(order=order, carrier="dhl", tracking_number="A", actor=SYSTEM,
                    quantities={order.lines.get(sku="SOCK").pk: 3})
    with pytest.raises(ValidationFailed):
        shipment_create(order=order, carrier="dhl", tracking_number="B", actor=SYSTEM,
                        quantities={order.lines.get(sku="SOCK").pk: 1})


def test_a_tracking_number_already_in_use_is_a_conflict(api, order, store):
    api.post("/orders/T100/shipments", {"carrier": "dhl", "tracking_number": "SAME",
                                        "lines": {str(order.lines.get(sku="SOCK").pk): 1}})

    response = api.post("/orders/T100/shipments", {"carrier": "dhl", "tracking_number": "SAME"})

    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "tracking_number"
    assert order.shipments.count() == 1
