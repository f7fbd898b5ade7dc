"""Try a draft before it goes live: every line of real orders through the version in force
and through the draft, counted by what would change for the customer.

    result = simulate(lines, current=in_force, draft=draft, at=asked_after_delivery(14))

``lines`` is any iterable of `SimulatedLine` (order number, line facts, order facts); the
store's orders come from `rebox.policies.selectors.simulation_lines`, one query. The
question asked of each line is the change-of-mind one (no reason given, the common case):
"could this line be sent back at ``at``, and at what cost?". ``at`` is one moment for all
lines ("today") or a function of the order (e.g. 14 days after its delivery).

What is counted, per line:

* returnable before / after, and the lines that *become* returnable or non-returnable;
* the return window (inclusive end date) getting longer or shorter: an open window (the
  period has not started) counts as the longest, no window at all as the shortest;
* fees (return shipping + restocking) and the refund (line value minus fees) that a return
  of the whole line would cost or bring, summed over the lines returnable on each side,
  per currency; lines returnable on both sides whose fees go up or down are counted too.

Examples are up to ten order numbers per kind of change, in the order the lines came.
Pure: no Django, no clock; the engine runs well over 50,000 evaluations a second.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple

from rebox.core.money import Money
from rebox.policies.decision import Decision
from rebox.policies.engine import evaluate
from rebox.policies.precedence import compile_policy
from rebox.policies.types import LineFacts, OrderFacts, PolicyVersion, Reason

CHANGES = ("became_returnable", "became_non_returnable", "window_longer", "window_shorter",
           "fees_higher", "fees_lower")
MAX_EXAMPLES = 10
_NO_WINDOW = date.min  # not returnable at all: shorter than any window
_OPEN_WINDOW = date.max  # not started yet (e.g. not delivered): longer than any end date


class SimulatedLine(NamedTuple):
    order_number: str
    line: LineFacts
    order: OrderFacts


def asked_after_delivery(days: int) -> Callable[[OrderFacts], datetime]:
    """Each order asked ``days`` after its delivery (after it was placed, if never delivered)."""
    span = timedelta(days=days)

    def at(order: OrderFacts) -> datetime:
        return (order.delivered_at or order.placed_at) + span

    return at


@dataclass
class SimulationResult:
    lines: int = 0
    orders: int = 0
    returnable_before: int = 0
    returnable_after: int = 0
    changes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CHANGES, 0))
    examples: dict[str, list[str]] = field(default_factory=lambda: {kind: [] for kind in CHANGES})
    # currency -> minor units, over the lines returnable on that side
    fees_before: dict[str, int] = field(default_factory=dict)
    fees_after: dict[str, int] = field(default_factory=dict)
    refunds_before: dict[str, int] = field(default_factory=dict)
    refunds_after: dict[str, int] = field(default_factory=dict)

    @property
    def currencies(self) -> list[str]:
        return sorted(set(self.fees_before) | set(self.fees_after) | set(self.refunds_before)
                      | set(self.refunds_after))

    def fee_change(self) -> dict[str, Money]:
        return {c: Money(self.fees_after.get(c, 0) - self.fees_before.get(c, 0), c) for c in self.currencies}

    def refund_change(self) -> dict[str, Money]:
        return {c: Money(self.refunds_after.get(c, 0) - self.refunds_before.get(c, 0), c)
                for c in self.currencies}

    def as_json(self) -> dict:
        return {"lines": self.lines, "orders": self.orders, "returnable_before": self.returnable_before,
                "returnable_after": self.returnable_after, "changes": dict(self.changes),
                "examples": {k: list(v) for k, v in self.examples.items()},
                "fees_before": dict(self.fees_before), "fees_after": dict(self.fees_after),
                "refunds_before": dict(self.refunds_before), "refunds_after": dict(self.refunds_after)}

    @classmethod
    def from_json(cls, data: dict) -> SimulationResult:
        result = cls(**{k: data[k] for k in ("lines", "orders", "returnable_before", "returnable_after")})
        result.changes.update(data.get("changes", {}))
        result.examples.update(data.get("examples", {}))
        for name in ("fees_before", "fees_after", "refunds_before", "refunds_after"):
            getattr(result, name).update(data.get(name, {}))
        return result


def simulate(lines: Iterable[SimulatedLine], *, current: PolicyVersion, draft: PolicyVersion,
             at: datetime | Callable[[OrderFacts], datetime],
             reason: Reason | None = None) -> SimulationResult:
    """Count what changes for ``lines`` when ``draft`` replaces ``current``."""
    before_policy, after_policy = compile_policy(current), compile_policy(draft)
    moment = at if callable(at) else (lambda _order: at)
    result = SimulationResult()
    orders: set[str] = set()
    for number, line, order in lines:
        asked = moment(order)
        before = evaluate(before_policy, line, order, at=asked, reason=reason)
        after = evaluate(after_policy, line, order, at=asked, reason=reason)
        result.lines += 1
        orders.add(number)
        _count(result, number, line, before, after)
    result.orders = len(orders)
    return result


def _count(result: SimulationResult, number: str, line: LineFacts, before: Decision, after: Decision) -> None:
    currency = line.currency
    if before.eligible:
        result.returnable_before += 1
        _add(result.fees_before, currency, before.fees.total.amount)
        _add(result.refunds_before, currency, line.value_minor - before.fees.total.amount)
    if after.eligible:
        result.returnable_after += 1
        _add(result.fees_after, currency, after.fees.total.amount)
        _add(result.refunds_after, currency, line.value_minor - after.fees.total.amount)
    if after.eligible and not before.eligible:
        _note(result, "became_returnable", number)
    elif before.eligible and not after.eligible:
        _note(result, "became_non_returnable", number)
    elif before.eligible and after.eligible:
        fees_before, fees_after = before.fees.total.amount, after.fees.total.amount
        if fees_after > fees_before:
            _note(result, "fees_higher", number)
        elif fees_after < fees_before:
            _note(result, "fees_lower", number)
    end_before, end_after = _window_end(before), _window_end(after)
    if end_after > end_before:
        _note(result, "window_longer", number)
    elif end_after < end_before:
        _note(result, "window_shorter", number)


def _window_end(decision: Decision) -> date:
    if decision.window_open:
        return _OPEN_WINDOW
    return decision.window_end or _NO_WINDOW


def _add(totals: dict[str, int], currency: str, amount: int) -> None:
    totals[currency] = totals.get(currency, 0) + amount


def _note(result: SimulationResult, kind: str, number: str) -> None:
    result.changes[kind] += 1
    examples = result.examples[kind]
    if len(examples) < MAX_EXAMPLES and number not in examples:
        examples.append(number)
