"""Which products come back, and why: per SKU over a period, the units sold, the units asked
back, the return rate, the reasons, how much was the store's fault and how often inspection
contradicted the reason given; store-wide, the same totals and the returns per ISO week.

A period is a pair of local days in the store's time zone, both included (as for the cost of
returns, whose period rules these are). Two clocks are read on purpose:

- *sold*: units on the store's orders placed in the period (``Order.placed_at``), cancelled
  orders and the replacement orders of exchanges (not sales) left out;
- *asked back*: units on the returns created in the period (``Return.created_at``), those
  declined, cancelled or expired left out (they never held any quantity).

So a return in the period may be for an order of an earlier one, and a rate can pass 100 %:
it compares this period's requests with this period's sales, the way a merchant reads a
monthly figure. A unit is the store's fault when its line's legal basis, fixed when the
return was made from the reason's fault flag, is a defect or a recall. The sums are a few
grouped queries (SQLite and PostgreSQL alike); Python only joins their rows by SKU.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_EVEN, Decimal

from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import Coalesce, TruncWeek

from rebox.core.errors import ValidationFailed
from rebox.core.models import Store
from rebox.orders.models import Order, OrderLine
from rebox.orders.states import OrderStatus
from rebox.returns.costs import period_errors, store_zone
from rebox.returns.models import LegalBasis, ReturnLine, ReturnUnit
from rebox.returns.states import RELEASED

STORE_FAULT_BASES = (LegalBasis.DEFECT, LegalBasis.RECALL)


def share(part: int, whole: int) -> Decimal | None:
    """``part`` as a share of ``whole``, to four places; None when the whole is nothing."""
    if whole <= 0:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), ROUND_HALF_EVEN)


@dataclass(frozen=True)
class ReasonCount:
    code: str  # ReturnLine.reason_code; its words are the store's own (ReturnReason.labels)
    units: int


class _Rates:
    """The return rate and the store's share of fault, from the counts that make them."""

    sold: int
    asked_back: int
    store_fault: int

    @property
    def return_rate(self) -> Decimal | None:
        return share(self.asked_back, self.sold)

    @property
    def store_fault_share(self) -> Decimal | None:
        return share(self.store_fault, self.asked_back)


@dataclass(frozen=True)
class ProductInsight(_Rates):
    """One SKU sold or asked back in the period; ``title`` is the product's."""

    sku: str
    title: str
    sold: int
    asked_back: int
    store_fault: int  # units asked back on a defect or recall basis
    mismatches: int  # inspected units whose state contradicted the reason given
    reasons: tuple[ReasonCount, ...]  # the most units first; they add up to ``asked_back``


@dataclass(frozen=True)
class WeekOfReturns:
    monday: date  # the ISO week's first day; the first and last weeks may be cut by the period
    returns: int
    units: int

    @property
    def iso_week(self) -> str:
        year, week, _ = self.monday.isocalendar()
        return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class StoreInsight(_Rates):
    sold: int
    asked_back: int
    returns: int
    store_fault: int
    mismatches: int
    reasons: tuple[ReasonCount, ...]
    weeks: tuple[WeekOfReturns, ...]  # every ISO week the period touches, in order, 0 included


@dataclass(frozen=True)
class ReturnInsights:
    products: list[ProductInsight]  # the most units asked back first, then the highest rate
    store: StoreInsight


def _ranked(units_by_code: dict[str, int]) -> tuple[ReasonCount, ...]:
    ranked = sorted(units_by_code.items(), key=lambda item: (-item[1], item[0]))
    return tuple(ReasonCount(code, units) for code, units in ranked)


def _order(product: ProductInsight) -> tuple:
    rate = product.return_rate
    return (-product.asked_back, rate is None, -(rate or 0), product.sku)


def return_insights(*, store: Store, since: date, until: date) -> ReturnInsights:
    """The store's products sold or asked back from ``since`` to ``until`` (local days,
    inclusive), and the store-wide figures. A bad period raises ``ValidationFailed``."""
    errors = period_errors(since, until)
    if errors:
        raise ValidationFailed(errors=errors)
    zone = store_zone(store)
    start = datetime.combine(since, time.min, tzinfo=zone)
    end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone)
    sold = list(OrderLine.objects
                .filter(store=store, order__placed_at__gte=start, order__placed_at__lt=end)
                .exclude(order__status=OrderStatus.CANCELLED)
                .exclude(order__source=Order.Source.EXCHANGE)  # a replacement is not a sale
                .values("sku")
                .annotate(title=Max(Coalesce("variant__product__title", "title")), units=Sum("quantity"))
                .order_by())
    asked = (ReturnLine.objects
             .filter(ret__store=store, ret__created_at__gte=start, ret__created_at__lt=end)
             .exclude(ret__status__in=RELEASED))
    by_reason = (asked.values("order_line__sku", "reason_code")
                 .annotate(title=Max(Coalesce("order_line__variant__product__title", "order_line__title")),
                           units=Sum("quantity"),
                           fault=Sum("quantity", filter=Q(basis__in=STORE_FAULT_BASES)))
                 .order_by())
    mismatched = (ReturnUnit.objects.filter(line__in=asked).exclude(mismatch="")
                  .values("line__order_line__sku").annotate(n=Count("pk")).order_by())
    weekly = (asked.annotate(monday=TruncWeek("ret__created_at", tzinfo=zone)).values("monday")
              .annotate(returns=Count("ret", distinct=True), units=Sum("quantity")).order_by())

    titles = {row["sku"]: row["title"] for row in sold}
    sold_units = {row["sku"]: row["units"] for row in sold}
    reasons: dict[str, dict[str, int]] = {}
    fault: dict[str, int] = {}
    for row in by_reason:
        sku = row["order_line__sku"]
        titles.setdefault(sku, row["title"])
        reasons.setdefault(sku, {})[row["reason_code"]] = row["units"]
        fault[sku] = fault.get(sku, 0) + (row["fault"] or 0)
    mismatches = {row["line__order_line__sku"]: row["n"] for row in mismatched}
    products = sorted((ProductInsight(
        sku=sku, title=titles[sku] or sku, sold=sold_units.get(sku, 0),
        asked_back=sum(reasons.get(sku, {}).values()), store_fault=fault.get(sku, 0),
        mismatches=mismatches.get(sku, 0), reasons=_ranked(reasons.get(sku, {})))
        for sku in titles), key=_order)
    return ReturnInsights(products=products, store=_store_wide(products, weekly, since, until))


def _store_wide(products: list[ProductInsight], weekly, since: date, until: date) -> StoreInsight:
    """The product rows added up (a handful per SKU), and every week of the period."""
    found = {row["monday"].date(): row for row in weekly}
    monday = since - timedelta(days=since.weekday())
    weeks = []
    while monday <= until:
        row = found.get(monday, {})
        weeks.append(WeekOfReturns(monday=monday, returns=row.get("returns", 0), units=row.get("units", 0)))
        monday += timedelta(weeks=1)
    reasons: dict[str, int] = {}
    for product in products:
        for reason in product.reasons:
            reasons[reason.code] = reasons.get(reason.code, 0) + reason.units
    return StoreInsight(
        sold=sum(p.sold for p in products), asked_back=sum(p.asked_back for p in products),
        returns=sum(w.returns for w in weeks), store_fault=sum(p.store_fault for p in products),
        mismatches=sum(p.mismatches for p in products), reasons=_ranked(reasons), weeks=tuple(weeks))
