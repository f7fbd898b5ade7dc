"""The cost of returns per product: units disposed of in a period (local days of the store),
what the customers had paid for them, what their disposition recovered, and the loss."""

from datetime import UTC, date, datetime
from decimal import Decimal
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rebox.core.errors import ValidationFailed
from rebox.returns.costs import (
    DISPOSITIONS,
    ProductCost,
    period_or_default,
    recovery_rate,
    return_cost_totals,
    return_costs,
)
from rebox.returns.inspection import unit_dispose
from rebox.returns.models import Return, ReturnLine, ReturnUnit
from rebox.returns.receiving import receiving_complete
from rebox.returns.tests.test_inspection import inspect, units
from rebox.returns.tests.test_receiving import CLERK, return_on_its_way, scan
from rebox.testing import api_client_for, make_location, make_store

pytestmark = pytest.mark.django_db
MARCH_2 = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)


def inspected_return(api, store, *, number: str = "R1", tee: int = 2, mug: int = 1) -> Return:
    """A return of ``tee`` TEE (20,000 a unit) and ``mug`` MUG (15,000), received and every
    unit inspected, through the services."""
    ret = return_on_its_way(api, store, tee=tee, mug=mug, number=number)
    for code in ["TEE"] * tee + ["MUG"] * mug:
        scan(store, ret, code)
    receiving_complete(store=store, ret=ret, actor=CLERK)
    for unit in units(ret):
        inspect(store, unit)
    return ret


def dispose(store, unit, disposition: str, recovered: int = 0, *, at: datetime = MARCH_2) -> ReturnUnit:
    """Dispose of the unit through the service, as if at ``at``."""
    with mock.patch("django.utils.timezone.now", return_value=at):
        return unit_dispose(store=store, unit=unit, disposition=disposition, actor=CLERK,
                            value_recovered_minor=recovered)


def disposed_return(api, store, *, number: str = "R1", tee=(("restock", 18_000), ("liquidate", 5_000)),
                    mug=(("recycle", 0),), at: datetime = MARCH_2) -> Return:
    """A return whose TEE and MUG units went where ``tee`` and ``mug`` say, for what."""
    ret = inspected_return(api, store, number=number, tee=len(tee), mug=len(mug))
    for sku, fates in (("TEE", tee), ("MUG", mug)):
        for unit, (disposition, recovered) in zip(units(ret, sku), fates, strict=True):
            dispose(store, unit, disposition, recovered, at=at)
    return ret


def report(store, since=date(2026, 3, 1), until=date(2026, 3, 31)) -> dict[str, ProductCost]:
    return {cost.sku: cost for cost in return_costs(store=store, since=since, until=until)}


def test_disposed_units_are_summed_per_product_with_each_disposition_counted(api, store):
    disposed_return(api, store)

    costs = return_costs(store=store, since=date(2026, 3, 1), until=date(2026, 3, 31))

    assert [c.sku for c in costs] == ["TEE", "MUG"]  # the largest loss first: 17,000 then 15,000
    tee, mug = costs
    assert (tee.title, tee.currency, tee.units) == ("Item TEE", "EUR", 2)
    assert {code: n for code, n in tee.dispositions.items() if n} == {"restock": 1, "liquidate": 1}
    assert set(tee.dispositions) == set(DISPOSITIONS)
    assert (tee.value_minor, tee.recovered_minor, tee.loss_minor) == (40_000, 23_000, 17_000)
    assert tee.recovery_rate == Decimal("0.5750")
    assert (mug.units, mug.dispositions["recycle"], mug.value_minor, mug.recovered_minor) == (1, 1, 15_000, 0)
    assert mug.loss_minor == 15_000 and mug.recovery_rate == Decimal("0")


def test_the_totals_add_up_per_currency(api, store):
    disposed_return(api, store)
    disposed_return(api, store, number="R2", tee=(("donate", 0),), mug=(("return_to_supplier", 15_000),))

    (total,) = return_cost_totals(return_costs(store=store, since=date(2026, 3, 1), until=date(2026, 3, 31)))

    assert (total.currency, total.units) == ("EUR", 5)
    assert (total.value_minor, total.recovered_minor, total.loss_minor) == (90_000, 38_000, 52_000)
    assert {code: n for code, n in total.dispositions.items() if n} == {
        "restock": 1, "liquidate": 1, "recycle": 1, "donate": 1, "return_to_supplier": 1}


