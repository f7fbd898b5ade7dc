"""/api/v1/reports: what the store's returns cost, and which products come back and why, for
a bookkeeper's or a BI tool's pull.

A key reads its own store's figures only (every API key is one store's); there is nothing
to write here, so no Idempotency-Key.
"""

from datetime import date

from django.http import HttpRequest, JsonResponse
from ninja import Field, Query, Router, Schema

from rebox.api.common import ERRORS
from rebox.policies.selectors import reasons_for_store
from rebox.returns.costs import period_or_default, return_cost_totals, return_costs
from rebox.returns.insights import return_insights

router = Router(tags=["reports"])


class CostsPeriod(Schema):
    since: date | None = Field(None, description="first local day (store's time zone), inclusive; "
                                                 "default: 30 days up to until")
    until: date | None = Field(None, description="last local day, inclusive (default: today); "
                                                 "at most 366 days in all")


class CostTotalOut(Schema):
    currency: str
    units: int
    dispositions: dict[str, int]
    value_minor: int = Field(..., description="what the customers had paid for the units")
    recovered_minor: int
    loss_minor: int = Field(..., description="value minus recovered; negative when more came back")
    recovery_rate: float | None = Field(..., description="recovered / value, for display only")


class ProductCostOut(CostTotalOut):
    sku: str
    title: str


class ReturnCostsOut(Schema):
    since: date
    until: date
    time_zone: str
    items: list[ProductCostOut]
    totals: list[CostTotalOut]


def _figures(row) -> dict:
    rate = row.recovery_rate
    return {"currency": row.currency, "units": row.units, "dispositions": row.dispositions,
            "value_minor": row.value_minor, "recovered_minor": row.recovered_minor,
            "loss_minor": row.loss_minor, "recovery_rate": float(rate) if rate is not None else None}


@router.get("/return-costs", response={200: ReturnCostsOut, **ERRORS},
            summary="Cost of returns per product over a period (default: the last 30 days)")
def get_return_costs(request: HttpRequest, period: Query[CostsPeriod]):
    """Units disposed of in the period, per SKU and currency, the largest loss first, with a
    total per currency. Days are the store's; a unit counts on the day it was disposed of.
    An end before the start, or more than 366 days, is a 422 naming ``until``."""
    store = request.store
    since, until = period_or_default(store=store, since=period.since, until=period.until)
    costs = return_costs(store=store, since=since, until=until)
    return JsonResponse({
        "since": since.isoformat(), "until": until.isoformat(), "time_zone": store.time_zone,
        "items": [{"sku": cost.sku, "title": cost.title, **_figures(cost)} for cost in costs],
        "totals": [_figures(total) for total in return_cost_totals(costs)],
    })


class ReasonOut(Schema):
    code: str
    label: str = Field(..., description="the store's English label for the reason (the code if it has none)")
    units: int


class InsightFiguresOut(Schema):
    sold: int = Field(..., description="units on orders placed in the period, cancelled orders left out")
    asked_back: int = Field(..., description="units on returns created in the period, those declined, "
                                             "cancelled or expired left out")
    return_rate: float | None = Field(..., description="asked_back / sold, for display only (null when "
                                                       "nothing was sold); a return may be for an earlier "
                                                       "order, so it can pass 1")
    store_fault: int = Field(..., description="units asked back on a defect or recall basis")
    store_fault_share: float | None = Field(..., description="store_fault / asked_back")
    mismatches: int = Field(..., description="inspected units that contradicted the reason given")
    reasons: list[ReasonOut] = Field(..., description="units per reason, the most first")


class ProductInsightOut(InsightFiguresOut):
    sku: str
    title: str


class WeekOut(Schema):
    week: str = Field(..., description="ISO week, e.g. 2026-W10")
    monday: date
    returns: int
    units: int


class StoreInsightOut(InsightFiguresOut):
    returns: int


class ReturnInsightsOut(Schema):
    since: date
    until: date
    time_zone: str
    items: list[ProductInsightOut]
    totals: StoreInsightOut
    weeks: list[WeekOut]


def _rate(value) -> float | None:
    return float(value) if value is not None else None


def _insight(row, labels: dict[str, str]) -> dict:
    return {"sold": row.sold, "asked_back": row.asked_back, "return_rate": _rate(row.return_rate),
            "store_fault": row.store_fault, "store_fault_share": _rate(row.store_fault_share),
            "mismatches": row.mismatches,
            "reasons": [{"code": r.code, "label": labels.get(r.code, r.code), "units": r.units}
                        for r in row.reasons]}


@router.get("/return-insights", response={200: ReturnInsightsOut, **ERRORS},
            summary="Which products come back and why, over a period (default: the last 30 days)")
def get_return_insights(request: HttpRequest, period: Query[CostsPeriod]):
    """Per SKU sold or asked back in the period: units sold (orders placed in it), units asked
    back (returns created in it), the rate, the reasons, the store's share of the fault and the
    inspection mismatches, the most asked back first; then the store's totals and its returns
    per ISO week. Days are the store's. A bad period is a 422 naming ``until``."""
    store = request.store
    since, until = period_or_default(store=store, since=period.since, until=period.until)
    found = return_insights(store=store, since=since, until=until)
    labels = {reason.code: reason.label("en") for reason in reasons_for_store(store=store, active_only=False)}
    return JsonResponse({
        "since": since.isoformat(), "until": until.isoformat(), "time_zone": store.time_zone,
        "items": [{"sku": p.sku, "title": p.title, **_insight(p, labels)} for p in found.products],
        "totals": {"returns": found.store.returns, **_insight(found.store, labels)},
        "weeks": [{"week": w.iso_week, "monday": w.monday.isoformat(), "returns": w.returns, "units": w.units}
                  for w in found.store.weeks],
    })
