"""Storefront orders arriving by signed webhook: accepted once, refused loudly, never lost."""

import json

import pytest
from django.test import Client

from rebox.core.signatures import hmac_sha256_base64
from rebox.inventory.models import StockLevel
from rebox.orders.models import Customer, InboundWebhook, Order
from rebox.orders.tests.payloads import post_signed, shopify_order, woocommerce_order
from rebox.testing import make_store, make_variant

pytestmark = pytest.mark.django_db

SHOPIFY_SECRET = "shpss_9f2c1e7a"
WOO_SECRET = "wc_secret_41d8"
SHOPIFY_URL = "/hooks/shopify/shop"
WOO_URL = "/hooks/woocommerce/shop"


@pytest.fixture
def shop(store):
    store.webhook_secrets = {"shopify": SHOPIFY_SECRET, "woocommerce": WOO_SECRET}
    store.save(update_fields=["webhook_secrets"])
    for sku in ("TEE-ORG-M", "CAP-WOOL", "SHIRT-LIN-L", "SANDAL-42"):
        make_variant(store, sku, stock=5)
    return store


def from_shopify(body, *, delivery="b54557e4-bdd9-4b37-8a5f-bf7d70bcd043", topic="orders/create",
                 secret=SHOPIFY_SECRET, url=SHOPIFY_URL):
    return post_signed(url, body, secret=secret, signature_header="X-Shopify-Hmac-Sha256",
                       headers={"X-Shopify-Webhook-Id": delivery, "X-Shopify-Topic": topic,
                                "X-Shopify-Shop-Domain": "nordlys.myshopify.com"})


def from_woocommerce(body, *, delivery="3f7a2c41-0b1e", topic="order.created", secret=WOO_SECRET):
    return post_signed(WOO_URL, body, secret=secret, signature_header="X-WC-Webhook-Signature",
                       headers={"X-WC-Webhook-Delivery-ID": delivery, "X-WC-Webhook-Topic": topic,
                                "X-WC-Webhook-Source": "https://shop.example.co.il/"})


def assert_nothing_stored():
    assert not InboundWebhook.objects.exists()
    assert not Order.objects.exists()


def test_a_signed_shopify_order_becomes_a_paid_order_with_amounts_in_ore(shop):
    response = from_shopify(shopify_order())

    assert response.status_code == 201
    assert response.json()["order"] == "1042"
    order = Order.objects.get(store=shop, number="1042")
    assert (order.source, order.external_id, order.status, order.currency) == (
        "shopify", "5648371204135", "paid", "DKK")
    assert (order.subtotal_minor, order.discount_minor, order.tax_minor, order.shipping_minor,
            order.total_minor) == (69890, 6989, 12580, 3900, 66801)
    lines = [(line.sku, line.quantity, line.unit_price_minor, line.total_minor) for line in order.lines.all()]
    assert lines == [("TEE-ORG-M", 2, 24995, 44991), ("CAP-WOOL", 1, 19900, 17910)]
    assert [(p.amount_minor, p.gateway, p.status) for p in order.payments.all()] == [
        (66801, "shopify_payments", "captured")]


def test_the_accepted_delivery_is_kept_as_received_beside_its_order(shop):
    from_shopify(shopify_order())

    delivery = InboundWebhook.objects.get()
    assert (delivery.source, delivery.delivery_id, delivery.topic) == (
        "shopify", "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043", "orders/create")
    assert delivery.body == shopify_order()
    assert delivery.order == Order.objects.get()


def test_a_shopify_order_reserves_its_stock(shop):
    from_shopify(shopify_order())

    tee = StockLevel.objects.get(variant__sku="TEE-ORG-M")
    assert (tee.on_hand, tee.reserved) == (5, 2)


@pytest.mark.parametrize("secret", ["not-the-secret", None], ids=["wrong", "missing"])
def test_a_shopify_delivery_without_the_right_signature_is_refused_and_nothing_is_stored(shop, secret):
    response = from_shopify(shopify_order(), secret=secret)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert_nothing_stored()


def test_a_body_changed_after_signing_is_refused(shop):
    signed = json.dumps(shopify_order()).encode()
    tampered = signed.replace(b'"668.01"', b'"1.00"')

    response = Client().post(SHOPIFY_URL, tampered, content_type="application/json", headers={
        "X-Shopify-Hmac-Sha256": hmac_sha256_base64(SHOPIFY_SECRET, signed),
        "X-Shopify-Topic": "orders/create", "X-Shopify-Webhook-Id": "d1"})

    assert response.status_code == 401
    assert_nothing_stored()


def test_the_same_delivery_twice_is_stored_once_and_creates_one_order(shop):
    first = from_shopify(shopify_order())
    again = from_shopify(shopify_order())

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == {"outcome": "duplicate", "delivery_id": "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
                            "order": "1042"}
    assert InboundWebhook.objects.count() == 1
    assert Order.objects.count() == 1
    assert StockLevel.objects.get(variant__sku="TEE-ORG-M").reserved == 2


def test_the_same_shopify_order_resent_under_a_new_delivery_id_creates_no_second_order(shop):
    from_shopify(shopify_order(), delivery="first")
    resent = from_shopify(shopify_order(), delivery="second")

    assert resent.status_code == 200
    assert resent.json()["outcome"] == "duplicate"
    order = Order.objects.get()
    assert [d.order for d in InboundWebhook.objects.order_by("id")] == [order, order]


def test_a_signed_delivery_of_another_topic_is_kept_but_creates_no_order(shop):
    response = from_shopify(shopify_order(), topic="orders/updated")

    assert response.status_code == 202
    assert InboundWebhook.objects.get().topic == "orders/updated"
    assert not Order.objects.exists()


