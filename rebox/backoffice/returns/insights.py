"""/returns/insights/: which products come back and why over a period, and the same as CSV.

The readers and the period rules are those of the cost of returns (owners, agents and
analysts; the last 30 days when no period is given; a bad date or range beside its field).
Thin over ``rebox.returns.insights``; reasons read in the store's own words, in the page's
language, as on a return's page.
"""

import csv
import io
from decimal import Decimal

from babel import Locale
from babel.dates import format_skeleton
from django import forms
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from rebox.backoffice.returns.costs import (
    DATE_INPUT,
    READING,
    PeriodForm,
    csv_cell,
    percent_text,
    period_report,
)
from rebox.backoffice.returns.detail import reason_labels
from rebox.backoffice.templatetags.backoffice import ui_locale
from rebox.backoffice.tenancy import store_required
from rebox.returns import insights as return_insight

TOP_REASONS = 3
CSV_COLUMNS = ("row", "sku", "title", "sold", "asked_back", "return_rate", "store_fault", "store_fault_share",
               "mismatches", "top_reasons")
NOT_A_DATE = {"invalid": _("Enter a date like 2026-03-19.")}


class InsightsPeriodForm(PeriodForm):
    """The period of the cost-of-returns page, named for what it counts here."""

    since = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT, error_messages=NOT_A_DATE)
    until = forms.DateField(label=_("Until"), required=False, widget=DATE_INPUT, error_messages=NOT_A_DATE)


def _bar(part: int, whole: int) -> str:
    """A CSS length in percent, written with a dot whatever the page's language."""
    return f"{Decimal(100 * part) / whole:.1f}%" if whole else "0%"


def _reasons(reasons, words: dict[str, str], whole: int) -> list[dict]:
    return [{"label": words.get(r.code, r.code), "units": r.units, "percent": percent_text(
        return_insight.share(r.units, whole)), "bar": _bar(r.units, whole)} for r in reasons]


def _context(store, found: return_insight.ReturnInsights) -> dict:
    """The figures with the words, percentages and bar lengths the page prints beside them."""
    words = reason_labels(store)
    total = found.store
    busiest = max((week.returns for week in total.weeks), default=0)
    locale = Locale.parse(ui_locale())
    asked = [p for p in found.products if p.asked_back]
    return {
        "products": [{"row": p, "rate": percent_text(p.return_rate),
                      "fault": percent_text(p.store_fault_share),
                      "reasons": _reasons(p.reasons[:TOP_REASONS], words, p.asked_back)} for p in asked],
        "not_asked_back": len(found.products) - len(asked),
        "total": {"row": total, "rate": percent_text(total.return_rate),
                  "fault": percent_text(total.store_fault_share)},
        "reasons": _reasons(total.reasons, words, total.asked_back),
        "weeks": [{"row": week, "monday": format_skeleton("yMMMd", week.monday, locale=locale),
                   "bar": _bar(week.returns, busiest)} for week in total.weeks],
    }


def _report(request, *, csv: bool = False):
    store = request.store
    return period_report(
        request, InsightsPeriodForm(request.GET, store=store), template="backoffice/returns/insights.html",
        compute=return_insight.return_insights, context=lambda found: _context(store, found),
        csv=(lambda found: insights_csv_text(found, reason_labels(store))) if csv else None,
        name="return-insights")


@require_GET
@store_required(roles=READING)
def insights(request):
    return _report(request)


@require_GET
@store_required(roles=READING)
def insights_csv(request):
    """Every product sold or asked back (the page lists those asked back), then the store."""
    return _report(request, csv=True)


def _rate(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def _figures(row, words: dict[str, str]) -> list:
    top = "; ".join(f"{words.get(r.code, r.code)}: {r.units}" for r in row.reasons[:TOP_REASONS])
    return [row.sold, row.asked_back, _rate(row.return_rate), row.store_fault, _rate(row.store_fault_share),
            row.mismatches, csv_cell(top)]


def insights_csv_text(found: return_insight.ReturnInsights, words: dict[str, str]) -> str:
    """One row per product, then the store's; rates as plain decimals (0.2500), reasons in
    the store's words (kept from being read as formulas, as SKUs and titles are)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for product in found.products:
        writer.writerow(["product", csv_cell(product.sku), csv_cell(product.title),
                         *_figures(product, words)])
    writer.writerow(["total", "", "", *_figures(found.store, words)])
    return out.getvalue()
