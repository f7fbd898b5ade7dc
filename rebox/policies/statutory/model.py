"""A statutory rule pack, typed: what one jurisdiction's law guarantees a distance buyer.

Built from the TOML data beside this module (`rebox.policies.statutory.load_packs`). Every
value keeps its citation in ``citations`` under a dotted path ("withdrawal.days"), with
``verified`` False where the research notes (shared/data/statutory.md) mark it unverified.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from rebox.policies.statutory.days import DayCount

EXCLUSION_TRIGGERS = frozenset({"seal_opened", "packaging_opened"})
NOT_INFORMED_RULES = frozenset({"none", "extra_months", "replace_days", "never_starts"})
POSTAGE_RULES = frozenset({"customer_if_informed", "customer", "store", "unknown"})


@dataclass(frozen=True, slots=True)
class Cited:
    value: object
    source: str
    verified: bool = True


@dataclass(frozen=True, slots=True)
class Exclusion:
    """Goods outside the withdrawal right; ``when`` narrows it to goods whose seal or
    packaging the customer opened after delivery (None: always)."""

    tag: str
    when: str | None
    source: str
    verified: bool = True


@dataclass(frozen=True, slots=True)
class SpecialPeriod:
    """A longer withdrawal period for declared groups (Israel § 14C1)."""

    groups: frozenset[str]
    months: int
    requires_conversation: bool
    source: str


@dataclass(frozen=True, slots=True)
class DefectRight:
    """The right to return non-conforming goods, separate from change of mind: no fees,
    the trader pays the return; its own period from delivery."""

    right: str  # legal_guarantee | reklamationsret | short_term_right_to_reject | warranty | ...
    days: int | None
    months: int | None
    scope_tags: frozenset[str]  # empty: all goods
    min_price_minor: int | None  # in min_price_currency; the line's unit price must exceed it
    min_price_currency: str | None
    remedies: frozenset[str]  # resolutions the law gives: refund, exchange
    trader_collects: bool
    refund_within_days: int | None
    source: str
    verified: bool = True

    def covers(self, tags: frozenset[str], unit_price_minor: int, currency: str) -> bool:
        if self.scope_tags and not (self.scope_tags & tags):
            return False
        if self.min_price_minor is not None and currency == self.min_price_currency:
            return unit_price_minor > self.min_price_minor
        return True


@dataclass(frozen=True, slots=True)
class StatutoryPack:
    code: str
    law: str
    version: str
    countries: frozenset[str]
    withdrawal_days: int  # 0: no statutory change-of-mind right
    withdrawal_starts: str  # delivery
    not_informed: str  # one of NOT_INFORMED_RULES
    not_informed_amount: int  # months for extra_months, days for replace_days
    use_keeps_right: bool  # using the item does not lose the right (value loss is deducted)
    special: SpecialPeriod | None
    exclusions: Mapping[str, Exclusion]
    fee_max_percent: Decimal | None  # None: the law sets no cap we know of
    fee_max_minor: int | None
    fee_cap_currency: str | None
    fee_cap_includes_shipping: bool
    return_postage: str  # one of POSTAGE_RULES
    refund_within_days: int | None
    original_delivery_refunded: bool
    defect: DefectRight | None
    day_count: DayCount
    citations: Mapping[str, Cited]
    exclusion_tags: frozenset[str] = frozenset()  # set from ``exclusions`` when built
    fee_max_basis_points: int | None = None  # fee_max_percent x 100, for integer arithmetic

    def source(self, path: str) -> str:
        cited = self.citations.get(path)
        return cited.source if cited else ""

    def unverified(self) -> tuple[str, ...]:
        return tuple(path for path, cited in self.citations.items() if not cited.verified)
