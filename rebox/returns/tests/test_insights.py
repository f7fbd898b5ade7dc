"""Which products come back and why: units sold and asked back per product over a period
(local days of the store), the return rate, the reasons, the store's share of the fault,
what inspection contradicted, and the returns per ISO week."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rebox.core.actors import Actor
from rebox.core.errors import ValidationFailed
from rebox.orders.models import Order
from rebox.orders.services import order_transition
from rebox.returns.insights import ProductInsight, ReasonCount, return_insights, share
from rebox.returns.models import LegalBasis, Return, ReturnLine
from rebox.returns.receiving import receiving_complete
from rebox.returns.services import return_approve, return_cancel, return_decline, return_transition
from rebox.returns.states import RELEASED, ReturnStatus
from rebox.returns.tests.helpers import delivered_order
from rebox.returns.tests.test_inspection import inspect, units
from rebox.returns.tests.test_receiving import CLERK, return_on_its_way, scan
from rebox.testing import api_client_for, make_location, make_store, order_payload

pytestmark = pytest.mark.django_db
MARCH_2 = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)


def ask(api, store, order: str, *lines: tuple[int, int, str]) -> Return:
    """A return asked for through the API: (order line id, quantity, reason) per line."""
    response = api.post("/returns", {
        "order": order, "resolution": "refund", "method": "mail_label",
        "lines": [{"order_line_id": line_id, "quantity": q, "reason": reason}
                  for line_id, q, reason in lines]})
    assert response.status_code == 201, response.content
    return Return.objects.get(store=store, number=response.json()["number"])


def placed(store, number: str, at: datetime) -> None:
    Order.objects.filter(store=store, number=number).update(placed_at=at)


def created(ret: Return, at: datetime) -> None:
    Return.objects.filter(pk=ret.pk).update(created_at=at)


def in_march(store) -> None:
    """The store's orders placed, and its returns asked for, on 2 March."""
    Order.objects.filter(store=store).update(placed_at=MARCH_2)
    Return.objects.filter(store=store).update(created_at=MARCH_2)


def asked_in_march(api, store) -> None:
    """On 2 March: TEE 4 sold, 3 asked back (2 too small, 1 defective); MUG 2 sold, 1 asked
    back as defective, found as new (graded A) when inspected: a mismatch."""
    first = delivered_order(api, store, number="O1", tee=3, mug=1)
    second = delivered_order(api, store, number="O2", tee=1, mug=1)
    ret = ask(api, store, "O1", (first["TEE"], 2, "too_small"), (first["MUG"], 1, "defective"))
    ask(api, store, "O2", (second["TEE"], 1, "defective"))
    if ret.status == "requested":
        ret = return_approve(ret=ret, actor=CLERK)
    ret = return_transition(ret=ret, to="in_transit", actor=Actor("carrier", "dhl"), why="carrier scan")
    scan(store, ret, "MUG")
    receiving_complete(store=store, ret=ret, actor=CLERK)
    inspect(store, units(ret, "MUG")[0], grade="A")
    in_march(store)


def march(store, since=date(2026, 3, 1), until=date(2026, 3, 31)):
    return return_insights(store=store, since=since, until=until)


def by_sku(store, since=date(2026, 3, 1), until=date(2026, 3, 31)) -> dict[str, ProductInsight]:
    return {p.sku: p for p in march(store, since, until).products}


def test_the_rate_is_units_asked_back_over_units_sold_most_asked_back_first(api, store):
    first = delivered_order(api, store, number="O1", tee=3, mug=1)
    delivered_order(api, store, number="O2", tee=1, mug=3)
    ask(api, store, "O1", (first["TEE"], 3, "too_small"), (first["MUG"], 1, "changed_mind"))
    in_march(store)

    tee, mug = march(store).products

    assert (tee.sku, tee.title, tee.sold, tee.asked_back, tee.return_rate) == ("TEE", "Item TEE", 4, 3,
                                                                                Decimal("0.7500"))
    assert (mug.sku, mug.sold, mug.asked_back, mug.return_rate) == ("MUG", 4, 1, Decimal("0.2500"))


def test_between_equal_units_asked_back_the_higher_rate_comes_first(api, store):
    first = delivered_order(api, store, number="O1", tee=4, mug=1)
    ask(api, store, "O1", (first["TEE"], 1, "too_small"), (first["MUG"], 1, "too_small"))
    in_march(store)

    assert [(p.sku, p.return_rate) for p in march(store).products] == [
        ("MUG", Decimal("1.0000")), ("TEE", Decimal("0.2500"))]


def test_products_sold_but_never_asked_back_are_listed_with_a_rate_of_nothing(api, store):
    first = delivered_order(api, store, number="O1", tee=2, mug=1)
    ask(api, store, "O1", (first["TEE"], 1, "too_small"))
    in_march(store)

    mug = by_sku(store)["MUG"]

    assert (mug.sold, mug.asked_back, mug.return_rate, mug.reasons) == (1, 0, Decimal("0"), ())
    assert mug.store_fault_share is None