def test_a_unit_sold_on_for_more_than_it_was_paid_is_a_negative_loss_and_comes_last(api, store):
    disposed_return(api, store, tee=(("liquidate", 26_000),), mug=(("dispose", 0),))

    costs = return_costs(store=store, since=date(2026, 3, 1), until=date(2026, 3, 31))

    assert [(c.sku, c.loss_minor) for c in costs] == [("MUG", 15_000), ("TEE", -6_000)]
    assert costs[1].recovery_rate == Decimal("1.3000")


def test_the_period_is_made_of_local_days_in_the_stores_time_zone(api, store):
    # Copenhagen is UTC+1 in winter: 22:59 UTC on 1 March is still 1 March there,
    # 23:30 UTC is already 2 March.
    ret = inspected_return(api, store, tee=2, mug=0)
    late_evening, after_midnight = units(ret, "TEE")
    dispose(store, late_evening, "restock", 1, at=datetime(2026, 3, 1, 22, 59, tzinfo=UTC))
    dispose(store, after_midnight, "recycle", 2, at=datetime(2026, 3, 1, 23, 30, tzinfo=UTC))

    first = report(store, date(2026, 3, 1), date(2026, 3, 1))
    second = report(store, date(2026, 3, 2), date(2026, 3, 2))

    assert (first["TEE"].units, first["TEE"].recovered_minor) == (1, 1)
    assert first["TEE"].dispositions["restock"] == 1
    assert (second["TEE"].units, second["TEE"].recovered_minor) == (1, 2)
    assert second["TEE"].dispositions["recycle"] == 1
    assert report(store, date(2026, 2, 1), date(2026, 2, 28)) == {}
    assert report(store, date(2026, 3, 3), date(2026, 3, 31)) == {}


def test_both_ends_of_the_period_are_included(api, store):
    ret = inspected_return(api, store, tee=2, mug=0)
    first_minute, last_minute = units(ret, "TEE")
    dispose(store, first_minute, "donate", at=datetime(2026, 2, 28, 23, 0, tzinfo=UTC))  # 1 March 00:00
    dispose(store, last_minute, "donate", at=datetime(2026, 3, 31, 21, 59, 59, tzinfo=UTC))  # 23:59:59 CEST

    assert report(store)["TEE"].units == 2


def test_another_stores_units_are_not_counted(api, store):
    elsewhere = make_store("elsewhere")
    make_location(elsewhere)
    disposed_return(api_client_for(elsewhere), elsewhere, number="E1")
    disposed_return(api, store, tee=(("recycle", 0),), mug=(("recycle", 0),))

    mine = report(store)

    assert (mine["TEE"].units, mine["TEE"].value_minor) == (1, 20_000)
    assert report(elsewhere)["TEE"].units == 2


def test_units_not_yet_disposed_of_are_not_counted(api, store):
    ret = inspected_return(api, store, tee=2, mug=1)
    dispose(store, units(ret, "TEE")[0], "restock", 19_000)

    costs = report(store)

    assert list(costs) == ["TEE"]
    assert (costs["TEE"].units, costs["TEE"].value_minor) == (1, 20_000)


def test_a_period_ending_before_it_starts_or_longer_than_366_days_is_a_field_error(store):
    for since, until in [(date(2026, 3, 2), date(2026, 3, 1)), (date(2025, 1, 1), date(2026, 1, 2))]:
        with pytest.raises(ValidationFailed) as caught:
            return_costs(store=store, since=since, until=until)
        assert [e.field for e in caught.value.errors] == ["until"]
    assert return_costs(store=store, since=date(2024, 1, 1), until=date(2024, 12, 31)) == []  # 366 days


def test_the_default_period_is_the_30_days_up_to_today_in_the_store(store):
    assert period_or_default(store=store, today=date(2026, 3, 31)) == (date(2026, 3, 2), date(2026, 3, 31))
    assert period_or_default(store=store, until=date(2026, 1, 30)) == (date(2026, 1, 1), date(2026, 1, 30))


