"""WooCommerce's order JSON read as a Rebox order draft, with no database."""

from datetime import UTC, datetime

import pytest

from rebox.core.errors import ValidationFailed
from rebox.orders.intake.woocommerce import is_ping, order_draft
from rebox.orders.rules import check_arithmetic, order_totals
from rebox.orders.tests.payloads import woocommerce_order


def fields_refused(order: dict) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as refused:
        order_draft(order)
    return {error.field: error.message for error in refused.value.errors}


def test_with_prices_including_vat_lines_carry_the_price_the_shopper_saw_in_agorot():
    shirt, sandals = order_draft(woocommerce_order()).lines

    assert (shirt.sku, shirt.quantity, shirt.unit_price_minor, shirt.discount_minor, shirt.tax_minor) == (
        "SHIRT-LIN-L", 1, 35400, 3540, 4860)
    assert (sandals.sku, sandals.quantity, sandals.unit_price_minor, sandals.discount_minor,
            sandals.tax_minor) == ("SANDAL-42", 2, 11800, 2360, 3240)


def test_order_totals_add_up_to_woocommerces_total_with_shipping_and_its_vat():
    draft = order_draft(woocommerce_order())

    assert draft.currency == "ILS" and draft.taxes_included
    assert draft.shipping_minor == 3000
    assert check_arithmetic(draft) == []
    assert order_totals(draft)["total_minor"] == draft.total_minor == 56100


def test_with_prices_before_vat_the_unit_price_is_the_subtotal_per_item():
    order = woocommerce_order()
    order["prices_include_tax"] = False
    order["total"] = "561.00"

    draft = order_draft(order)

    sandals = draft.lines[1]
    assert (sandals.unit_price_minor, sandals.discount_minor, sandals.tax_minor) == (10000, 2000, 3240)
    assert check_arithmetic(draft) == []


def test_number_id_and_the_gmt_creation_time_are_kept():
    draft = order_draft(woocommerce_order())

    assert (draft.number, draft.external_id) == ("7315", "7315")
    assert draft.placed_at == datetime(2025, 3, 14, 10, 4, 9, tzinfo=UTC)


def test_customer_comes_from_billing_and_the_parcel_goes_to_shipping():
    draft = order_draft(woocommerce_order())

    assert (draft.customer.email, draft.customer.name, draft.customer.phone) == (
        "noa.mizrahi@example.co.il", "Noa Mizrahi", "+972 52 555 0142")
    address = draft.shipping_address
    assert (address.name, address.line1, address.line2, address.postal_code, address.country) == (
        "Noa Mizrahi", "Rothschild Blvd 22", "Apt 5", "6688218", "IL")


def test_a_blank_shipping_address_falls_back_to_billing():
    order = woocommerce_order()
    order["shipping"] = {key: "" for key in order["shipping"]}
    order["billing"]["city"] = "Haifa"

    assert order_draft(order).shipping_address.city == "Haifa"


def test_a_paid_card_order_carries_one_captured_payment_with_the_transaction_id():
    (payment,) = order_draft(woocommerce_order()).payments

    assert (payment.method, payment.gateway, payment.reference, payment.amount_minor) == (
        "card", "stripe", "pi_3R2tYh2eZvKYlo2C0x8s7Fq1", 56100)


@pytest.mark.parametrize(("status", "method", "date_paid"), [
    ("processing", "cod", None),  # cash on delivery: processing, but no money yet
    ("on-hold", "bacs", None),  # waiting for the bank transfer
    ("pending", "stripe", None),
])
def test_an_order_without_money_received_carries_no_payment(status, method, date_paid):
    order = woocommerce_order()
    order.update(status=status, payment_method=method, date_paid_gmt=date_paid)

    assert order_draft(order).payments == []


def test_fees_are_refused_rather_than_lost():
    order = woocommerce_order()
    order["fee_lines"] = [{"id": 5, "name": "Gift wrap", "total": "10.00", "total_tax": "1.80"}]

    assert "fee_lines" in fields_refused(order)


def test_a_subtotal_that_does_not_split_into_equal_unit_prices_is_refused():
    order = woocommerce_order()
    order["line_items"][1]["subtotal"] = "200.01"

    assert "equal unit prices" in fields_refused(order)["line_items[1].subtotal"]


def test_an_amount_with_more_decimals_than_agorot_is_refused():
    order = woocommerce_order()
    order["shipping_total"] = "25.425"

    assert "more decimals" in fields_refused(order)["shipping_total"]


def test_the_ping_sent_when_a_webhook_is_saved_is_recognised():
    assert is_ping(b"webhook_id=12")
    assert not is_ping(b'{"webhook_id": 12}')
    assert not is_ping(b"webhook_id=12&evil=1")