def test_a_return_for_an_order_of_an_earlier_period_counts_without_sales_and_has_no_rate(api, store):
    first = delivered_order(api, store, number="O1", tee=2, mug=1)
    ret = ask(api, store, "O1", (first["TEE"], 2, "too_large"))
    placed(store, "O1", datetime(2026, 2, 10, 9, 0, tzinfo=UTC))
    created(ret, MARCH_2)

    (tee,) = march(store).products

    assert (tee.sold, tee.asked_back, tee.return_rate) == (0, 2, None)
    assert by_sku(store, date(2026, 2, 1), date(2026, 2, 28))["TEE"].asked_back == 0


def test_reasons_are_counted_in_units_the_most_first_with_the_store_fault_share(api, store):
    first = delivered_order(api, store, number="O1", tee=3, mug=1)
    second = delivered_order(api, store, number="O2", tee=2, mug=1)
    ask(api, store, "O1", (first["TEE"], 2, "too_small"), (first["MUG"], 1, "defective"))
    ask(api, store, "O2", (second["TEE"], 1, "defective"), (second["MUG"], 1, "defective"))
    ask(api, store, "O1", (first["TEE"], 1, "changed_mind"))
    in_march(store)

    found = march(store)
    tee = next(p for p in found.products if p.sku == "TEE")

    assert tee.reasons == (ReasonCount("too_small", 2), ReasonCount("changed_mind", 1),
                           ReasonCount("defective", 1))
    assert (tee.store_fault, tee.store_fault_share) == (1, Decimal("0.2500"))
    assert found.store.reasons == (ReasonCount("defective", 3), ReasonCount("too_small", 2),
                                   ReasonCount("changed_mind", 1))
    assert (found.store.asked_back, found.store.returns, found.store.store_fault) == (6, 3, 3)
    assert (found.store.sold, found.store.return_rate, found.store.store_fault_share) == (
        7, Decimal("0.8571"), Decimal("0.5000"))


def test_the_fault_follows_the_basis_recorded_on_the_line_not_todays_reason_flag(api, store):
    first = delivered_order(api, store, number="O1", tee=2, mug=1)
    ret = ask(api, store, "O1", (first["TEE"], 2, "not_as_shown"))
    store.return_reasons.filter(code="not_as_shown").update(store_fault=True)  # edited afterwards
    ReturnLine.objects.filter(ret=ret).update(basis=LegalBasis.RECALL)  # staff: a recall
    in_march(store)

    assert by_sku(store)["TEE"].store_fault == 2


def test_units_whose_inspection_contradicted_the_reason_are_counted(api, store):
    wrong = return_on_its_way(api, store, tee=2, mug=0, reason="wrong_item", number="W1")
    broken = return_on_its_way(api, store, tee=0, mug=1, reason="defective", number="D1")
    for ret, codes in ((wrong, ["TEE", "TEE"]), (broken, ["MUG"])):
        for code in codes:
            scan(store, ret, code)
        receiving_complete(store=store, ret=ret, actor=CLERK)
    for unit in units(wrong):
        inspect(store, unit, grade="B")  # it was the item ordered after all
    inspect(store, units(broken)[0], grade="D", acceptance="accepted")  # really broken: no mismatch
    in_march(store)

    found = by_sku(store)

    assert (found["TEE"].mismatches, found["MUG"].mismatches) == (2, 0)
    assert march(store).store.mismatches == 2


def test_declined_cancelled_and_expired_returns_and_cancelled_orders_are_left_out(api, store):
    lines = {n: delivered_order(api, store, number=n, tee=1, mug=1) for n in ("O1", "O2", "O3", "O4")}
    return_decline(ret=ask(api, store, "O1", (lines["O1"]["TEE"], 1, "too_small")), actor=CLERK,
                   reason="worn")
    return_cancel(ret=ask(api, store, "O2", (lines["O2"]["TEE"], 1, "too_small")), actor=CLERK)
    approved = return_approve(ret=ask(api, store, "O3", (lines["O3"]["TEE"], 1, "too_small")), actor=CLERK)
    return_transition(ret=approved, to="expired", actor=CLERK, why="not sent in time")
    ask(api, store, "O4", (lines["O4"]["TEE"], 1, "too_large"))
    assert api.post("/orders", order_payload(("TEE", 5, 20_000), number="O5")).status_code == 201
    order_transition(order=Order.objects.get(store=store, number="O5"), to="cancelled",
                     actor=Actor("staff", "x@shop.example"), why="out of stock")
    in_march(store)

    found = march(store)
    tee = found.products[0]

    assert (tee.sku, tee.sold, tee.asked_back, tee.reasons) == ("TEE", 4, 1, (ReasonCount("too_large", 1),))
    assert (found.store.returns, found.store.sold) == (1, 8)  # O5's five TEE were never sold


