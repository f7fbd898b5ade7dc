"""Wire shapes of /api/v1. Amounts are integers in minor units."""

from datetime import datetime

from ninja import Field, Schema


class FieldErrorOut(Schema):
    field: str
    message: str


class Problem(Schema):
    type: str
    title: str
    status: int
    code: str
    detail: str
    errors: list[FieldErrorOut]


class AddressIn(Schema):
    name: str = Field("", max_length=200)
    line1: str = Field(..., min_length=1, max_length=200)
    line2: str = Field("", max_length=200)
    city: str = Field(..., min_length=1, max_length=100)
    postal_code: str = Field("", max_length=20)
    country: str = Field(..., pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2")
    phone: str = Field("", max_length=40)


class CustomerIn(Schema):
    email: str = Field(..., pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)
    name: str = Field("", max_length=200)
    phone: str = Field("", max_length=40)
    language: str = Field("", max_length=8)


class LineIn(Schema):
    sku: str = Field(..., min_length=1, max_length=64)
    quantity: int = Field(..., ge=1, le=10_000)
    unit_price_minor: int = Field(..., ge=0)
    discount_minor: int = Field(0, ge=0)
    tax_minor: int = Field(0, ge=0)
    title: str = Field("", max_length=300)


class PaymentIn(Schema):
    method: str = Field(..., pattern=r"^(card|gift_card|store_credit|paypal|bank_transfer|"
                                     r"cash_on_delivery|other)$")
    amount_minor: int = Field(..., ge=1)
    gateway: str = Field("", max_length=40)
    reference: str = Field("", max_length=200)
    status: str = Field("captured", pattern=r"^(captured|authorized)$")


class OrderIn(Schema):
    number: str | None = Field(None, min_length=1, max_length=64)
    currency: str = Field(..., pattern=r"^[A-Z]{3}$")
    language: str = Field("", max_length=8)
    customer: CustomerIn
    shipping_address: AddressIn
    lines: list[LineIn] = Field(..., min_length=1, max_length=500)
    payments: list[PaymentIn] = Field(default_factory=list, max_length=20)
    shipping_minor: int = Field(0, ge=0)
    taxes_included: bool = False
    total_minor: int | None = Field(None, ge=0)
    placed_at: datetime | None = None


class LineOut(Schema):
    id: int
    position: int
    sku: str
    title: str
    quantity: int
    unit_price_minor: int
    discount_minor: int
    tax_minor: int
    total_minor: int
    shipped_quantity: int


class PaymentOut(Schema):
    method: str
    gateway: str
    reference: str
    amount_minor: int
    currency: str
    status: str


class TrackingEventOut(Schema):
    status: str
    occurred_at: datetime
    location: str
    description: str


class ShipmentOut(Schema):
    id: int
    carrier: str
    service: str
    tracking_number: str
    tracking_url: str
    status: str
    shipped_at: datetime
    delivered_at: datetime | None
    lines: dict[str, int]
    events: list[TrackingEventOut]


class OrderSummaryOut(Schema):
    number: str
    status: str
    email: str
    currency: str
    total_minor: int
    placed_at: datetime
    delivered_at: datetime | None


class OrderOut(OrderSummaryOut):
    language: str
    source: str
    customer_name: str
    shipping_address: dict
    subtotal_minor: int
    discount_minor: int
    shipping_minor: int
    tax_minor: int
    lines: list[LineOut]
    payments: list[PaymentOut]
    shipments: list[ShipmentOut]


class OrderPage(Schema):
    items: list[OrderSummaryOut]
    next_cursor: str | None


class ShipmentIn(Schema):
    carrier: str = Field(..., min_length=1, max_length=40)
    tracking_number: str = Field(..., min_length=1, max_length=100)
    service: str = Field("", max_length=60)
    lines: dict[int, int] | None = Field(
        None, description="quantity to ship by order line id; omitted: everything left")


class TrackingEventIn(Schema):
    id: str = Field(..., min_length=1, max_length=100, description="the carrier's event id")
    status: str = Field(..., pattern=r"^(in_transit|out_for_delivery|delivered|exception)$")
    occurred_at: datetime
    location: str = Field("", max_length=200)
    description: str = Field("", max_length=300)
