"""How much a return pays back, line by line and tender by tender. No database, no floats.

The rules, in the order they apply:

1. **What a unit cost.** A line's total already carries its discount and tax. The first
   ``k`` units of a line of ``n`` units that cost ``T`` together are worth
   ``floor(T * k / n)``; a return of units ``k+1 .. k+q`` is worth the difference. Summed over
   any sequence of partial returns this is exactly ``T`` (the last return takes the
   remainder), so a full return made in pieces refunds to the cent what was paid.
2. **Inspection.** A unit accepted in part loses its deduction percentage (rounded down, in
   the customer's favour); a rejected unit pays nothing back.
3. **Fees.** The policy engine's fees per line (restocking, return postage, already capped
   by the law of the line's window and waived for defects) come off the line, never
   below zero. Where the law caps fees per return (Israel: 5 % of the price or NIS 100,
   whichever is lower), the return's fees together are capped and the cut is shared back
   across the lines by largest remainder.
4. **Original delivery.** Where the law requires it (EU: when the whole order is withdrawn)
   the order's delivery charge is added once, on the return that completes the order.
5. **Ceiling.** The refund never exceeds what was captured minus what was refunded before.
6. **Tenders.** The refund is split across the order's payments in proportion to what each
   still has refundable (largest remainder, ties to the earlier payment), so no payment is
   ever refunded more than it paid, and a return that refunds the whole remainder empties
   every payment exactly. The split is kept per line too, for gateways that refund by line.
"""

from __future__ import annotations

from dataclasses import dataclass

from rebox.core.money import allocate


@dataclass(frozen=True)
class LinePaid:
    """An order line as paid: ``total_minor`` includes its discount and tax."""

    line_id: int
    quantity: int
    total_minor: int


@dataclass(frozen=True)
class LineReturned:
    line_id: int
    quantity: int
    units_before: int  # units of this order line accounted for by earlier returns
    deduction_percents: tuple[int, ...] = ()  # one per unit (0 accepted .. 100 rejected); () = all 0
    fees_minor: int = 0  # restocking + return postage the policy charges for these units


@dataclass(frozen=True)
class Tender:
    payment_id: int
    captured_minor: int
    refunded_minor: int = 0  # by earlier refunds

    @property
    def refundable_minor(self) -> int:
        return self.captured_minor - self.refunded_minor


@dataclass(frozen=True)
class FeeCap:
    """A per-return cap on fees: ``basis_points`` of the returned value, at most ``max_minor``."""

    basis_points: int
    max_minor: int | None = None

    def of(self, value_minor: int) -> int:
        cap = value_minor * self.basis_points // 10_000  # rounded down: the customer's favour
        return cap if self.max_minor is None else min(cap, self.max_minor)


@dataclass(frozen=True)
class LineRefund:
    line_id: int
    quantity: int
    value_minor: int  # what the units cost
    deduction_minor: int  # kept back after inspection
    fees_minor: int  # fees charged, after caps
    refund_minor: int  # value - deduction - fees, never below zero
    tenders: tuple[tuple[int, int], ...] = ()  # (payment_id, amount) for this line


@dataclass(frozen=True)
class RefundPlan:
    lines: tuple[LineRefund, ...]
    delivery_minor: int  # original delivery paid back
    total_minor: int
    tenders: tuple[tuple[int, int], ...]  # (payment_id, amount), summing to total_minor
    capped_by_captured: bool  # the ceiling of rule 5 cut the refund


def units_value(total_minor: int, quantity: int, before: int, count: int) -> int:
    """Worth of units ``before+1 .. before+count`` of a line of ``quantity`` units (rule 1)."""
    if not (0 <= before and 0 <= count and before + count <= quantity):
        raise ValueError(f"units {before}+{count} of a line of {quantity}")
    return total_minor * (before + count) // quantity - total_minor * before // quantity


def _deduction(value: int, count: int, percents: tuple[int, ...]) -> int:
    if not percents:
        return 0
    if len(percents) != count or any(not 0 <= p <= 100 for p in percents):
        raise ValueError("one deduction percentage (0-100) per unit")
    per_unit = allocate(value, [1] * count)
    return sum(amount * percent // 100 for amount, percent in zip(per_unit, percents, strict=True))


def refund_plan(*, paid: list[LinePaid], returned: list[LineReturned], tenders: list[Tender],
                fee_cap: FeeCap | None = None, delivery_minor: int = 0,
                completes_order: bool = False, refund_delivery: bool = False) -> RefundPlan:
    """The refund of one return: per line, in total, and per tender (rules 1-6 above)."""
    by_id = {line.line_id: line for line in paid}
    values, deductions, fees = [], [], []
    for item in returned:
        line = by_id[item.line_id]
        value = units_value(line.total_minor, line.quantity, item.units_before, item.quantity)
        deduction = _deduction(value, item.quantity, item.deduction_percents)
        values.append(value)
        deductions.append(deduction)
        fees.append(max(0, min(item.fees_minor, value - deduction)))
    if fee_cap is not None:
        cap = fee_cap.of(sum(values))
        over = sum(fees) - cap
        if over > 0:
            cuts = allocate(over, fees)
            fees = [fee - cut for fee, cut in zip(fees, cuts, strict=True)]
    amounts = [v - d - f for v, d, f in zip(values, deductions, fees, strict=True)]
    delivery = delivery_minor if (completes_order and refund_delivery) else 0
    wanted = sum(amounts) + delivery
    available = sum(max(0, t.refundable_minor) for t in tenders)
    total = min(wanted, available)
    if total < wanted:
        # under the ceiling the delivery charge is kept whole and the lines shrink in proportion
        delivery = min(delivery, total)
        amounts = allocate(total - delivery, amounts) if any(amounts) else amounts
    tender_split = allocate(total, [max(0, t.refundable_minor) for t in tenders]) if tenders else []
    per_tender = tuple((t.payment_id, amount) for t, amount in zip(tenders, tender_split, strict=True))
    lines = _lines_with_tenders(returned, values, deductions, fees, amounts, per_tender)
    return RefundPlan(lines=lines, delivery_minor=delivery, total_minor=total, tenders=per_tender,
                      capped_by_captured=total < wanted)


def _lines_with_tenders(returned, values, deductions, fees, amounts, per_tender) -> tuple[LineRefund, ...]:
    """Share each tender's amount across the lines (delivery keeps what is left over), so
    each line's tenders sum to its refund and each tender's lines to at most its amount."""
    remaining = [amount for _pid, amount in per_tender]
    lines = []
    for item, value, deduction, fee, amount in zip(returned, values, deductions, fees, amounts, strict=True):
        split = allocate(amount, remaining) if amount and any(remaining) else [0] * len(remaining)
        remaining = [r - s for r, s in zip(remaining, split, strict=True)]
        lines.append(LineRefund(
            line_id=item.line_id, quantity=item.quantity, value_minor=value, deduction_minor=deduction,
            fees_minor=fee, refund_minor=amount,
            tenders=tuple((pid, s) for (pid, _a), s in zip(per_tender, split, strict=True) if s)))
    return tuple(lines)
