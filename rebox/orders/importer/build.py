"""From one order as a JSON-shaped body (the POST /api/v1/orders body plus ``status`` and
``delivered_at``) to a checked order, or the reasons it cannot be imported.

Both file formats come through here: JSON Lines gives the body as it is, CSV builds it from
an order's rows. Errors name fields by their path in the body (``customer.email``,
``lines[2].quantity``, ``payments``), as the API does; each format maps them back to rows.
"""

import re
from datetime import datetime, timedelta

from rebox.core.errors import FieldError
from rebox.core.money import is_known_currency
from rebox.orders.drafts import AddressDraft, CustomerDraft, LineDraft, OrderDraft, PaymentDraft
from rebox.orders.importer.records import (
    MAX_LENGTH,
    MAX_LINES,
    MAX_PAYMENTS,
    MAX_QUANTITY,
    PAYMENT_METHODS,
    PAYMENT_STATUSES,
    ImportedOrder,
    StoreFacts,
)
from rebox.orders.rules import check_arithmetic, order_totals
from rebox.orders.states import OrderStatus

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
COUNTRY = re.compile(r"^[A-Z]{2}$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
STATUSES = frozenset(OrderStatus.values)
CLOCK_SKEW = timedelta(minutes=5)
TRUE, FALSE = frozenset({"true", "1", "yes", "y"}), frozenset({"false", "0", "no", "n", ""})


class _Fields:
    """Reads typed values out of a body, collecting one error per bad field."""

    __slots__ = ("errors", "facts")

    def __init__(self, facts: StoreFacts):
        self.errors: list[FieldError] = []
        self.facts = facts

    # ``within`` prefixes the field's path (``lines[2]`` + ``sku``); the path is only
    # spelled out for an error, which keeps the common case fast.

    def fail(self, within: str, path: str, message: str) -> None:
        self.errors.append(FieldError(f"{within}.{path}" if within else path, message))

    def text(self, value, path: str, limit: str, *, required: bool = False, within: str = "") -> str:
        # NUL characters never get here: the file scan refuses NUL bytes, the JSON Lines
        # reader refuses lines with an escaped one (PostgreSQL text cannot hold them).
        if value.__class__ is str:
            value = value.strip()
        elif value is None:
            value = ""
        else:
            self.fail(within, path, "must be text")
            return ""
        if not value:
            if required:
                self.fail(within, path, "is required")
        elif len(value) > MAX_LENGTH[limit]:
            self.fail(within, path, f"is longer than {MAX_LENGTH[limit]} characters")
        return value

    def integer(self, value, path: str, *, minimum: int = 0, maximum: int | None = None,
                required: bool = False, within: str = "") -> int:
        if value.__class__ is not int:
            if value is None or value == "":
                if required:
                    self.fail(within, path, "is required")
                return 0
            try:
                value = int(value) if value.__class__ is str else _whole(value)
            except (TypeError, ValueError):
                self.fail(within, path,
                          f"must be a whole number of minor units (1250 for 12.50), not {value!r}"
                          if path.endswith("_minor") else f"must be a whole number, not {value!r}")
                return 0
        if value < minimum:
            self.fail(within, path, f"must be at least {minimum}")
        elif maximum is not None and value > maximum:
            self.fail(within, path, f"must be at most {maximum}")
        return value

    def moment(self, value, path: str, *, required: bool = False) -> datetime | None:
        if value is None or value == "":
            if required:
                self.errors.append(FieldError(path, "is required"))
            return None
        try:
            moment = datetime.fromisoformat(value.strip())
        except (AttributeError, TypeError, ValueError):
            self.errors.append(FieldError(path, f"must be an ISO 8601 date and time, not {value!r}"))
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.facts.time_zone)
        if moment > self.facts.now + CLOCK_SKEW:
            self.errors.append(FieldError(path, "is in the future"))
        return moment

    def flag(self, value, path: str) -> bool:
        if isinstance(value, bool) or value is None:
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in TRUE | FALSE:
            return value.strip().lower() in TRUE
        self.errors.append(FieldError(path, f"must be true or false, not {value!r}"))
        return False

    def section(self, value, path: str, kind: type, *, required: bool = True):
        if isinstance(value, kind):
            return value
        if value is None and not required:
            return kind()
        self.errors.append(FieldError(path, "is required" if value is None
                                      else f"must be {'an object' if kind is dict else 'a list'}"))
        return kind()


def _whole(value) -> int:
    if isinstance(value, bool) or not isinstance(value, float) or not value.is_integer():
        raise ValueError
    return int(value)


def order_from_body(body: dict, facts: StoreFacts) -> ImportedOrder | list[FieldError]:
    """The checked order, or every reason it cannot be imported (all of them, not the first)."""
    read = _Fields(facts)
    number = read.text(body.get("number"), "number", "number", required=True)
    currency = read.text(body.get("currency"), "currency", "code", required=True)
    if currency and not (CURRENCY.match(currency) and is_known_currency(currency)):
        read.errors.append(FieldError("currency", f"{currency!r} is not an ISO 4217 currency code"))
    language = read.text(body.get("language"), "language", "language")
    if language and language not in facts.languages:
        read.errors.append(FieldError("language", f"the store offers {', '.join(sorted(facts.languages))}"))
    placed_at = read.moment(body.get("placed_at"), "placed_at", required=True)
    delivered_at = read.moment(body.get("delivered_at"), "delivered_at")
    customer = _customer(read, read.section(body.get("customer"), "customer", dict))
    address = _address(read, read.section(body.get("shipping_address"), "shipping_address", dict))
    if not address.name:
        address.name = customer.name
    lines = _lines(read, read.section(body.get("lines"), "lines", list))
    payments = _payments(read, read.section(body.get("payments"), "payments", list, required=False))
    total = body.get("total_minor")
    draft = OrderDraft(
        number=number, currency=currency, language=language, customer=customer,
        shipping_address=address, lines=lines, payments=payments, placed_at=placed_at,
        shipping_minor=read.integer(body.get("shipping_minor"), "shipping_minor"),
        taxes_included=read.flag(body.get("taxes_included"), "taxes_included"),
        total_minor=None if total in (None, "") else read.integer(total, "total_minor"),
    )
    status = _status(read, body.get("status"), draft=draft, delivered_at=delivered_at)
    if read.errors:
        return read.errors
    errors = check_arithmetic(draft)
    if errors:
        return errors
    return ImportedOrder(number=number, rows=[], draft=draft, status=status,
                         delivered_at=delivered_at, totals=order_totals(draft))


