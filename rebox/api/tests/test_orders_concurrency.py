"""The last units cannot be sold twice, even to concurrent requests (PostgreSQL)."""

import pytest

from rebox.inventory.models import StockLevel, StockMovement
from rebox.inventory.services import stock_level_from_ledger
from rebox.orders.models import Order
from rebox.testing import api_client_for, make_location, make_store, make_variant, order_payload, run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(clients_and_bodies):
    def buy(api, body, key):
        def call():
            response = api.post("/orders", body, idempotency_key=key)
            return response.status_code, response.json()
        return call

    return run_at_once([buy(*args) for args in clients_and_bodies])


def test_twenty_concurrent_orders_for_the_last_three_units_sell_exactly_three():
    store = make_store("race")
    make_location(store)
    variant = make_variant(store, "LAST-ONES", price_minor=1_000, stock=3)
    api = api_client_for(store)
    bodies = [(api, order_payload(("LAST-ONES", 1, 1_000), email=f"buyer{i}@example.com"), f"k{i}")
              for i in range(20)]

    results = _race(bodies)

    statuses = sorted(status for status, _ in results)
    assert statuses == [201] * 3 + [409] * 17
    refusals = [body for status, body in results if status == 409]
    assert all(body["code"] == "out_of_stock" for body in refusals)
    assert all("not enough stock" in body["errors"][0]["message"] for body in refusals)
    level = StockLevel.objects.get(variant=variant)
    assert (level.on_hand, level.reserved) == (3, 3)
    assert stock_level_from_ledger(variant_id=variant.pk, location_id=level.location_id) == (3, 3)
    assert Order.objects.filter(store=store).count() == 3
    assert StockMovement.objects.filter(variant=variant, kind="reserved").count() == 3


def test_the_same_idempotency_key_sent_concurrently_creates_one_order():
    store = make_store("twice")
    make_location(store)
    make_variant(store, "TWICE", price_minor=1_000, stock=50)
    api = api_client_for(store)
    body = order_payload(("TWICE", 1, 1_000))

    results = _race([(api, body, "same-key")] * 8)

    assert {status for status, _ in results} == {201}
    assert len({body["number"] for _, body in results}) == 1
    assert Order.objects.filter(store=store).count() == 1
    assert StockLevel.objects.get(variant__sku="TWICE").reserved == 1
