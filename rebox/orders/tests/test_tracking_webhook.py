"""Carriers report tracking by signed webhook: the parcel moves on, the delivery date is set."""

import json
from datetime import UTC, datetime

import pytest
from django.test import Client

from rebox.core.actors import SYSTEM
from rebox.core.signatures import hmac_sha256_hex
from rebox.orders.drafts import CustomerDraft, LineDraft, OrderDraft, PaymentDraft
from rebox.orders.models import Order, TrackingEvent
from rebox.orders.services import order_create
from rebox.orders.shipments import shipment_create
from rebox.testing import make_variant

pytestmark = pytest.mark.django_db

SECRET = "trk_5e0b77"
URL = "/hooks/tracking/shop"


@pytest.fixture
def shipment(store):
    store.webhook_secrets = {"tracking": SECRET}
    store.save(update_fields=["webhook_secrets"])
    make_variant(store, "BOOT-40", price_minor=90_000)
    draft = OrderDraft(currency="EUR", customer=CustomerDraft(email="ana@example.com"),
                       lines=[LineDraft(sku="BOOT-40", quantity=1, unit_price_minor=90_000)],
                       payments=[PaymentDraft(method="card", amount_minor=90_000)], number="T200")
    order = order_create(store=store, draft=draft, actor=SYSTEM)
    return shipment_create(order=order, carrier="postnord", tracking_number="00370712345678901234",
                           actor=SYSTEM)


def carrier_event(event_id: str, status: str, occurred_at: str, *, secret: str | None = SECRET):
    body = json.dumps({"id": event_id, "carrier": "postnord", "tracking_number": "00370712345678901234",
                       "status": status, "occurred_at": occurred_at, "location": "Taastrup",
                       "description": "Pakken er på vej"}).encode()
    headers = {"X-Rebox-Signature": "sha256=" + hmac_sha256_hex(secret, body)} if secret else {}
    return Client().post(URL, body, content_type="application/json", headers=headers)


def test_signed_events_move_the_parcel_to_in_transit_then_delivered(shipment):
    in_transit = carrier_event("pn-1", "in_transit", "2026-11-02T08:00:00Z")
    shipment.refresh_from_db()
    assert in_transit.status_code == 200
    assert shipment.status == "in_transit"

    delivered = carrier_event("pn-2", "delivered", "2026-11-03T14:05:00+01:00")

    shipment.refresh_from_db()
    assert delivered.json() == {"recorded": True}
    assert shipment.status == "delivered"
    assert shipment.delivered_at == datetime(2026, 11, 3, 13, 5, tzinfo=UTC)


def test_delivery_of_the_last_parcel_dates_the_order_and_marks_it_delivered(shipment):
    carrier_event("pn-1", "in_transit", "2026-11-02T08:00:00Z")
    carrier_event("pn-2", "delivered", "2026-11-03T14:05:00+01:00")

    order = Order.objects.get(number="T200")
    assert order.delivered_at == datetime(2026, 11, 3, 13, 5, tzinfo=UTC)
    assert order.status == "delivered"


@pytest.mark.parametrize("secret", ["not-the-secret", None], ids=["wrong", "missing"])
def test_an_event_without_the_right_signature_is_refused_and_nothing_changes(shipment, secret):
    response = carrier_event("pn-2", "delivered", "2026-11-03T14:05:00+01:00", secret=secret)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert not TrackingEvent.objects.exists()
    shipment.refresh_from_db()
    assert (shipment.status, shipment.delivered_at) == ("label_created", None)
    assert Order.objects.get(number="T200").delivered_at is None


def test_the_same_event_sent_twice_is_recorded_once(shipment):
    first = carrier_event("pn-1", "in_transit", "2026-11-02T08:00:00Z")
    again = carrier_event("pn-1", "in_transit", "2026-11-02T08:00:00Z")

    assert (first.json(), again.json()) == ({"recorded": True}, {"recorded": False})
    assert TrackingEvent.objects.filter(shipment=shipment).count() == 1


def test_an_event_for_a_parcel_the_store_never_shipped_is_not_found(shipment):
    body = json.dumps({"id": "x", "carrier": "postnord", "tracking_number": "UNKNOWN",
                       "status": "delivered", "occurred_at": "2026-11-03T10:00:00Z"}).encode()
    response = Client().post(URL, body, content_type="application/json",
                             headers={"X-Rebox-Signature": "sha256=" + hmac_sha256_hex(SECRET, body)})

    assert response.status_code == 404
    assert not TrackingEvent.objects.exists()