def test_the_period_is_made_of_local_days_in_the_stores_time_zone(api, store):
    # Copenhagen: UTC+1 until 29 March, UTC+2 after. 23:00 UTC on 28 Feb is 1 March there;
    # 21:59 UTC on 31 March is still 31 March, 22:00 UTC is already 1 April.
    lines = {n: delivered_order(api, store, number=n, tee=1, mug=1) for n in ("A", "B", "C", "D")}
    moments = {"A": datetime(2026, 2, 28, 22, 59, tzinfo=UTC), "B": datetime(2026, 2, 28, 23, 0, tzinfo=UTC),
               "C": datetime(2026, 3, 31, 21, 59, 59, tzinfo=UTC),
               "D": datetime(2026, 3, 31, 22, 0, tzinfo=UTC)}
    for number, at in moments.items():
        created(ask(api, store, number, (lines[number]["TEE"], 1, "too_small")), at)
        placed(store, number, at)

    inside, february, april = by_sku(store), by_sku(store, date(2026, 2, 28), date(2026, 2, 28)), \
        by_sku(store, date(2026, 4, 1), date(2026, 4, 1))

    assert (inside["TEE"].sold, inside["TEE"].asked_back, inside["MUG"].sold) == (2, 2, 2)
    assert (february["TEE"].sold, february["TEE"].asked_back) == (1, 1)
    assert (april["TEE"].sold, april["TEE"].asked_back) == (1, 1)


def test_the_weekly_trend_has_every_iso_week_of_the_period_by_local_monday(api, store):
    lines = {n: delivered_order(api, store, number=n, tee=2, mug=1) for n in ("A", "B", "C")}
    # Sunday 8 March 23:30 UTC is Monday 9 March in Copenhagen: week 11, not week 10.
    created(ask(api, store, "A", (lines["A"]["TEE"], 2, "too_small")),
            datetime(2026, 3, 8, 23, 30, tzinfo=UTC))
    created(ask(api, store, "B", (lines["B"]["TEE"], 1, "too_small"), (lines["B"]["MUG"], 1, "too_small")),
            datetime(2026, 3, 10, 12, 0, tzinfo=UTC))
    created(ask(api, store, "C", (lines["C"]["MUG"], 1, "other")), datetime(2026, 3, 3, 8, 0, tzinfo=UTC))

    weeks = march(store).store.weeks

    assert [(w.iso_week, w.monday, w.returns, w.units) for w in weeks] == [
        ("2026-W09", date(2026, 2, 23), 0, 0), ("2026-W10", date(2026, 3, 2), 1, 1),
        ("2026-W11", date(2026, 3, 9), 2, 4), ("2026-W12", date(2026, 3, 16), 0, 0),
        ("2026-W13", date(2026, 3, 23), 0, 0), ("2026-W14", date(2026, 3, 30), 0, 0)]
    assert march(store).store.returns == 3


def test_another_stores_sales_and_returns_are_not_counted(api, store):
    elsewhere = make_store("elsewhere")
    make_location(elsewhere)
    theirs = api_client_for(elsewhere)
    their_lines = delivered_order(theirs, elsewhere, number="E1", tee=5, mug=1)
    ask(theirs, elsewhere, "E1", (their_lines["TEE"], 4, "defective"))
    mine = delivered_order(api, store, number="O1", tee=2, mug=1)
    ask(api, store, "O1", (mine["TEE"], 1, "too_small"))
    in_march(store)
    in_march(elsewhere)

    found = march(store)

    assert (found.products[0].sold, found.products[0].asked_back) == (2, 1)
    assert found.store.reasons == (ReasonCount("too_small", 1),)
    assert by_sku(elsewhere)["TEE"].asked_back == 4


def test_the_report_is_a_few_queries_however_many_returns(api, store, django_assert_max_num_queries):
    for number in ("O1", "O2", "O3"):
        lines = delivered_order(api, store, number=number, tee=2, mug=1)
        ask(api, store, number, (lines["TEE"], 2, "too_small"), (lines["MUG"], 1, "defective"))
    in_march(store)

    with django_assert_max_num_queries(4):
        found = march(store)

    assert found.store.asked_back == 9


def test_a_period_ending_before_it_starts_or_longer_than_366_days_is_a_field_error(store):
    for since, until in [(date(2026, 3, 2), date(2026, 3, 1)), (date(2025, 1, 1), date(2026, 1, 2))]:
        with pytest.raises(ValidationFailed) as caught:
            return_insights(store=store, since=since, until=until)
        assert [e.field for e in caught.value.errors] == ["until"]
    assert return_insights(store=store, since=date(2024, 1, 1), until=date(2024, 12, 31)).products == []


