"""Where each returned line goes: pure rules over plain data (no ORM), tested in isolation.

A line's destination, in this order:

1. a dropship line (its product's supplier ships direct) goes back to that supplier;
2. the store's routing rules, first match by position (category, supplier, customer
   country, unit value below a threshold: e.g. cheap items to a liquidator or recycler);
3. the nearest active warehouse that restocks the line's category: one in the customer's
   country first, then by the store's own order of nearness (``position``);
4. the store's default return address.

Lines with the same destination travel together: one parcel per destination, so one
parcel per supplier.
"""

from collections.abc import Sequence
from dataclasses import dataclass

# A destination key: ("supplier", code), ("destination", id), ("address", id) or ("none", "").
Key = tuple[str, str]
NOWHERE: Key = ("none", "")


@dataclass(frozen=True)
class LineFacts:
    line_id: int
    quantity: int
    category_slug: str = ""
    supplier_code: str = ""
    dropship: bool = False
    unit_value_minor: int = 0


@dataclass(frozen=True)
class RuleFacts:
    destination_id: int
    category_slug: str = ""
    supplier_code: str = ""
    customer_country: str = ""
    unit_value_below_minor: int | None = None

    def matches(self, line: LineFacts, country: str) -> bool:
        return (
            (not self.category_slug or self.category_slug == line.category_slug)
            and (not self.supplier_code or self.supplier_code == line.supplier_code)
            and (not self.customer_country or self.customer_country == country)
            and (self.unit_value_below_minor is None or line.unit_value_minor < self.unit_value_below_minor)
        )


@dataclass(frozen=True)
class WarehouseFacts:
    destination_id: int
    country: str
    restocks: frozenset[str]


@dataclass(frozen=True)
class PlannedParcel:
    key: Key
    lines: tuple[tuple[int, int], ...]  # (line id, quantity)


def line_destination(
    line: LineFacts,
    *,
    customer_country: str,
    rules: Sequence[RuleFacts],
    warehouses: Sequence[WarehouseFacts],
    default_address_id: int | None,
) -> Key:
    """The destination of one line; ``rules`` and ``warehouses`` in the store's order."""
    if line.dropship and line.supplier_code:
        return ("supplier", line.supplier_code)
    for rule in rules:
        if rule.matches(line, customer_country):
            return ("destination", str(rule.destination_id))
    restocking = [w for w in warehouses if line.category_slug and line.category_slug in w.restocks]
    restocking.sort(key=lambda w: w.country != customer_country)  # stable: keeps nearness order
    if restocking:
        return ("destination", str(restocking[0].destination_id))
    if default_address_id is not None:
        return ("address", str(default_address_id))
    return NOWHERE


def plan_parcels(
    lines: Sequence[LineFacts],
    *,
    customer_country: str,
    rules: Sequence[RuleFacts] = (),
    warehouses: Sequence[WarehouseFacts] = (),
    default_address_id: int | None = None,
) -> list[PlannedParcel]:
    """One parcel per destination, in the order the destinations first appear."""
    grouped: dict[Key, list[tuple[int, int]]] = {}
    for line in lines:
        key = line_destination(
            line,
            customer_country=customer_country,
            rules=rules,
            warehouses=warehouses,
            default_address_id=default_address_id,
        )
        grouped.setdefault(key, []).append((line.line_id, line.quantity))
    return [PlannedParcel(key=key, lines=tuple(members)) for key, members in grouped.items()]
