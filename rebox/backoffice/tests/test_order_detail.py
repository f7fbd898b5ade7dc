"""One order: its lines, totals, payments, parcels with tracking, address and timeline."""

from datetime import UTC, datetime

import pytest

from rebox.backoffice.tests.conftest import place_order
from rebox.core.actors import Actor
from rebox.orders.shipments import TrackingUpdate, shipment_create, tracking_event_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped_order(store):
    order = place_order(store, "T100", lines=(("BOOT-40", 1, 90_000), ("SOCK", 3, 1_000)),
                        shipping_minor=4_900)
    shipment = shipment_create(order=order, carrier="dhl", tracking_number="JD014600",
                               actor=Actor("staff", "mette@shop.example"))
    tracking_event_record(shipment=shipment, actor=Actor.carrier("dhl"), update=TrackingUpdate(
        external_id="e1", status="in_transit", location="Hub Kastrup",
        occurred_at=datetime(2030, 3, 3, 7, 15, tzinfo=UTC), description="Sorted"))
    return order


def test_the_order_page_shows_every_line_with_its_amounts(staff_client, shipped_order):
    response = staff_client.get("/orders/T100/")

    html = response.content.decode()
    assert response.status_code == 200
    assert [line.sku for line in response.context["lines"]] == ["BOOT-40", "SOCK"]
    assert "Shirt BOOT-40" in html and "Shirt SOCK" in html
    assert "€900.00" in html and "€10.00" in html and "€30.00" in html
    assert "€49.00" in html  # shipping
    assert "€979.00" in html  # total


def test_the_order_page_shows_payment_address_and_parcel_tracking(staff_client, shipped_order):
    html = staff_client.get("/orders/T100/").content.decode()

    assert "ch_T100" in html and "Card" in html and "Captured" in html
    assert "Nørregade 1" in html and "Denmark" in html
    assert 'href="https://www.dhl.com/track?tracking-id=JD014600"' in html
    assert "Hub Kastrup" in html and "In transit" in html
    assert "Mar 3, 2030, 8:15" in html  # the carrier's scan, in Copenhagen time


def test_the_timeline_says_who_did_what_when_and_why(staff_client, shipped_order):
    response = staff_client.get("/orders/T100/")

    html = response.content.decode()
    actions = [entry.action for entry in response.context["timeline"]]
    assert actions == ["order.placed", "order.shipped", "shipment.in_transit"]
    assert "Order placed" in html and "Integration: <bdi>Storefront</bdi>" in html
    assert "Order shipped" in html and "Staff: <bdi>mette@shop.example</bdi>" in html
    assert "Parcel in transit" in html and "Carrier: <bdi>dhl</bdi>" in html
    assert "dhl JD014600" in html  # why it was shipped


def test_an_unknown_order_number_is_a_404_page(staff_client):
    response = staff_client.get("/orders/NOPE/")

    assert response.status_code == 404
    assert "There is no such order" in response.content.decode()


def test_the_order_page_needs_a_fixed_number_of_queries(staff_client, shipped_order,
                                                         django_assert_max_num_queries):
    with django_assert_max_num_queries(20):  # 14 for the page, 6 for the money panel
        staff_client.get("/orders/T100/")
