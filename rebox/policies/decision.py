"""The engine's answer for one line: data, with a structured reason for every part.

`Part`s are codes with parameters (dates, Money, numbers, law codes, citations); they are
turned into words only when shown (`rebox.policies.explain.render`), so evaluating stays
fast and the same answer can be told in any language.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import NamedTuple

from rebox.core.money import Money
from rebox.policies.types import Basis, Condition, Method, Resolution

TOPICS = ("eligibility", "window", "resolutions", "methods", "conditions", "fees", "evidence",
          "approval", "refund", "postage")


class Part(NamedTuple):
    topic: str  # one of TOPICS
    code: str  # key of the message table
    params: Mapping[str, object]


class Fees(NamedTuple):
    return_shipping: Money
    restocking: Money

    @property
    def total(self) -> Money:
        return self.return_shipping + self.restocking


class Decision(NamedTuple):
    """Immutable (a named tuple: it is built once per line evaluation, and cheaply)."""

    eligible: bool
    basis: Basis
    # Last local date (store time zone) on which the return may be asked for, inclusive.
    # None when the line is not returnable at all, or when ``window_open`` is set.
    window_end: date | None
    window_open: bool  # the period has not started yet (e.g. not delivered): no end yet
    window_source: str  # policy | law | none | staff (goodwill, recall)
    rule_id: str
    jurisdiction: str | None  # statutory pack code, None where no pack applies
    resolutions: frozenset[Resolution]
    methods: frozenset[Method]
    conditions: frozenset[Condition]
    fees: Fees
    evidence: frozenset[str]
    auto_approvable: bool
    refund_within_days: int | None  # statutory refund deadline from the notice, if any
    return_postage: str  # store | customer
    refund_original_delivery: bool
    parts: tuple[Part, ...]

    def parts_about(self, topic: str) -> tuple[Part, ...]:
        return tuple(p for p in self.parts if p.topic == topic)

    def codes(self) -> tuple[str, ...]:
        return tuple(p.code for p in self.parts)
