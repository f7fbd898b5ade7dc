"""An order as it arrives, before Rebox accepts it: plain data shared by every intake
(REST API, Shopify and WooCommerce webhooks, bulk import, demo data)."""

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class AddressDraft:
    name: str = ""
    line1: str = ""
    line2: str = ""
    city: str = ""
    postal_code: str = ""
    country: str = ""
    phone: str = ""

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items()}


@dataclass
class CustomerDraft:
    email: str
    name: str = ""
    phone: str = ""
    language: str = ""


@dataclass
class LineDraft:
    sku: str
    quantity: int
    unit_price_minor: int
    discount_minor: int = 0
    tax_minor: int = 0
    title: str = ""


@dataclass
class PaymentDraft:
    method: str
    amount_minor: int
    gateway: str = ""
    reference: str = ""
    status: str = "captured"


@dataclass
class OrderDraft:
    currency: str
    customer: CustomerDraft
    lines: list[LineDraft]
    shipping_address: AddressDraft = field(default_factory=AddressDraft)
    payments: list[PaymentDraft] = field(default_factory=list)
    number: str | None = None
    shipping_minor: int = 0
    taxes_included: bool = False
    total_minor: int | None = None  # when given, must equal what the lines add up to
    placed_at: datetime | None = None
    language: str = ""
    external_id: str | None = None
