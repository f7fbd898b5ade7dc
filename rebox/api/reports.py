"""/api/v1/reports: what the store's returns cost, for a bookkeeper's or a BI tool's pull.

A key reads its own store's figures only (every API key is one store's); there is nothing
to write here, so no Idempotency-Key.
"""

from datetime import date

from django.http import HttpRequest, JsonResponse
from ninja import Field, Query, Router, Schema

from rebox.api.common import ERRORS
from rebox.returns.costs import period_or_default, return_cost_totals, return_costs

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