def test_the_report_is_one_query_however_many_units(api, store, django_assert_num_queries):
    disposed_return(api, store)
    disposed_return(api, store, number="R2")

    with django_assert_num_queries(1):
        costs = return_costs(store=store, since=date(2026, 3, 1), until=date(2026, 3, 31))

    assert sum(c.units for c in costs) == 6


def test_nothing_paid_has_no_recovery_rate():
    assert recovery_rate(0, 0) is None
    assert recovery_rate(1, 3) == Decimal("0.3333")


# --- the sums hold for any dispositions and amounts -----------------------------------

@pytest.fixture
def shelf(api, store):
    """Two inspected returns (5 units of TEE, 3 of MUG): each example redraws their fates."""
    return [inspected_return(api, store, number="P1", tee=3, mug=2),
            inspected_return(api, store, number="P2", tee=2, mug=1)]


FATE = st.one_of(
    st.none(),  # not disposed of yet
    st.tuples(st.sampled_from(DISPOSITIONS), st.integers(0, 10**12),
              st.sampled_from([datetime(2026, 2, 28, 22, 59, tzinfo=UTC),  # 28 Feb, local: outside
                               datetime(2026, 2, 28, 23, 0, tzinfo=UTC),  # 1 March, local: inside
                               datetime(2026, 3, 15, 12, 0, tzinfo=UTC),
                               datetime(2026, 4, 1, 0, 0, tzinfo=UTC)])))  # 1 April: outside


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fates=st.lists(FATE, min_size=8, max_size=8),
       paid=st.lists(st.integers(0, 10**12), min_size=4, max_size=4),
       currencies=st.lists(st.sampled_from(["EUR", "DKK"]), min_size=2, max_size=2))
def test_totals_are_the_sums_over_products_and_loss_is_paid_minus_recovered(store, shelf, fates, paid,
                                                                               currencies):
    lines = list(ReturnLine.objects.filter(ret__in=shelf).order_by("ret_id", "pk"))
    for line, unit_value in zip(lines, paid, strict=True):
        ReturnLine.objects.filter(pk=line.pk).update(unit_value_minor=unit_value)
    for ret, currency in zip(shelf, currencies, strict=True):
        Return.objects.filter(pk=ret.pk).update(currency=currency)
    all_units = list(ReturnUnit.objects.filter(line__in=lines).select_related("line__order_line", "line__ret")
                     .order_by("line__ret_id", "line_id", "index"))
    expected: dict[tuple[str, str], list[int]] = {}
    for unit, fate in zip(all_units, fates, strict=True):
        disposition, recovered, at = fate or ("", 0, None)
        ReturnUnit.objects.filter(pk=unit.pk).update(disposition=disposition, value_recovered_minor=recovered,
                                                     disposed_at=at)
        if fate and datetime(2026, 2, 28, 23, 0, tzinfo=UTC) <= at < datetime(2026, 3, 31, 22, 0, tzinfo=UTC):
            unit_value = dict(zip([ln.pk for ln in lines], paid, strict=True))[unit.line_id]
            currency = currencies[[r.pk for r in shelf].index(unit.line.ret_id)]
            sums = expected.setdefault((unit.line.order_line.sku, currency), [0, 0, 0])
            sums[0], sums[1], sums[2] = sums[0] + 1, sums[1] + unit_value, sums[2] + recovered

    costs = return_costs(store=store, since=date(2026, 3, 1), until=date(2026, 3, 31))
    totals = return_cost_totals(costs)

    assert {(c.sku, c.currency): [c.units, c.value_minor, c.recovered_minor] for c in costs} == expected
    assert all(c.loss_minor == c.value_minor - c.recovered_minor for c in costs)
    assert all(sum(c.dispositions.values()) == c.units for c in costs)
    assert [c.loss_minor for c in costs] == sorted((c.loss_minor for c in costs), reverse=True)
    for total in totals:
        mine = [c for c in costs if c.currency == total.currency]
        assert total.units == sum(c.units for c in mine)
        assert total.value_minor == sum(c.value_minor for c in mine)
        assert total.recovered_minor == sum(c.recovered_minor for c in mine)
        assert total.loss_minor == total.value_minor - total.recovered_minor
        assert total.loss_minor == sum(c.loss_minor for c in mine)
        assert total.dispositions == {code: sum(c.dispositions[code] for c in mine) for code in DISPOSITIONS}
    assert {t.currency for t in totals} == {currency for _, currency in expected}
