"""The daily refunds report of a store, as CSV: every refund decided on one day (midnight to
midnight in the store's time zone), grouped by gateway and status, for the bookkeeper to
hold against the gateway's own payout report.

Amounts are printed in major units with the currency's own decimals (``12.50`` EUR,
``1250`` JPY), converted from the integer minor units by ``Money.as_decimal`` (a decimal
shift, no floats). Text that came from outside (gateway messages, references) is kept
from being read as a formula by a spreadsheet.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TextIO
from zoneinfo import ZoneInfo

from rebox.core.models import Store
from rebox.core.money import Money
from rebox.refunds.models import Refund

COLUMNS = ("date", "number", "order", "return", "payment_method", "gateway", "gateway_reference",
           "amount", "currency", "status", "attempts", "last_error")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class DayTotal:
    gateway: str
    status: str
    currency: str
    count: int
    amount_minor: int


def day_bounds(store: Store, day: date) -> tuple[datetime, datetime]:
    """The store's local day as an interval of aware datetimes [start, end)."""
    zone = ZoneInfo(store.time_zone or "UTC")
    start = datetime.combine(day, time.min, tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
    return start, end


def refunds_of_day(*, store: Store, day: date):
    start, end = day_bounds(store, day)
    return (Refund.objects.filter(store=store, created_at__gte=start, created_at__lt=end)
            .select_related("order", "ret", "payment").order_by("gateway", "status", "created_at", "pk"))


def day_totals(*, store: Store, day: date) -> list[DayTotal]:
    """Number and sum of the day's refunds per gateway, status and currency."""
    totals: dict[tuple[str, str, str], list[int]] = {}
    for refund in refunds_of_day(store=store, day=day):
        slot = totals.setdefault((refund.gateway, refund.status, refund.currency), [0, 0])
        slot[0] += 1
        slot[1] += refund.amount_minor
    return [DayTotal(g, s, c, n, amount) for (g, s, c), (n, amount) in totals.items()]


def major_units(amount_minor: int, currency: str) -> str:
    return format(Money(amount_minor, currency).as_decimal(), "f")


def _text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def refund_report_write(*, store: Store, day: date, out: TextIO) -> int:
    """Write the day's CSV to ``out``; returns the number of refunds in it."""
    zone = ZoneInfo(store.time_zone or "UTC")
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    count = 0
    for refund in refunds_of_day(store=store, day=day):
        writer.writerow([
            refund.created_at.astimezone(zone).isoformat(timespec="seconds"),
            refund.number,
            _text(refund.order.number),
            refund.ret.number if refund.ret_id else "",
            refund.payment.method,
            refund.gateway,
            _text(refund.gateway_reference),
            major_units(refund.amount_minor, refund.currency),
            refund.currency,
            refund.status,
            refund.attempts,
            _text(" ".join(refund.last_error.split())),
        ])
        count += 1
    return count


def refund_report_csv(*, store: Store, day: date) -> str:
    """The day's report as text (for a back-office download)."""
    out = io.StringIO()
    refund_report_write(store=store, day=day, out=out)
    return out.getvalue()