def _customer(read: _Fields, body: dict) -> CustomerDraft:
    get, text, within = body.get, read.text, "customer"
    email = text(get("email"), "email", "email", required=True, within=within)
    if email and not EMAIL.match(email):
        read.fail(within, "email", f"{email!r} is not an email address")
    return CustomerDraft(
        email=email.lower(), name=text(get("name"), "name", "customer_name", within=within),
        phone=text(get("phone"), "phone", "phone", within=within),
        language=text(get("language"), "language", "language", within=within))


def _address(read: _Fields, body: dict) -> AddressDraft:
    get, text, within = body.get, read.text, "shipping_address"
    country = text(get("country"), "country", "code", required=True, within=within).upper()
    if country and not COUNTRY.match(country):
        read.fail(within, "country", f"{country!r} is not an ISO 3166-1 alpha-2 country code")
    return AddressDraft(
        name=text(get("name"), "name", "address_name", within=within),
        line1=text(get("line1"), "line1", "line1", required=True, within=within),
        line2=text(get("line2"), "line2", "line2", within=within),
        city=text(get("city"), "city", "city", required=True, within=within),
        postal_code=text(get("postal_code"), "postal_code", "postal_code", within=within),
        country=country, phone=text(get("phone"), "phone", "phone", within=within))


def _lines(read: _Fields, items: list) -> list[LineDraft]:
    if len(items) > MAX_LINES:
        read.errors.append(FieldError("lines", f"an order has at most {MAX_LINES} lines"))
    lines, text, integer, skus = [], read.text, read.integer, read.facts.skus
    for i, item in enumerate(items):
        within = f"lines[{i}]"
        if not isinstance(item, dict):
            read.errors.append(FieldError(within, "must be an object"))
            continue
        get = item.get
        sku = text(get("sku"), "sku", "sku", required=True, within=within)
        if sku and sku not in skus:
            read.fail(within, "sku", f"unknown SKU {sku!r} in this store")
        lines.append(LineDraft(
            sku=sku, title=text(get("title"), "title", "title", within=within),
            quantity=integer(get("quantity"), "quantity", minimum=1, maximum=MAX_QUANTITY,
                             required=True, within=within),
            unit_price_minor=integer(get("unit_price_minor"), "unit_price_minor", required=True,
                                     within=within),
            discount_minor=integer(get("discount_minor"), "discount_minor", within=within),
            tax_minor=integer(get("tax_minor"), "tax_minor", within=within)))
    return lines


def _payments(read: _Fields, items: list) -> list[PaymentDraft]:
    if len(items) > MAX_PAYMENTS:
        read.errors.append(FieldError("payments", f"an order has at most {MAX_PAYMENTS} payments"))
    payments, text = [], read.text
    for i, item in enumerate(items):
        within = f"payments[{i}]"
        if not isinstance(item, dict):
            read.errors.append(FieldError(within, "must be an object"))
            continue
        get = item.get
        method = text(get("method"), "method", "code", required=True, within=within)
        if method and method not in PAYMENT_METHODS:
            read.fail(within, "method", f"must be one of {', '.join(sorted(PAYMENT_METHODS))}")
        status = text(get("status"), "status", "code", within=within) or "captured"
        if status not in PAYMENT_STATUSES:
            read.fail(within, "status", "must be captured or authorized")
        payments.append(PaymentDraft(
            method=method, status=status,
            amount_minor=read.integer(get("amount_minor"), "amount_minor", minimum=1,
                                      required=True, within=within),
            gateway=text(get("gateway"), "gateway", "gateway", within=within),
            reference=text(get("reference"), "reference", "reference", within=within)))
    return payments


def _status(read: _Fields, value, *, draft: OrderDraft, delivered_at: datetime | None) -> str:
    """Given, or what the order's facts say: delivered when it has a delivery date, paid
    when it has payments, else pending. A status must not contradict those facts."""
    status = read.text(value, "status", "code").lower() if value not in (None, "") else ""
    if status and status not in STATUSES:
        read.errors.append(FieldError("status", f"must be one of {', '.join(OrderStatus.values)}"))
        return status
    status = status or ("delivered" if delivered_at else "paid" if draft.payments else "pending")
    if status == "delivered" and delivered_at is None:
        read.errors.append(FieldError("delivered_at", "is required when the status is delivered "
                                                      "(return windows start there)"))
    if delivered_at is not None:
        if status != "delivered":
            read.errors.append(FieldError("delivered_at", f"is given but the status is {status}"))
        elif draft.placed_at and delivered_at < draft.placed_at:
            read.errors.append(FieldError("delivered_at", "is before placed_at"))
    if status == "pending" and any(p.status == "captured" for p in draft.payments):
        read.errors.append(FieldError("status", "is pending (awaiting payment) but a payment "
                                                "was captured"))
    if status == "paid" and not draft.payments:
        read.errors.append(FieldError("status", "is paid but the order has no payment"))
    return status
