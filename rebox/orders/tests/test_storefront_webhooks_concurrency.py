"""The same storefront order delivered many times at once still becomes one order (PostgreSQL)."""

import pytest

from rebox.inventory.models import StockLevel
from rebox.orders.models import InboundWebhook, Order
from rebox.orders.tests.payloads import post_signed, shopify_order
from rebox.testing import make_location, make_store, make_variant, run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SECRET = "shpss_race"


def _deliver_at_once(delivery_ids: list[str]) -> list[int]:
    def deliver(delivery_id: str):
        return lambda: post_signed(
            "/hooks/shopify/race", shopify_order(), secret=SECRET,
            signature_header="X-Shopify-Hmac-Sha256",
            headers={"X-Shopify-Webhook-Id": delivery_id, "X-Shopify-Topic": "orders/create"},
        ).status_code

    return run_at_once([deliver(d) for d in delivery_ids])


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
