"""Shopify's order JSON read as a Rebox order draft, with no database."""

from datetime import UTC, datetime

import pytest

from rebox.core.errors import ValidationFailed
from rebox.orders.intake.shopify import order_draft
from rebox.orders.rules import check_arithmetic, order_totals
from rebox.orders.tests.payloads import shopify_order


def fields_refused(order: dict) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as refused:
        order_draft(order)
    return {error.field: error.message for error in refused.value.errors}


def test_lines_carry_unit_price_discount_and_tax_in_ore():
    tee, cap = order_draft(shopify_order()).lines

    assert (tee.sku, tee.quantity, tee.unit_price_minor, tee.discount_minor, tee.tax_minor) == (
        "TEE-ORG-M", 2, 24995, 4999, 8998)
    assert (cap.sku, cap.quantity, cap.unit_price_minor, cap.discount_minor, cap.tax_minor) == (
        "CAP-WOOL", 1, 19900, 1990, 3582)
    assert tee.title == "Økologisk T-shirt - Skovgrøn / M"


def test_order_totals_add_up_to_shopifys_total_price():
    draft = order_draft(shopify_order())

    assert draft.currency == "DKK" and draft.taxes_included
    assert draft.shipping_minor == 3900
    assert draft.total_minor == 66801
    assert check_arithmetic(draft) == []
    assert order_totals(draft) == {"subtotal_minor": 69890, "discount_minor": 6989, "tax_minor": 12580,
                                   "shipping_minor": 3900, "total_minor": 66801}


def test_the_shopper_facing_number_and_shopifys_id_are_kept():
    draft = order_draft(shopify_order())

    assert draft.number == "1042"
    assert draft.external_id == "5648371204135"
    assert draft.placed_at == datetime(2025, 3, 14, 9, 21, 47, tzinfo=UTC)


def test_customer_and_shipping_address_are_read():
    draft = order_draft(shopify_order())

    assert (draft.customer.email, draft.customer.name, draft.customer.language) == (
        "freja.holm@example.dk", "Freja Holm", "da")
    address = draft.shipping_address
    assert (address.line1, address.city, address.postal_code, address.country) == (
        "Jægersborggade 14, 2. tv", "København N", "2200", "DK")


def test_a_paid_order_carries_one_captured_payment_of_the_total_through_its_gateway():
    (payment,) = order_draft(shopify_order()).payments

    assert (payment.method, payment.gateway, payment.amount_minor, payment.status) == (
        "card", "shopify_payments", 66801, "captured")


def test_the_capturing_transaction_names_the_gateway_and_the_reference():
    order = shopify_order()
    order["transactions"] = [
        {"id": 1, "kind": "authorization", "status": "success", "gateway": "paypal"},
        {"id": 2, "kind": "capture", "status": "success", "gateway": "paypal", "authorization": "9XK1"},
    ]

    (payment,) = order_draft(order).payments

    assert (payment.method, payment.gateway, payment.reference) == ("paypal", "paypal", "9XK1")


@pytest.mark.parametrize("status", ["pending", "authorized", "partially_paid"])
def test_an_order_not_yet_paid_carries_no_payment(status):
    order = shopify_order()
    order["financial_status"] = status

    assert order_draft(order).payments == []


def test_a_discount_reported_both_ways_is_counted_once():
    order = shopify_order()
    order["line_items"][0]["total_discount"] = "49.99"

    assert order_draft(order).lines[0].discount_minor == 4999


def test_total_discount_counts_when_there_are_no_allocations():
    order = shopify_order()
    order["line_items"][1]["discount_allocations"] = []
    order["line_items"][1]["total_discount"] = "19.90"

    assert order_draft(order).lines[1].discount_minor == 1990


def test_with_prices_before_tax_the_shipping_tax_is_added_to_shipping():
    order = shopify_order()
    order["taxes_included"] = False

    assert order_draft(order).shipping_minor == 3900 + 780


def test_an_amount_with_more_decimals_than_kroner_have_is_refused():
    order = shopify_order()
    order["line_items"][0]["price"] = "249.955"

    assert "more decimals" in fields_refused(order)["line_items[0].price"]


def test_a_float_amount_is_refused_rather_than_trusted():
    order = shopify_order()
    order["total_price"] = 668.01

    assert "decimal string" in fields_refused(order)["total_price"]


def test_every_unusable_field_is_listed_at_once():
    order = shopify_order()
    order["line_items"][1]["sku"] = ""
    order["line_items"][1]["quantity"] = "1"
    order["email"] = order["contact_email"] = None
    order["customer"]["email"] = None
    order["created_at"] = "14/03/2025"

    assert set(fields_refused(order)) == {
        "line_items[1].sku", "line_items[1].quantity", "email", "created_at"}


def test_an_unknown_currency_is_refused():
    order = shopify_order()
    order["currency"] = "KRONER"

    assert set(fields_refused(order)) == {"currency"}
