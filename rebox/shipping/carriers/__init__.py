"""Carrier adapters: one narrow interface, vendor errors translated at the boundary.

    CarrierError            something went wrong buying a label
    ├── CarrierUnavailable  timeout, connection refused, 5xx, rate limit: retry later
    └── CarrierRefused      the carrier said no (4xx with its error JSON): retrying the same
                            request will not help, staff must fix the data and retry

``carrier_for(store)`` picks the store's adapter (``CarrierAccount``; none: built-in).
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Protocol


class CarrierError(Exception):
    permanent = False


class CarrierUnavailable(CarrierError):
    pass


class CarrierRefused(CarrierError):
    permanent = True


@dataclass(frozen=True)
class LabelLine:
    sku: str
    title: str
    quantity: int


@dataclass(frozen=True)
class LabelRequest:
    """All a carrier needs to buy one parcel's label; ``reference`` is stable per parcel."""

    reference: str
    return_number: str
    store_name: str
    method: str
    from_address: dict
    to_address: dict
    lines: tuple[LabelLine, ...] = ()
    parcel: dict = field(default_factory=dict)
    pickup_date: date | None = None


@dataclass(frozen=True)
class PurchasedLabel:
    carrier: str
    service: str
    tracking_number: str
    tracking_url: str
    label_pdf: bytes
    shipment_id: str = ""
    label_url: str = ""
    pickup_confirmation: str = ""


class Carrier(Protocol):
    name: str

    def buy_label(self, request: LabelRequest) -> PurchasedLabel:
        """Buy (or find, when ``request.reference`` was bought before) the label."""
        ...


def carrier_for(store) -> Carrier:
    from rebox.shipping.carriers.builtin import BuiltinCarrier
    from rebox.shipping.carriers.easypost import EasyPostCarrier
    from rebox.shipping.models import CarrierAccount

    account = CarrierAccount.objects.filter(store=store).first()
    if account is None or account.carrier == CarrierAccount.Carrier.BUILTIN:
        return BuiltinCarrier()
    return EasyPostCarrier(
        api_key=account.api_key, base_url=account.base_url or None, default_parcel=account.parcel or None
    )
