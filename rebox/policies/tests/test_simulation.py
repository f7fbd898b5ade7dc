"""Simulating a draft against orders: counts, fees, refunds and examples on a small known set.

The expected numbers are worked out by hand below from the two policies, not read back from
the code: asked 10 days after delivery, the current policy (30 days, free, mugs not
returnable) against a draft (14 days, 10 % restocking + 5.00 shipping; shoes 60 days and
free; lines tagged "final" not returnable).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from rebox.core.money import Money
from rebox.policies import Match, Rule
from rebox.policies.simulation import SimulatedLine, SimulationResult, asked_after_delivery, simulate
from rebox.policies.tests.factories import line, order, policy

CURRENT = policy("USD", Rule("mugs", Match(category="mugs"), non_returnable=True,
                             non_returnable_reason="personalised"))
DRAFT = policy("USD",
               Rule("shoes", Match(category="shoes"), window_days=60, restocking_fee_percent=0,
                    return_shipping_fee_minor=0),
               Rule("sale", Match(policy_tag="final"), non_returnable=True,
                    non_returnable_reason="final_sale"),
               window_days=14, restocking_fee_percent=10, return_shipping_fee_minor=500)

US = order("US", date(2026, 5, 4))
DK = order("DK", date(2026, 5, 4))
LINES = [
    # O1: a tee (fees appear, window 30 -> 14) and shoes (free both ways, window 30 -> 60)
    SimulatedLine("O1", line(2_000, "USD", category_slug="tops"), US),
    SimulatedLine("O1", line(10_000, "USD", category_slug="shoes", sku="SHOE"), US),
    # O2: two tees at 30.00 (value 60.00) and a mug that becomes returnable
    SimulatedLine("O2", line(3_000, "USD", category_slug="tops", quantity=2), US),
    SimulatedLine("O2", line(1_500, "USD", category_slug="mugs", sku="MUG"), US),
    # O3: a tee tagged final: returnable today, not under the draft
    SimulatedLine("O3", line(4_000, "USD", "final", category_slug="tops"), US),
    # O5: a Danish customer paying in DKK: fees in USD cannot apply; the law keeps 14 days
    SimulatedLine("O5", line(5_000, "DKK", category_slug="tops"), DK),
]


def run(lines=LINES, at=None):
    return simulate(lines, current=CURRENT, draft=DRAFT, at=at or asked_after_delivery(10))


def test_counts_lines_and_orders_and_what_is_returnable_on_each_side():
    result = run()

    assert (result.lines, result.orders) == (6, 4)
    assert result.returnable_before == 5  # all but the mug
    assert result.returnable_after == 5  # all but the final-sale tee


def test_counts_each_kind_of_change_with_example_order_numbers():
    result = run()

    assert result.changes == {"became_returnable": 1, "became_non_returnable": 1, "window_longer": 2,
                              "window_shorter": 4, "fees_higher": 2, "fees_lower": 0}
    assert result.examples["became_returnable"] == ["O2"]
    assert result.examples["became_non_returnable"] == ["O3"]
    assert result.examples["fees_higher"] == ["O1", "O2"]
    assert result.examples["window_longer"] == ["O1", "O2"]  # shoes 60 days; the mug gets a window
    assert result.examples["window_shorter"] == ["O1", "O2", "O3", "O5"]
    assert result.examples["fees_lower"] == []


def test_sums_fees_and_refunds_per_currency_over_the_returnable_lines():
    result = run()

    # draft fees: tee 200 + 500; shoes 0; two tees 600 + 500; mug 150 + 500
    assert result.fees_before == {"USD": 0, "DKK": 0}
    assert result.fees_after == {"USD": 700 + 1_100 + 650, "DKK": 0}
    assert result.refunds_before == {"USD": 2_000 + 10_000 + 6_000 + 4_000, "DKK": 5_000}
    assert result.refunds_after == {"USD": 1_300 + 10_000 + 4_900 + 850, "DKK": 5_000}
    assert result.fee_change() == {"DKK": Money(0, "DKK"), "USD": Money(2_450, "USD")}
    assert result.refund_change()["USD"] == Money(-4_950, "USD")


def test_one_moment_for_every_order_asks_them_all_on_that_day():
    today = datetime(2026, 5, 24, 12, tzinfo=UTC)  # 20 days after delivery

    result = run(at=today)

    assert result.returnable_before == 5  # 30 days: all but the mug
    assert result.returnable_after == 1  # 14 days (Danish law: 14 too): only the shoes, 60 days
    assert result.changes["became_non_returnable"] == 4
    assert result.examples["became_non_returnable"] == ["O1", "O2", "O3", "O5"]
    assert result.changes["became_returnable"] == 0


def test_examples_stop_at_ten_order_numbers_but_the_count_goes_on():
    lines = [SimulatedLine(f"N{i}", line(1_000, "USD", category_slug="mugs"), US) for i in range(12)]

    result = run(lines)

    assert result.changes["became_returnable"] == 12
    assert result.examples["became_returnable"] == [f"N{i}" for i in range(10)]


def test_an_order_with_several_changed_lines_is_one_example():
    lines = [SimulatedLine("X", line(1_000, "USD", category_slug="mugs", sku=f"M{i}"), US) for i in range(3)]

    assert run(lines).examples["became_returnable"] == ["X"]


def test_an_order_never_delivered_is_asked_after_it_was_placed():
    undelivered = order("US", None, placed=date(2026, 5, 1))

    assert asked_after_delivery(10)(undelivered) == undelivered.placed_at + timedelta(days=10)
    assert asked_after_delivery(10)(US) == US.delivered_at + timedelta(days=10)


def test_the_result_survives_a_round_trip_through_json():
    result = run()

    assert SimulationResult.from_json(result.as_json()) == result


def test_no_lines_no_changes():
    result = run([])

    assert result.lines == result.orders == 0
    assert result.fee_change() == {}
