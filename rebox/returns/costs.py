"""What returns cost, per product: the units disposed of in a period, what the customers had
paid for them, and what their disposition (restock, liquidate, recycle...) got back.

A period is a pair of local dates in the store's time zone, both days included; a unit
belongs to it by when it was disposed of (``ReturnUnit.disposed_at``). The sums are one
grouped query in the database (SQLite and PostgreSQL alike), one row per SKU and currency:
a store selling in two currencies gets two rows for one SKU and two totals, never a sum of
kroner and euros. Amounts are integer minor units; the recovery rate is for display only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import BigIntegerField, Count, F, Max, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from rebox.core.errors import FieldError, ValidationFailed
from rebox.core.models import Store
from rebox.returns.models import Disposition, ReturnUnit

MAX_PERIOD_DAYS = 366
DEFAULT_PERIOD_DAYS = 30
DISPOSITIONS = tuple(Disposition.values)
BACKWARDS = "must not be before the first day (since)"
TOO_LONG = f"a period is at most {MAX_PERIOD_DAYS} days"
FIRST_DAY, LAST_DAY = date(1970, 1, 1), date(9998, 12, 31)
OUT_OF_RANGE = f"a day from {FIRST_DAY} to {LAST_DAY}"


class _Figures:
    """Loss and recovery rate, from ``value_minor`` and ``recovered_minor``."""

    value_minor: int
    recovered_minor: int

    @property
    def loss_minor(self) -> int:
        """Paid minus recovered: negative when a unit got back more than it was sold for."""
        return self.value_minor - self.recovered_minor

    @property
    def recovery_rate(self) -> Decimal | None:
        return recovery_rate(self.recovered_minor, self.value_minor)


@dataclass(frozen=True)
class ProductCost(_Figures):
    """The disposed units of one SKU in one currency; ``title`` is the product's."""

    sku: str
    title: str
    currency: str
    units: int
    dispositions: dict[str, int]  # every disposition, 0 included
    value_minor: int  # what the customers had paid for these units
    recovered_minor: int


@dataclass(frozen=True)
class CurrencyTotal(_Figures):
    currency: str
    units: int = 0
    dispositions: dict[str, int] = field(default_factory=lambda: dict.fromkeys(DISPOSITIONS, 0))
    value_minor: int = 0
    recovered_minor: int = 0


def recovery_rate(recovered_minor: int, value_minor: int) -> Decimal | None:
    """Recovered as a share of paid, to four places; None when nothing was paid."""
    if value_minor <= 0:
        return None
    return (Decimal(recovered_minor) / Decimal(value_minor)).quantize(Decimal("0.0001"), ROUND_HALF_EVEN)


def store_zone(store: Store) -> ZoneInfo:
    try:
        return ZoneInfo(store.time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def period_or_default(*, store: Store, since: date | None = None, until: date | None = None,
                      today: date | None = None) -> tuple[date, date]:
    """The period asked for, its missing ends filled in: until today (in the store's time
    zone), since the 30 days up to ``until``."""
    until = until or today or timezone.now().astimezone(store_zone(store)).date()
    if since is None:  # (a day at the calendar's start has no 30 days before it: period_errors says so)
        since = until - timedelta(days=DEFAULT_PERIOD_DAYS - 1) if until > FIRST_DAY else until
    return since, until


def period_errors(since: date, until: date) -> list[FieldError]:
    """Why a period cannot be reported on, if it cannot (messages: ``OUT_OF_RANGE``,
    ``BACKWARDS``, ``TOO_LONG``)."""
    for name, day in (("until", until), ("since", since)):
        if not FIRST_DAY <= day <= LAST_DAY:
            return [FieldError(name, OUT_OF_RANGE)]
    if since > until:
        return [FieldError("until", BACKWARDS)]
    if (until - since).days + 1 > MAX_PERIOD_DAYS:
        return [FieldError("until", TOO_LONG)]
    return []


def _bounds(store: Store, since: date, until: date) -> tuple[datetime, datetime]:
    zone = store_zone(store)
    return (datetime.combine(since, time.min, tzinfo=zone),
            datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone))


def return_costs(*, store: Store, since: date, until: date) -> list[ProductCost]:
    """The store's units disposed of from ``since`` to ``until`` (local days, inclusive),
    per SKU and currency, the largest loss first."""
    errors = period_errors(since, until)
    if errors:
        raise ValidationFailed(errors=errors)
    start, end = _bounds(store, since, until)
    money = BigIntegerField()
    rows = (
        ReturnUnit.objects
        .filter(line__ret__store=store, disposed_at__gte=start, disposed_at__lt=end)
        .exclude(disposition="")
        .values(sku=F("line__order_line__sku"), currency=F("line__ret__currency"))
        .annotate(
            title=Max(Coalesce("line__order_line__variant__product__title", "line__order_line__title")),
            units=Count("pk"),
            value_minor=Sum("line__unit_value_minor", output_field=money),
            recovered_minor=Sum("value_recovered_minor", output_field=money),
            **{f"n_{code}": Count("pk", filter=Q(disposition=code)) for code in DISPOSITIONS},
        )
        .annotate(loss_minor=F("value_minor") - F("recovered_minor"))
        .order_by("-loss_minor", "sku", "currency")
    )
    return [ProductCost(sku=row["sku"], title=row["title"] or row["sku"], currency=row["currency"],
                        units=row["units"], value_minor=int(row["value_minor"]),
                        recovered_minor=int(row["recovered_minor"]),
                        dispositions={code: row[f"n_{code}"] for code in DISPOSITIONS})
            for row in rows]


def return_cost_totals(costs: list[ProductCost]) -> list[CurrencyTotal]:
    """One total per currency over the product rows (a handful: one per SKU), by currency."""
    totals: dict[str, CurrencyTotal] = {}
    for cost in costs:
        total = totals.get(cost.currency) or CurrencyTotal(currency=cost.currency)
        totals[cost.currency] = CurrencyTotal(
            currency=cost.currency, units=total.units + cost.units,
            dispositions={code: total.dispositions[code] + cost.dispositions[code] for code in DISPOSITIONS},
            value_minor=total.value_minor + cost.value_minor,
            recovered_minor=total.recovered_minor + cost.recovered_minor)
    return [totals[currency] for currency in sorted(totals)]