def test_an_unsigned_delivery_of_another_topic_is_refused_and_not_kept(shop):
    response = from_shopify(shopify_order(), topic="orders/updated", secret=None)

    assert response.status_code == 401
    assert_nothing_stored()


def test_an_order_with_an_unknown_sku_is_refused_but_its_delivery_is_kept(shop):
    order = shopify_order()
    order["line_items"][1]["sku"] = "CAP-SILK"

    response = from_shopify(order)

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == [{"field": "lines[1].sku", "message": "unknown SKU 'CAP-SILK'"}]
    assert InboundWebhook.objects.get().order is None
    assert not Order.objects.exists()
    assert not Customer.objects.exists()
    assert StockLevel.objects.get(variant__sku="TEE-ORG-M").reserved == 0


def test_a_retried_delivery_creates_the_order_once_the_merchant_adds_the_missing_sku(shop):
    order = shopify_order()
    order["line_items"][1]["sku"] = "CAP-SILK"
    assert from_shopify(order).status_code == 422

    make_variant(shop, "CAP-SILK")
    retried = from_shopify(order)

    assert retried.status_code == 201
    assert InboundWebhook.objects.get().order == Order.objects.get()


def test_an_order_refused_for_want_of_stock_keeps_its_delivery_and_reserves_nothing(shop):
    order = shopify_order()
    order["line_items"][1]["quantity"] = 6
    order["line_items"][1]["tax_lines"][0]["price"] = "214.92"
    order["line_items"][1]["discount_allocations"][0]["amount"] = "119.40"
    order["total_price"] = "1563.51"

    response = from_shopify(order)

    assert response.status_code == 409
    assert response.json()["code"] == "out_of_stock"
    assert InboundWebhook.objects.get().order is None
    assert not Order.objects.exists()
    assert [level.reserved for level in StockLevel.objects.all()] == [0, 0, 0, 0]


def test_an_order_whose_number_another_order_already_has_is_refused_but_kept(shop):
    from_woocommerce(woocommerce_order())
    order = shopify_order()
    order["name"] = "#7315"

    response = from_shopify(order)

    assert response.status_code == 409
    assert response.json()["errors"] == [{"field": "number", "message": "already used by another order"}]
    assert InboundWebhook.objects.filter(source="shopify", order=None).count() == 1
    assert Order.objects.count() == 1


def test_a_refused_amount_names_shopifys_field(shop):
    order = shopify_order()
    order["line_items"][0]["price"] = "249.951"

    response = from_shopify(order)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "line_items[0].price"
    assert InboundWebhook.objects.filter(order=None).count() == 1


def test_a_signed_body_that_is_not_json_is_refused(shop):
    response = from_shopify(b"<order/>")

    assert response.status_code == 422
    assert_nothing_stored()


def test_an_unknown_store_or_one_without_a_shopify_secret_has_no_endpoint(shop):
    make_store("quiet", webhook_secrets={"woocommerce": WOO_SECRET})

    assert from_shopify(shopify_order(), url="/hooks/shopify/nowhere").status_code == 404
    assert from_shopify(shopify_order(), url="/hooks/shopify/quiet").status_code == 404
    assert_nothing_stored()


def test_a_signature_made_with_another_stores_secret_is_refused(shop):
    make_store("other", webhook_secrets={"shopify": "other-secret"})

    assert from_shopify(shopify_order(), secret="other-secret").status_code == 401
    assert_nothing_stored()


def test_a_signed_woocommerce_order_becomes_a_paid_order_with_amounts_in_agorot(shop):
    response = from_woocommerce(woocommerce_order())

    assert response.status_code == 201
    order = Order.objects.get(store=shop, number="7315")
    assert (order.source, order.external_id, order.currency, order.status) == (
        "woocommerce", "7315", "ILS", "paid")
    assert (order.subtotal_minor, order.discount_minor, order.tax_minor, order.shipping_minor,
            order.total_minor) == (59000, 5900, 8100, 3000, 56100)
    assert [(p.amount_minor, p.gateway, p.reference) for p in order.payments.all()] == [
        (56100, "stripe", "pi_3R2tYh2eZvKYlo2C0x8s7Fq1")]
    assert InboundWebhook.objects.get(source="woocommerce").order == order


def test_the_woocommerce_ping_is_answered_and_not_stored(shop):
    response = Client().post(WOO_URL, b"webhook_id=12", content_type="application/x-www-form-urlencoded")

    assert response.status_code == 200
    assert_nothing_stored()


@pytest.mark.parametrize("secret", ["not-the-secret", None], ids=["wrong", "missing"])
def test_a_woocommerce_delivery_without_the_right_signature_is_refused(shop, secret):
    response = from_woocommerce(woocommerce_order(), secret=secret)

    assert response.status_code == 401
    assert_nothing_stored()


def test_the_shopify_secret_does_not_sign_woocommerce_deliveries(shop):
    assert from_woocommerce(woocommerce_order(), secret=SHOPIFY_SECRET).status_code == 401
    assert_nothing_stored()


def test_the_same_woocommerce_delivery_twice_is_stored_once(shop):
    first = from_woocommerce(woocommerce_order())
    again = from_woocommerce(woocommerce_order())

    assert (first.status_code, again.status_code) == (201, 200)
    assert InboundWebhook.objects.count() == 1
    assert Order.objects.count() == 1


def test_a_woocommerce_order_update_is_kept_but_ignored(shop):
    response = from_woocommerce(woocommerce_order(), topic="order.updated")

    assert response.status_code == 202
    assert not Order.objects.exists()
