"""WooCommerce's order JSON (REST API v3, the `order.created` webhook body) as an `OrderDraft`.

Pure: no database, so every rule here is tested in milliseconds.

WooCommerce stores line amounts *without* tax even when the shop's prices include it:
``subtotal`` is before discounts, ``total`` after, and ``subtotal_tax``/``total_tax`` sit
beside them. Rebox wants a unit price as the shopper saw it, so with
``prices_include_tax`` the unit price is (subtotal + subtotal_tax) ÷ quantity and the
discount is taken on the tax-inclusive amounts. The float ``price`` field is never read.
Shipping likewise comes without tax (``shipping_total`` + ``shipping_tax``); Rebox keeps
no separate shipping tax, so shipping is stored with its tax and the order total still
matches ``total``, which the draft carries as a cross-check.
"""

import re

from rebox.orders.drafts import AddressDraft, CustomerDraft, LineDraft, OrderDraft, PaymentDraft
from rebox.orders.intake.reading import PayloadReader, full_name, text

SIGNATURE_HEADER = "X-WC-Webhook-Signature"
DELIVERY_HEADER = "X-WC-Webhook-Delivery-ID"
TOPIC_HEADER = "X-WC-Webhook-Topic"
ORDER_CREATED = "order.created"

# Sent once, unsigned, when a merchant saves the webhook in WooCommerce.
PING = re.compile(rb"webhook_id=\d+")

PAYMENT_METHODS = {
    "bacs": "bank_transfer",
    "cod": "cash_on_delivery",
    "paypal": "paypal",
    "ppcp-gateway": "paypal",
    "stripe": "card",
    "woocommerce_payments": "card",
}
PAID_STATUSES = ("processing", "completed")


def is_ping(body: bytes) -> bool:
    return PING.fullmatch(body.strip()) is not None


def external_id(order: dict) -> str:
    """WooCommerce's own id for the order: the same order sent twice has the same one."""
    return text(order, "id", 100)


def order_draft(order: dict) -> OrderDraft:
    """Translate one WooCommerce order; raises ValidationFailed listing every field it cannot use."""
    read = PayloadReader(order.get("currency"))
    taxes_included = order.get("prices_include_tax") is True
    lines = [_line(read, item, f"line_items[{i}]", taxes_included=taxes_included)
             for i, item in enumerate(read.entries(order.get("line_items"), "line_items"))]
    if read.entries(order.get("fee_lines"), "fee_lines"):
        read.error("fee_lines", "fees are not supported yet")
    shipping = (read.amount(order.get("shipping_total") or "0", "shipping_total")
                + read.amount(order.get("shipping_tax") or "0", "shipping_tax"))
    total = read.amount(order.get("total"), "total")
    placed_at = read.moment(order.get("date_created_gmt"), "date_created_gmt", naive_is_utc=True)
    billing = order.get("billing") or {}
    if not text(billing, "email"):
        read.error("billing.email", "required: the shopper finds the order by it")
    if not external_id(order):
        read.error("id", "required")
    read.check()
    return OrderDraft(
        currency=read.currency, customer=_customer(billing), lines=lines,
        shipping_address=_address(order.get("shipping") or {}, billing),
        payments=_payments(order, total), number=text(order, "number", 64) or external_id(order),
        shipping_minor=shipping, taxes_included=taxes_included, total_minor=total,
        placed_at=placed_at, external_id=external_id(order),
    )


def _line(read: PayloadReader, item: dict, at: str, *, taxes_included: bool) -> LineDraft:
    quantity = read.quantity(item.get("quantity"), f"{at}.quantity")
    before_discount = read.amount(item.get("subtotal"), f"{at}.subtotal")
    after_discount = read.amount(item.get("total"), f"{at}.total")
    tax = read.amount(item.get("total_tax") or "0", f"{at}.total_tax")
    if taxes_included:
        before_discount += read.amount(item.get("subtotal_tax") or "0", f"{at}.subtotal_tax")
        after_discount += tax
    if quantity > 0 and before_discount % quantity:
        read.error(f"{at}.subtotal", f"does not divide into {quantity} equal unit prices")
    sku = text(item, "sku", 64)
    if not sku:
        read.error(f"{at}.sku", "required: Rebox matches lines to its catalog by SKU")
    return LineDraft(
        sku=sku, quantity=quantity, unit_price_minor=before_discount // quantity if quantity > 0 else 0,
        discount_minor=before_discount - after_discount, tax_minor=tax, title=text(item, "name", 300),
    )


def _customer(billing: dict) -> CustomerDraft:
    return CustomerDraft(email=text(billing, "email"), name=full_name(billing),
                         phone=text(billing, "phone", 40))


def _address(shipping: dict, billing: dict) -> AddressDraft:
    """The shipping address; the billing one when WooCommerce left it blank."""
    address = shipping if text(shipping, "address_1") else billing
    return AddressDraft(
        name=full_name(address), line1=text(address, "address_1"), line2=text(address, "address_2"),
        city=text(address, "city"), postal_code=text(address, "postcode", 20),
        country=text(address, "country", 2).upper(),
        phone=text(shipping, "phone", 40) or text(billing, "phone", 40),
    )


def _payments(order: dict, total: int) -> list[PaymentDraft]:
    """Paid means money arrived: a processing order paid by cash on delivery has not."""
    paid = order.get("status") in PAID_STATUSES and (
        bool(order["date_paid_gmt"]) if "date_paid_gmt" in order else True)
    if not paid or total <= 0:
        return []
    gateway = text(order, "payment_method", 40)
    return [PaymentDraft(method=PAYMENT_METHODS.get(gateway, "other"), amount_minor=total,
                         gateway=gateway, reference=text(order, "transaction_id"))]
