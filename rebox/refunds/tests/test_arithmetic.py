"""Refund arithmetic: exact to the cent over any sequence of partial returns, never more
than was captured, fees within the caps, tenders never refunded beyond what they paid."""

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from rebox.refunds.arithmetic import (
    FeeCap,
    LinePaid,
    LineReturned,
    Tender,
    refund_plan,
    units_value,
)


def test_a_line_of_three_for_ten_returned_one_by_one_refunds_exactly_ten():
    parts = [units_value(1_000, 3, before, 1) for before in range(3)]

    assert parts == [333, 333, 334]
    assert sum(parts) == 1_000


def test_a_partly_accepted_unit_loses_its_deduction_and_a_rejected_one_everything():
    plan = refund_plan(paid=[LinePaid(1, 2, 10_000)],
                       returned=[LineReturned(1, 2, 0, deduction_percents=(25, 100))],
                       tenders=[Tender(9, 10_000)])

    assert plan.lines[0].deduction_minor == 1_250 + 5_000
    assert plan.total_minor == 3_750


def test_israeli_fees_are_capped_per_return_not_per_line():
    # two lines of NIS 1,500 each, NIS 100 fee each per line: together capped at NIS 100
    plan = refund_plan(paid=[LinePaid(1, 1, 150_000), LinePaid(2, 1, 150_000)],
                       returned=[LineReturned(1, 1, 0, fees_minor=10_000),
                                 LineReturned(2, 1, 0, fees_minor=10_000)],
                       tenders=[Tender(9, 300_000)], fee_cap=FeeCap(500, 10_000))

    assert sum(line.fees_minor for line in plan.lines) == 10_000
    assert plan.total_minor == 290_000


def test_original_delivery_comes_back_only_with_the_return_that_completes_the_order():
    paid, tenders = [LinePaid(1, 2, 4_000)], [Tender(9, 4_500)]
    first = refund_plan(paid=paid, returned=[LineReturned(1, 1, 0)], tenders=tenders,
                        delivery_minor=500, completes_order=False, refund_delivery=True)
    last = refund_plan(paid=paid, returned=[LineReturned(1, 1, 1)],
                       tenders=[Tender(9, 4_500, refunded_minor=first.total_minor)],
                       delivery_minor=500, completes_order=True, refund_delivery=True)

    assert (first.delivery_minor, last.delivery_minor) == (0, 500)
    assert first.total_minor + last.total_minor == 4_500


def test_a_card_and_gift_card_order_is_refunded_in_proportion_and_recorded_per_line():
    plan = refund_plan(paid=[LinePaid(1, 1, 6_000), LinePaid(2, 1, 4_000)],
                       returned=[LineReturned(1, 1, 0), LineReturned(2, 1, 0)],
                       tenders=[Tender(card := 1, 7_500), Tender(gift := 2, 2_500)])

    assert dict(plan.tenders) == {card: 7_500, gift: 2_500}
    for line in plan.lines:
        assert sum(amount for _pid, amount in line.tenders) == line.refund_minor


# --- properties -------------------------------------------------------------------------

lines_st = st.lists(st.tuples(st.integers(1, 6), st.integers(0, 500_000)), min_size=1, max_size=4)


@st.composite
def order_and_sequence(draw):
    """An order, its payments, and a sequence of partial returns that may or may not add
    up to the whole order."""
    lines = [LinePaid(i + 1, q, t) for i, (q, t) in enumerate(draw(lines_st))]
    shipping = draw(st.integers(0, 2_000))
    total = sum(line.total_minor for line in lines) + shipping
    cuts = sorted(draw(st.lists(st.integers(0, total), max_size=2)))
    captured = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
    steps = []
    left = {line.line_id: line.quantity for line in lines}
    for _ in range(draw(st.integers(1, 5))):
        step = []
        for line in lines:
            if left[line.line_id] and draw(st.booleans()):
                q = draw(st.integers(1, left[line.line_id]))
                step.append((line.line_id, q, draw(st.integers(0, 3_000))))
                left[line.line_id] -= q
        if step:
            steps.append(step)
    if draw(st.booleans()):  # sometimes finish the order
        rest = [(lid, q, 0) for lid, q in left.items() if q]
        if rest:
            steps.append(rest)
    return lines, shipping, captured, steps


def _run(lines, shipping, captured, steps, fee_cap=None):
    quantity = {line.line_id: line.quantity for line in lines}
    done = {line.line_id: 0 for line in lines}
    refunded = [0] * len(captured)
    plans = []
    for step in steps:
        returned = [LineReturned(lid, q, done[lid], fees_minor=fee) for lid, q, fee in step]
        for lid, q, _fee in step:
            done[lid] += q
        tenders = [Tender(i, c, refunded[i]) for i, c in enumerate(captured)]
        plan = refund_plan(paid=lines, returned=returned, tenders=tenders, fee_cap=fee_cap,
                           delivery_minor=shipping, completes_order=done == quantity, refund_delivery=True)
        for pid, amount in plan.tenders:
            refunded[pid] += amount
        plans.append(plan)
    return plans, refunded, done == quantity


@given(order_and_sequence())
def test_refunds_never_exceed_what_was_captured_on_any_tender(case):
    lines, shipping, captured, steps = case
    plans, refunded, _complete = _run(lines, shipping, captured, steps)

    assert all(0 <= r <= c for r, c in zip(refunded, captured, strict=True))
    for plan in plans:
        assert sum(amount for _p, amount in plan.tenders) == plan.total_minor
        assert plan.total_minor == sum(line.refund_minor for line in plan.lines) + plan.delivery_minor
        assert all(line.refund_minor >= 0 for line in plan.lines)


@given(order_and_sequence())
def test_a_whole_order_returned_in_pieces_without_fees_refunds_exactly_what_was_paid(case):
    lines, shipping, captured, steps = case
    steps = [[(lid, q, 0) for lid, q, _fee in step] for step in steps]
    plans, refunded, complete = _run(lines, shipping, captured, steps)
    assume(complete)

    assert sum(plan.total_minor for plan in plans) == sum(captured)
    assert refunded == captured


@given(order_and_sequence(), st.integers(0, 1_000), st.integers(0, 20_000))
def test_fees_never_exceed_the_cap_nor_the_line(case, basis_points, max_minor):
    lines, shipping, captured, steps = case
    cap = FeeCap(basis_points, max_minor)
    plans, _refunded, _complete = _run(lines, shipping, captured, steps, fee_cap=cap)

    for plan in plans:
        value = sum(line.value_minor for line in plan.lines)
        assert sum(line.fees_minor for line in plan.lines) <= cap.of(value)
        assert all(line.fees_minor <= line.value_minor - line.deduction_minor for line in plan.lines)


@given(st.integers(1, 50), st.integers(0, 10**9))
def test_unit_values_of_a_line_sum_to_its_total_whatever_the_split(quantity, total):
    assert sum(units_value(total, quantity, before, 1) for before in range(quantity)) == total


def test_returning_more_units_than_the_line_has_is_refused():
    with pytest.raises(ValueError):
        units_value(1_000, 2, 1, 2)
