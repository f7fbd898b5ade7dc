"""Shopify's order JSON (the `orders/create` webhook body) as an `OrderDraft`.

Pure: no database, so every rule here is tested in milliseconds.

How Shopify's numbers map onto Rebox's:

* ``line_items[].price`` is the unit price, tax included when ``taxes_included`` is true
  (as Rebox's ``unit_price_minor`` is under the same flag);
* a line's discount is the sum of its ``discount_allocations`` (order-level codes spread
  over lines by Shopify); the older ``total_discount`` is read only when there are none,
  since Shopify can report the same discount in both;
* a line's tax is the sum of its ``tax_lines[].price``;
* shipping is each ``shipping_lines[].price`` less its own discount allocations, plus its
  tax when prices exclude tax (Rebox keeps no separate shipping tax, so the order total
  still matches ``total_price``, which the draft carries as a cross-check).
"""

from rebox.orders.drafts import AddressDraft, CustomerDraft, LineDraft, OrderDraft, PaymentDraft
from rebox.orders.intake.reading import PayloadReader, full_name, text

SIGNATURE_HEADER = "X-Shopify-Hmac-Sha256"
DELIVERY_HEADER = "X-Shopify-Webhook-Id"
TOPIC_HEADER = "X-Shopify-Topic"
ORDER_CREATED = "orders/create"

# Shopify gateway names (lower-cased) → Rebox payment methods; anything else is "other".
PAYMENT_METHODS = {
    "shopify_payments": "card",
    "stripe": "card",
    "paypal": "paypal",
    "gift_card": "gift_card",
    "cash on delivery (cod)": "cash_on_delivery",
    "bank deposit": "bank_transfer",
}
CAPTURING_KINDS = ("sale", "capture")


def external_id(order: dict) -> str:
    """Shopify's own id for the order: the same order sent twice has the same one."""
    return text(order, "id", 100)


def order_draft(order: dict) -> OrderDraft:
    """Translate one Shopify order; raises ValidationFailed listing every field it cannot use."""
    read = PayloadReader(order.get("currency"))
    taxes_included = order.get("taxes_included") is True
    lines = [_line(read, item, f"line_items[{i}]")
             for i, item in enumerate(read.entries(order.get("line_items"), "line_items"))]
    shipping = _shipping(read, order.get("shipping_lines"), taxes_included=taxes_included)
    total = read.amount(order.get("total_price"), "total_price")
    placed_at = read.moment(order.get("created_at"), "created_at")
    email = text(order, "email") or text(order, "contact_email") or text(order.get("customer") or {}, "email")
    if not email:
        read.error("email", "required: the shopper finds the order by it")
    if not external_id(order):
        read.error("id", "required")
    read.check()
    return OrderDraft(
        currency=read.currency, customer=_customer(order, email), lines=lines,
        shipping_address=_address(order.get("shipping_address") or {}),
        payments=_payments(order, total), number=_number(order), shipping_minor=shipping,
        taxes_included=taxes_included, total_minor=total, placed_at=placed_at,
        external_id=external_id(order),
    )


def _line(read: PayloadReader, item: dict, at: str) -> LineDraft:
    if item.get("discount_allocations"):
        discount = read.total_of(item["discount_allocations"], "amount", f"{at}.discount_allocations")
    else:
        discount = read.amount(item.get("total_discount") or "0", f"{at}.total_discount")
    sku = text(item, "sku", 64)
    if not sku:
        read.error(f"{at}.sku", "required: Rebox matches lines to its catalog by SKU")
    return LineDraft(
        sku=sku, quantity=read.quantity(item.get("quantity"), f"{at}.quantity"),
        unit_price_minor=read.amount(item.get("price"), f"{at}.price"),
        discount_minor=discount, tax_minor=read.total_of(item.get("tax_lines"), "price", f"{at}.tax_lines"),
        title=text(item, "name", 300) or text(item, "title", 300),
    )


def _shipping(read: PayloadReader, shipping_lines: object, *, taxes_included: bool) -> int:
    shipping = 0
    for i, line in enumerate(read.entries(shipping_lines, "shipping_lines")):
        at = f"shipping_lines[{i}]"
        shipping += read.amount(line.get("price"), f"{at}.price")
        shipping -= read.total_of(line.get("discount_allocations"), "amount", f"{at}.discount_allocations")
        if not taxes_included:
            shipping += read.total_of(line.get("tax_lines"), "price", f"{at}.tax_lines")
    return shipping


def _number(order: dict) -> str | None:
    """The number the shopper saw ("#1001" → "1001"), which they type into the portal."""
    return text(order, "name", 64).lstrip("#").strip() or text(order, "order_number", 64) or None


def _customer(order: dict, email: str) -> CustomerDraft:
    customer = order.get("customer") or {}
    address = order.get("shipping_address") or order.get("billing_address") or {}
    return CustomerDraft(
        email=email, name=full_name(customer) or text(address, "name") or full_name(address),
        phone=(text(customer, "phone") or text(order, "phone") or text(address, "phone"))[:40],
        language=text(order, "customer_locale").split("-")[0].lower()[:8],
    )


def _address(address: dict) -> AddressDraft:
    return AddressDraft(
        name=text(address, "name") or full_name(address), line1=text(address, "address1"),
        line2=text(address, "address2"), city=text(address, "city"),
        postal_code=text(address, "zip", 20), country=text(address, "country_code", 2).upper(),
        phone=text(address, "phone", 40),
    )


def _payments(order: dict, total: int) -> list[PaymentDraft]:
    """A paid order carries one captured payment of its total; anything else none yet."""
    if order.get("financial_status") != "paid" or total <= 0:
        return []
    transaction = _capturing_transaction(order)
    names = order.get("payment_gateway_names")
    gateway = text(transaction, "gateway") or (str(names[0]) if isinstance(names, list) and names else "")
    return [PaymentDraft(
        method=PAYMENT_METHODS.get(gateway.lower(), "other"), amount_minor=total,
        gateway=gateway[:40], reference=text(transaction, "authorization") or text(transaction, "id"),
    )]


def _capturing_transaction(order: dict) -> dict:
    transactions = order.get("transactions")
    for transaction in transactions if isinstance(transactions, list) else []:
        if (isinstance(transaction, dict) and transaction.get("kind") in CAPTURING_KINDS
                and transaction.get("status") == "success"):
            return transaction
    return {}