def test_the_figures_of_a_month_with_an_inspected_return(api, store):
    asked_in_march(api, store)

    found = march(store)

    tee, mug = found.products
    assert (tee.sku, tee.sold, tee.asked_back, tee.store_fault, tee.mismatches) == ("TEE", 4, 3, 1, 0)
    assert (mug.sku, mug.sold, mug.asked_back, mug.store_fault, mug.mismatches) == ("MUG", 2, 1, 1, 1)
    totals = found.store
    assert (totals.sold, totals.asked_back, totals.returns, totals.mismatches) == (6, 4, 2, 1)
    assert found.store.reasons == (ReasonCount("defective", 2), ReasonCount("too_small", 2))


def test_a_share_of_nothing_is_none():
    assert share(0, 0) is None
    assert share(2, 3) == Decimal("0.6667")


# --- the sums hold for any mix of reasons, statuses, days and quantities -------------------

@pytest.fixture
def shelf(api, store):
    """Three orders with a return each (two lines apiece): each example redraws their facts."""
    rets = []
    for number in ("P1", "P2", "P3"):
        lines = delivered_order(api, store, number=number, tee=3, mug=3)
        rets.append(ask(api, store, number, (lines["TEE"], 1, "too_small"), (lines["MUG"], 1, "too_small")))
    return rets


MOMENTS = [datetime(2026, 2, 28, 22, 59, tzinfo=UTC),  # 28 Feb, local: outside
           datetime(2026, 2, 28, 23, 0, tzinfo=UTC),  # 1 March, local: inside
           datetime(2026, 3, 15, 12, 0, tzinfo=UTC),
           datetime(2026, 3, 31, 22, 0, tzinfo=UTC)]  # 1 April, local: outside
INSIDE = MOMENTS[1:3]
LINE = st.tuples(st.integers(1, 5), st.sampled_from(["too_small", "defective", "other", "wrong_item"]),
                 st.sampled_from(LegalBasis.values))
RETURN = st.tuples(st.sampled_from(ReturnStatus.values), st.sampled_from(MOMENTS), LINE, LINE)
ORDER = st.tuples(st.sampled_from(["paid", "delivered", "cancelled"]), st.sampled_from(MOMENTS))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(returns=st.lists(RETURN, min_size=3, max_size=3), orders=st.lists(ORDER, min_size=3, max_size=3))
def test_products_reasons_and_weeks_each_add_up_to_the_store_total(store, shelf, returns, orders):
    asked_back: dict[str, int] = {}
    fault = 0
    for ret, (status, at, *drawn) in zip(shelf, returns, strict=True):
        Return.objects.filter(pk=ret.pk).update(status=status, created_at=at)
        for line, (quantity, reason, basis) in zip(ret.lines.order_by("pk"), drawn, strict=True):
            ReturnLine.objects.filter(pk=line.pk).update(quantity=quantity, reason_code=reason, basis=basis)
            if status not in RELEASED and at in INSIDE:
                asked_back[line.order_line.sku] = asked_back.get(line.order_line.sku, 0) + quantity
                fault += quantity if basis in (LegalBasis.DEFECT, LegalBasis.RECALL) else 0
    for ret, (status, at) in zip(shelf, orders, strict=True):
        Order.objects.filter(pk=ret.order_id).update(status=status, placed_at=at)
    sold = 3 * sum(1 for status, at in orders if status != "cancelled" and at in INSIDE)

    found = march(store)

    total = found.store.asked_back
    assert total == sum(asked_back.values())
    assert {p.sku: p.asked_back for p in found.products if p.asked_back} == asked_back
    assert sum(p.asked_back for p in found.products) == total
    assert sum(r.units for r in found.store.reasons) == total
    assert all(sum(r.units for r in p.reasons) == p.asked_back for p in found.products)
    assert sum(w.units for w in found.store.weeks) == total
    assert found.store.store_fault == fault == sum(p.store_fault for p in found.products)
    assert all(p.sold == sold for p in found.products) and found.store.sold == 2 * sold
    ranks = [(-p.asked_back, p.return_rate is None, -(p.return_rate or 0)) for p in found.products]
    assert ranks == sorted(ranks)


def test_the_replacement_order_of_an_exchange_is_not_counted_as_sold(api, store):
    first = delivered_order(api, store, number="O1", tee=2, mug=1)
    delivered_order(api, store, number="X1", tee=1, mug=1)  # a replacement sent for a return
    Order.objects.filter(store=store, number="X1").update(source=Order.Source.EXCHANGE)
    ask(api, store, "O1", (first["TEE"], 1, "too_small"))
    in_march(store)

    tee = by_sku(store)["TEE"]

    assert (tee.sold, tee.asked_back, tee.return_rate) == (2, 1, Decimal("0.5000"))
