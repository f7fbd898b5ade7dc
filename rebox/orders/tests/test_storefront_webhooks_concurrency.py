"""The same storefront order delivered many times at once still becomes one order (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from rebox.inventory.models import StockLevel
from rebox.orders.models import InboundWebhook, Order
from rebox.orders.tests.payloads import post_signed, shopify_order
from rebox.testing import make_location, make_store, make_variant

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SECRET = "shpss_race"


def _deliver_at_once(delivery_ids: list[str]) -> list[int]:
    barrier = threading.Barrier(len(delivery_ids))
    statuses = [0] * len(delivery_ids)

    def deliver(index: int, delivery_id: str) -> None:
        try:
            barrier.wait(timeout=10)
            statuses[index] = post_signed(
                "/hooks/shopify/race", shopify_order(), secret=SECRET,
                signature_header="X-Shopify-Hmac-Sha256",
                headers={"X-Shopify-Webhook-Id": delivery_id, "X-Shopify-Topic": "orders/create"},
            ).status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver, args=(i, d)) for i, d in enumerate(delivery_ids)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


def test_concurrent_redeliveries_and_resends_create_one_order_and_reserve_stock_once():
    store = make_store("race", webhook_secrets={"shopify": SECRET})
    make_location(store)
    make_variant(store, "TEE-ORG-M", stock=5)
    make_variant(store, "CAP-WOOL", stock=5)

    statuses = _deliver_at_once(["same", "same", "same", "new-1", "new-2", "new-3"])

    assert sorted(statuses) == [200] * 5 + [201]
    assert Order.objects.filter(store=store).count() == 1
    assert InboundWebhook.objects.filter(store=store).count() == 4
    assert set(InboundWebhook.objects.values_list("order__number", flat=True)) == {"1042"}
    assert StockLevel.objects.get(variant__sku="TEE-ORG-M").reserved == 2
