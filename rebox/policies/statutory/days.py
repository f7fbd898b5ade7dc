"""Counting statutory days: when a period ends, and where a last day that falls on a rest
day moves to.

Every pack here counts "N days from the day of the event" with the event day itself not
counted, so the last day is ``event + N`` (Israel: day of receipt not counted [IL-11]; UK:
"14 calendar days after the day" [UK-2]; Ukraine Art. 9: not counting the purchase day
[UA-2]). A last day on a listed rest day moves forward to the next day that is none of
them (Denmark [DK-7]; Israel [IL-11]). Public holidays come from the `holidays` package.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

import holidays

# Token in a pack's roll_forward list -> what it blocks.
WEEKDAY_TOKENS = {"saturday": 5, "shabbat": 5, "sunday": 6}
FIXED_DATE_TOKENS = {"constitution_day": (6, 5), "christmas_eve": (12, 24), "new_years_eve": (12, 31)}
ROLL_TOKENS = frozenset({*WEEKDAY_TOKENS, *FIXED_DATE_TOKENS, "public_holiday"})


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later; the month's last day when it has no such day."""
    years, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month_index + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


@dataclass(frozen=True, slots=True)
class DayCount:
    exclude_start_day: bool
    roll_forward: tuple[str, ...]
    holidays_country: str | None
    source: str
    # Rolled last days already worked out: {day: (rolled, reason)}. Not part of equality.
    _rolled: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    def last_day(self, start: date, *, days: int = 0, months: int = 0) -> date:
        """Last day of a period of ``days`` (or ``months``) from ``start``, before rolling."""
        end = add_months(start, months) if months else start + timedelta(days=days)
        return end if self.exclude_start_day else end - timedelta(days=1)

    def roll(self, day: date) -> tuple[date, str | None]:
        """``day`` moved past rest days, and the token that moved it (None: it stays)."""
        if not self.roll_forward:
            return day, None
        found = self._rolled.get(day)
        if found is None:
            if len(self._rolled) > 20_000:  # bounded: a few years of days per pack
                self._rolled.clear()
            found = self._rolled[day] = _roll(self, day)
        return found

    def blocked_by(self, day: date) -> str | None:
        for token in self.roll_forward:
            if token in WEEKDAY_TOKENS:
                if day.weekday() == WEEKDAY_TOKENS[token]:
                    return token
            elif token in FIXED_DATE_TOKENS:
                if (day.month, day.day) == FIXED_DATE_TOKENS[token]:
                    return token
            elif token == "public_holiday" and self.holidays_country:
                if day in _calendar(self.holidays_country):
                    return token
        return None


def _roll(count: DayCount, day: date) -> tuple[date, str | None]:
    reason = count.blocked_by(day)
    if reason is None:
        return day, None
    moved = day
    for _ in range(31):
        moved += timedelta(days=1)
        if count.blocked_by(moved) is None:
            return moved, reason
    raise ValueError(f"no working day within a month after {day}")  # a broken pack


@cache
def _calendar(country: str) -> holidays.HolidayBase:
    return holidays.country_holidays(country)
