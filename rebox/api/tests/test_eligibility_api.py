"""GET /api/v1/orders/{number}/eligibility: the policy engine's answer, per line."""

from datetime import timedelta

import pytest
from django.utils import timezone

from rebox.testing import make_variant, order_payload

pytestmark = pytest.mark.django_db


def _delivered_order(api, store, *, days_ago: int, country: str = "DK", final_sale=False):
    make_variant(store, "TEE", price_minor=20_000, stock=10)
    make_variant(store, "MUG", price_minor=5_000, stock=10, final_sale=final_sale, category="home")
    body = order_payload(("TEE", 2, 20_000), ("MUG", 1, 5_000), number="E1", country=country)
    body["placed_at"] = (timezone.now() - timedelta(days=days_ago + 2)).isoformat()
    assert api.post("/orders", body).status_code == 201
    shipment = api.post("/orders/E1/shipments", {"carrier": "dhl", "tracking_number": "E1"})
    delivered_at = (timezone.now() - timedelta(days=days_ago)).isoformat()
    api.post(f"/orders/E1/shipments/{shipment.json()['shipments'][0]['id']}/events",
             {"id": "d", "status": "delivered", "occurred_at": delivered_at})


def test_a_recent_delivery_is_returnable_until_a_stated_inclusive_date(api, store):
    _delivered_order(api, store, days_ago=3)

    response = api.get("/orders/E1/eligibility", language="da")

    assert response.status_code == 200
    body = response.json()
    tee = body["lines"][0]
    assert tee["eligible"] is True
    assert tee["returnable_quantity"] == 2
    assert tee["window_end_inclusive"] is True
    expected_end = (timezone.now() - timedelta(days=3)).astimezone(
        __import__("zoneinfo").ZoneInfo("Europe/Copenhagen")).date() + timedelta(days=30)
    assert tee["window_end"] == expected_end.isoformat()  # the store's 30-day starting policy
    assert "refund" in tee["resolutions"]
    assert tee["headline"] and tee["explanation"]
    assert body["policy_version"] == 1


def test_after_the_window_the_line_is_not_returnable_and_says_why(api, store):
    _delivered_order(api, store, days_ago=60)

    tee = api.get("/orders/E1/eligibility", language="en").json()["lines"][0]

    assert tee["eligible"] is False
    assert tee["headline"]


def test_a_defect_is_returnable_long_after_the_change_of_mind_window_in_the_eu(api, store):
    _delivered_order(api, store, days_ago=200)

    tee = api.get("/orders/E1/eligibility", reason="defective").json()["lines"][0]

    assert tee["eligible"] is True
    assert tee["basis"] == "defect"
    assert tee["fees"]["total"]["amount"] == 0


def test_an_unknown_reason_or_language_is_a_field_error(api, store):
    _delivered_order(api, store, days_ago=3)

    assert api.get("/orders/E1/eligibility", reason="bored").json()["errors"][0]["field"] == "reason"
    assert api.get("/orders/E1/eligibility", language="fr").json()["errors"][0]["field"] == "language"


def test_an_imported_delivered_order_without_parcels_counts_as_delivered_in_full(api, store):
    from rebox.orders.models import Order

    make_variant(store, "OLD", price_minor=1_000, stock=5)
    api.post("/orders", order_payload(("OLD", 3, 1_000), number="IMP"))
    Order.objects.filter(number="IMP").update(status="delivered",
                                              delivered_at=timezone.now() - timedelta(days=2))

    line = api.get("/orders/IMP/eligibility").json()["lines"][0]

    assert (line["returnable_quantity"], line["eligible"]) == (3, True)
