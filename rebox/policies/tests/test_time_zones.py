"""Windows are local dates in the store's time zone, and their last day counts in full."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from rebox.policies import evaluate
from rebox.policies.tests.factories import line, local, order, policy

COPENHAGEN = "Europe/Copenhagen"
NEW_YORK = "America/New_York"


def at(day: date, zone: str, hour: int, minute: int, second: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute, second), tzinfo=ZoneInfo(zone))


def test_a_delivery_at_23_30_local_counts_as_that_local_date():
    # 23:30 in New York is 04:30 UTC the next day: the window must start on the 3rd, not the 4th.
    facts = order("US", date(2026, 11, 3), delivered_time=time(23, 30))
    assert facts.delivered_at.astimezone(UTC).date() == date(2026, 11, 4)
    decision = evaluate(policy("USD", window_days=14), line(1_000, "USD"), facts,
                        at=local(date(2026, 11, 10), NEW_YORK))
    assert decision.window_end == date(2026, 11, 17)


def test_a_delivery_just_after_midnight_local_counts_as_the_new_local_date():
    # 00:30 in Copenhagen is 23:30 UTC the day before; CRD Art. 9 counts 14 days from the 4th.
    facts = order("DK", date(2026, 11, 4), delivered_time=time(0, 30))
    assert facts.delivered_at.astimezone(UTC).date() == date(2026, 11, 3)
    decision = evaluate(policy("DKK", window_days=7), line(1_000, "DKK"), facts,
                        at=local(date(2026, 11, 10), COPENHAGEN))
    assert decision.window_end == date(2026, 11, 18)


@pytest.mark.parametrize(("asked", "eligible"), [
    (at(date(2026, 11, 3), COPENHAGEN, 23, 59, 59), True),
    (at(date(2026, 11, 4), COPENHAGEN, 0, 0), False),
], ids=["23:59:59 on the last day", "00:00 the next day"])
def test_daylight_saving_change_inside_the_window_does_not_move_the_last_day(asked, eligible):
    # Denmark leaves summer time on 25 Oct 2026, inside a 14-day window from 20 Oct.
    # 00:00 CET on 4 Nov is still 3 Nov in UTC: counting in UTC would wrongly say yes.
    facts = order("DK", date(2026, 10, 20))
    decision = evaluate(policy("DKK", window_days=7), line(1_000, "DKK"), facts, at=asked)
    assert decision.window_end == date(2026, 11, 3)
    assert decision.eligible is eligible


@pytest.mark.parametrize(("asked", "eligible"), [
    (at(date(2026, 11, 17), "Asia/Jerusalem", 23, 59), True),
    (at(date(2026, 11, 18), "Asia/Jerusalem", 0, 0), False),
], ids=["23:59 on the last day is in time", "00:00 the day after is too late"])
def test_a_window_ending_today_is_open_until_local_midnight(asked, eligible):
    facts = order("IL", date(2026, 11, 3))
    decision = evaluate(policy("ILS", window_days=14), line(1_000, "ILS"), facts, at=asked)
    assert decision.window_end == date(2026, 11, 17)
    assert decision.eligible is eligible


def test_the_moment_of_asking_may_be_given_in_any_zone():
    facts = order("IL", date(2026, 11, 3))
    in_utc = datetime(2026, 11, 17, 21, 59, tzinfo=UTC)  # 23:59 in Jerusalem (UTC+2 in November)
    assert evaluate(policy("ILS", window_days=14), line(1_000, "ILS"), facts, at=in_utc).eligible


def test_a_naive_moment_is_refused():
    with pytest.raises(ValueError, match="aware"):
        evaluate(policy("ILS"), line(1_000, "ILS"), order("IL", date(2026, 11, 3)), at=datetime(2026, 11, 5))
