"""The nouns of a return policy, as plain frozen dataclasses: no Django, no ORM.

The engine takes *facts* (what the line and the order were when sold, what the customer
declares, why the item comes back) and a merchant `PolicyVersion` made of `Rule`s. Facts
are copied from `OrderLine` snapshots by the caller, so the policy in force decides by what
was sold, not by today's catalog.

A `Rule`'s effect fields default to ``None``, which means "as the policy's default rule
says"; the default rule sets every one of them (`validate_policy` checks it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType


class Basis(StrEnum):
    """Why the item comes back; each basis has its own rules (fees, deadline, who pays)."""

    CHANGE_OF_MIND = "change_of_mind"
    DEFECT = "defect"  # defect, damage, wrong item, not as described: the legal guarantee
    GOODWILL = "goodwill"  # staff decision beyond the policy
    RECALL = "recall"


class Resolution(StrEnum):
    REFUND = "refund"
    EXCHANGE = "exchange"
    STORE_CREDIT = "store_credit"
    KEEP_ITEM = "keep_item"


class Method(StrEnum):
    MAIL_LABEL = "mail_label"
    DROP_OFF = "drop_off"
    COURIER_PICKUP = "courier_pickup"


class WindowStart(StrEnum):
    DELIVERY = "delivery"  # falls back to the order date while no delivery is recorded
    ORDER_DATE = "order_date"


class Condition(StrEnum):
    UNUSED = "unused"
    ORIGINAL_PACKAGING = "original_packaging"
    TAGS_ATTACHED = "tags_attached"
    HYGIENE_SEAL_INTACT = "hygiene_seal_intact"


class SpecialGroup(StrEnum):
    """Israel, Consumer Protection Law § 14C1: groups with a 4-month cancellation period."""

    SENIOR_CITIZEN = "senior_citizen"
    PERSON_WITH_DISABILITY = "person_with_disability"
    NEW_IMMIGRANT = "new_immigrant"


@dataclass(frozen=True, slots=True)
class LineFacts:
    """One order line as sold (or the part of it being returned: ``quantity``)."""

    sku: str
    unit_price_minor: int
    currency: str
    quantity: int = 1
    product_handle: str = ""
    category_slug: str = ""
    supplier_code: str = ""
    final_sale: bool = False
    policy_tags: frozenset[str] = frozenset()

    def __post_init__(self):
        if type(self.policy_tags) is not frozenset:  # a list from JSON or the ORM snapshot
            object.__setattr__(self, "policy_tags", frozenset(self.policy_tags))

    @property
    def value_minor(self) -> int:
        return self.unit_price_minor * self.quantity


@dataclass(frozen=True, slots=True)
class OrderFacts:
    placed_at: datetime
    customer_country: str  # ISO 3166-1 alpha-2; chooses the statutory pack
    store_timezone: str  # IANA name; windows are local dates in this zone
    currency: str
    delivered_at: datetime | None = None  # the last delivery of the order (EU: "the last good")
    informed_of_withdrawal_right: bool = True
    whole_order_returned: bool = False
    # Israel § 14C1: the special period covers a distance sale only when the engagement
    # included a conversation with the trader. None = not known (the customer gets it).
    included_conversation: bool | None = None


@dataclass(frozen=True, slots=True)
class Reason:
    code: str  # too_small, defective, wrong_item, changed_mind, ...
    store_fault: bool = False
    proposed_basis: Basis | None = None

    @property
    def basis(self) -> Basis:
        if self.proposed_basis is not None:
            return self.proposed_basis
        return Basis.DEFECT if self.store_fault else Basis.CHANGE_OF_MIND


@dataclass(frozen=True, slots=True)
class Declarations:
    """What the customer states about themselves and the item (checked later, at receipt)."""

    israel_special_group: SpecialGroup | None = None
    hygiene_seal_opened: bool = False
    packaging_opened: bool = False  # sealed audio, video, software; recordable goods (IL)
    item_used: bool = False


NO_DECLARATIONS = Declarations()


@dataclass(frozen=True, slots=True)
class Match:
    """Which lines a rule is for; every criterion set must hold. Empty = every line."""

    sku: str | None = None
    product: str | None = None  # product handle
    supplier: str | None = None
    category: str | None = None
    policy_tag: str | None = None
    price_min_minor: int | None = None  # unit price, inclusive, in the policy's currency
    price_max_minor: int | None = None  # inclusive
    country: str | None = None  # the customer's

    def criteria(self) -> tuple[str, ...]:
        """Names of the criteria this match sets ("price_band" for either bound)."""
        names = [name for name in ("sku", "product", "supplier", "category", "policy_tag")
                 if getattr(self, name) is not None]
        if self.price_min_minor is not None or self.price_max_minor is not None:
            names.append("price_band")
        if self.country is not None:
            names.append("country")
        return tuple(names)


EMPTY_MAPPING: Mapping = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    match: Match = field(default_factory=Match)
    priority: int = 0  # breaks ties between equally specific rules; higher wins
    window_days: int | None = None
    window_starts: WindowStart | None = None
    conditions: frozenset[Condition] | None = None
    non_returnable: bool | None = None
    non_returnable_reason: str | None = None  # final_sale, personalised, perishable, hygiene, or text
    resolutions: frozenset[Resolution] | None = None
    methods: frozenset[Method] | None = None
    return_shipping_fee_minor: int | None = None
    restocking_fee_percent: Decimal | int | None = None  # at most two decimals
    restocking_fee_cap_minor: int | None = None  # None on the default rule: no cap
    waive_fees_on_store_fault: bool | None = None
    evidence: Mapping[str, frozenset[str]] | None = None  # reason code -> {"photo", ...}
    auto_approve_below_minor: int | None = None  # line value; None on the default: never
    auto_approve_reasons: frozenset[str] | None = None
    # Statutory exclusions (tags such as "perishable") this merchant accepts anyway;
    # "*" accepts them all. Otherwise the policy adopts the law's exclusions.
    waived_exclusions: frozenset[str] | None = None


EFFECT_FIELDS = (
    "window_days", "window_starts", "conditions", "non_returnable", "non_returnable_reason",
    "resolutions", "methods", "return_shipping_fee_minor", "restocking_fee_percent",
    "restocking_fee_cap_minor", "waive_fees_on_store_fault", "evidence",
    "auto_approve_below_minor", "auto_approve_reasons", "waived_exclusions",
)
# Effects the default rule may leave unset (None has a meaning there).
OPTIONAL_DEFAULT_EFFECTS = frozenset({
    "non_returnable_reason", "restocking_fee_cap_minor", "auto_approve_below_minor",
})


@dataclass(frozen=True, slots=True)
class PolicyVersion:
    id: str
    number: int
    effective_from: datetime
    currency: str  # of price bands and fixed fees
    default: Rule
    rules: tuple[Rule, ...] = ()


def complete_default(rule_id: str = "default", **effects) -> Rule:
    """A default rule with every effect set: 30 days from delivery, refund or exchange."""
    values = dict(
        window_days=30, window_starts=WindowStart.DELIVERY, conditions=frozenset(),
        non_returnable=False, resolutions=frozenset({Resolution.REFUND, Resolution.EXCHANGE}),
        methods=frozenset({Method.MAIL_LABEL, Method.DROP_OFF}), return_shipping_fee_minor=0,
        restocking_fee_percent=0, waive_fees_on_store_fault=True, evidence=EMPTY_MAPPING,
        auto_approve_reasons=frozenset(), waived_exclusions=frozenset(),
    )
    values.update(effects)
    return Rule(id=rule_id, **values)
