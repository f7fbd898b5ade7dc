"""The statutory refund deadline: counted from the request under the law that governed it,
the strictest line deciding; on time, due soon (3 days), late; and what a store still owes."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rebox.refunds.deadlines import (
    DUE_SOON,
    LATE,
    ON_TIME,
    DeadlineCache,
    deadlines_outstanding,
    refund_deadline,
    return_refund_deadline,
)
from rebox.refunds.tests.owed import asked_return, delivered_order, refund_of
from rebox.testing import make_store

NOTICE = date(2026, 3, 5)


def test_the_deadline_is_the_notice_day_plus_the_laws_days():
    deadline = refund_deadline(notice=NOTICE, days_per_line=[14], today=date(2026, 3, 10))

    assert deadline.due == date(2026, 3, 19) and deadline.days == 14
    assert deadline.state == ON_TIME and deadline.days_left == 9


@pytest.mark.parametrize(("today", "state", "left"), [
    (date(2026, 3, 15), ON_TIME, 4),
    (date(2026, 3, 16), DUE_SOON, 3),
    (date(2026, 3, 19), DUE_SOON, 0),  # the last day itself is still in time
    (date(2026, 3, 20), LATE, -1),
])
def test_a_refund_is_due_soon_within_three_days_and_late_after_the_last_day(today, state, left):
    deadline = refund_deadline(notice=NOTICE, days_per_line=[14], today=today)

    assert (deadline.state, deadline.days_left) == (state, left)
    assert deadline.needs_attention == (state != ON_TIME)


def test_the_strictest_line_decides_and_lines_without_a_deadline_do_not_count():
    deadline = refund_deadline(notice=NOTICE, days_per_line=[30, None, 14], today=NOTICE)

    assert deadline.due == date(2026, 3, 19)


def test_there_is_no_deadline_when_the_law_sets_none():
    assert refund_deadline(notice=NOTICE, days_per_line=[None, None], today=NOTICE) is None
    assert refund_deadline(notice=NOTICE, days_per_line=[], today=NOTICE) is None


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)), st.integers(0, 60),
       st.integers(-100, 100))
def test_the_state_follows_the_days_left(notice, days, offset):
    today = date.fromordinal(notice.toordinal() + offset)
    deadline = refund_deadline(notice=notice, days_per_line=[days], today=today)

    assert deadline.days_left == days - offset
    assert (deadline.state == LATE) == (deadline.days_left < 0)
    assert (deadline.state == DUE_SOON) == (0 <= deadline.days_left <= 3)


@pytest.mark.django_db
def test_a_danish_withdrawal_must_be_refunded_within_14_days_of_the_request(store):
    ret = asked_return(delivered_order(store, "D1"))

    deadline = return_refund_deadline(ret, today=date(2026, 3, 17))

    assert deadline.due == date(2026, 3, 19) and deadline.days == 14 and deadline.state == DUE_SOON


@pytest.mark.django_db
def test_a_ukrainian_store_has_thirty_days(db):
    shop = make_store("ua", currency="UAH", country="UA", languages=("uk", "en"), time_zone="Europe/Kyiv")
    ret = asked_return(delivered_order(shop, "U1"))

    deadline = return_refund_deadline(ret, today=date(2026, 3, 20))

    assert deadline.due == date(2026, 4, 4) and deadline.state == ON_TIME


@pytest.mark.django_db
def test_a_us_store_has_no_statutory_refund_deadline(db):
    shop = make_store("us", currency="USD", country="US", languages=("en",), time_zone="America/New_York")
    ret = asked_return(delivered_order(shop, "A1"))

    assert return_refund_deadline(ret, today=date(2026, 3, 20)) is None


@pytest.mark.django_db
def test_the_notice_day_is_the_stores_local_date(db):
    from datetime import UTC, datetime

    shop = make_store("late-night", time_zone="Europe/Copenhagen")
    # 23:30 UTC on 4 March is already 5 March in Copenhagen
    ret = asked_return(delivered_order(shop, "N1"), asked=datetime(2026, 3, 4, 23, 30, tzinfo=UTC))

    assert return_refund_deadline(ret, today=NOTICE).due == date(2026, 3, 19)


@pytest.mark.django_db
def test_the_store_owes_open_refunds_and_approved_returns_not_yet_paid(store, other_store):
    failed_ret = asked_return(delivered_order(store, "F1"), status="inspected")
    failed = refund_of(failed_ret.order, ret=failed_ret, status="failed", error="card expired")
    paid_ret = asked_return(delivered_order(store, "P1"), status="resolved")
    refund_of(paid_ret.order, ret=paid_ret, status="succeeded")
    waiting = asked_return(delivered_order(store, "W1"), status="in_transit")
    asked_return(delivered_order(store, "R1"), status="requested")  # not approved: nothing owed yet
    asked_return(delivered_order(store, "X1"), status="approved", resolution="exchange")
    goodwill = refund_of(delivered_order(store, "G1"), status="pending")
    theirs = asked_return(delivered_order(other_store, "F1"), status="approved")

    owed = deadlines_outstanding(store=store, today=date(2026, 3, 20))

    assert [(o.refund, o.ret) for o in owed] == [(failed, failed_ret), (goodwill, None), (None, waiting)]
    assert [o.deadline.state if o.deadline else None for o in owed] == [LATE, None, LATE]
    assert owed[0].failed and not owed[2].failed
    assert theirs.pk not in {o.ret.pk for o in owed if o.ret}


@pytest.mark.django_db
def test_the_cache_works_each_return_out_once(store, django_assert_max_num_queries):
    ret = asked_return(delivered_order(store, "C1"))
    cache = DeadlineCache(store, today=NOTICE)
    first = cache.of(ret)

    with django_assert_max_num_queries(0):
        assert cache.of(ret) is first
    assert cache.of(None) is None
