"""/returns/costs/: what returns cost per product over a period, and the same as CSV.

Owners, agents and analysts read it (as the refunds pages); the warehouse role does not.
Thin over ``rebox.returns.costs``: the form turns the query string into a period (the last
30 days when none is given) and puts a bad date or range beside its field.
"""

import csv
import io
from decimal import Decimal

from babel import Locale
from babel.numbers import format_percent
from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from rebox.backoffice.templatetags.backoffice import ui_locale
from rebox.backoffice.tenancy import store_required
from rebox.core.models import Role
from rebox.core.money import Money
from rebox.returns import costs as return_cost
from rebox.returns.models import Disposition

READING = frozenset({Role.OWNER, Role.AGENT, Role.ANALYST})
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DISPOSITION_LABELS = {
    Disposition.RESTOCK: _("Restock"), Disposition.REFURBISH: _("Refurbish"), Disposition.REPAIR: _("Repair"),
    Disposition.RETURN_TO_SUPPLIER: _("Return to supplier"), Disposition.LIQUIDATE: _("Liquidate"),
    Disposition.DONATE: _("Donate"), Disposition.RECYCLE: _("Recycle"),
    Disposition.DISPOSE: _("Dispose (write off)"),
}
PERIOD_MESSAGES = {return_cost.BACKWARDS: _("Must not be before the first day."),
                   return_cost.TOO_LONG: _("Choose a period of at most 366 days."),
                   return_cost.OUT_OF_RANGE: _("Choose a day from 1970 to 9998.")}
CSV_COLUMNS = ("row", "sku", "title", "currency", "units", *return_cost.DISPOSITIONS,
               "paid", "recovered", "loss", "recovery_rate")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class PeriodForm(forms.Form):
    since = forms.DateField(label=_("Disposed from"), required=False, widget=DATE_INPUT,
                            error_messages={"invalid": _("Enter a date like 2026-03-19.")})
    until = forms.DateField(label=_("Disposed until"), required=False, widget=DATE_INPUT,
                            error_messages={"invalid": _("Enter a date like 2026-03-19.")})

    def __init__(self, *args, store, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.store = store

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        since, until = return_cost.period_or_default(store=self.store, since=cleaned.get("since"),
                                                     until=cleaned.get("until"))
        for error in return_cost.period_errors(since, until):
            self.add_error(error.field, PERIOD_MESSAGES.get(error.message, error.message))
        cleaned["since"], cleaned["until"] = since, until
        # The inputs show the period reported on, defaults included.
        self.data = self.data.copy()
        self.data["since"], self.data["until"] = since.isoformat(), until.isoformat()
        return cleaned


def percent_text(rate: Decimal | None) -> str:
    """The rate as the page's language writes a percentage, to one decimal (57.5 %)."""
    if rate is None:
        return "—"
    locale = Locale.parse(ui_locale())
    pattern = locale.percent_formats[None].pattern.replace("#,##0", "#,##0.0", 1)
    return format_percent(rate, pattern, locale=locale)


def _shown(row) -> dict:
    """A product or total row with the words the page prints beside its numbers."""
    return {"row": row, "percent": percent_text(row.recovery_rate),
            "dispositions": [(DISPOSITION_LABELS[code], n) for code, n in row.dispositions.items() if n]}


def period_report(request, form, *, template: str, compute, context, csv=None, name: str = ""):
    """A report over the form's period: its page, or with ``csv`` its CSV download, for a
    valid period; the page with the form's errors beside their fields (422) otherwise."""
    if not form.is_valid():
        return render(request, template, {"form": form}, status=422)
    since, until = form.cleaned_data["since"], form.cleaned_data["until"]
    found = compute(store=request.store, since=since, until=until)
    if csv is not None:
        return csv_download(request, csv(found), name=name, since=since, until=until)
    return render(request, template, {"form": form, "since": since, "until": until, **context(found)})


def _report(request, *, csv: bool = False):
    return period_report(
        request, PeriodForm(request.GET, store=request.store), template="backoffice/returns/costs.html",
        compute=return_cost.return_costs, context=_context, csv=costs_csv_text if csv else None,
        name="return-costs")


def _context(found: list) -> dict:
    return {"costs": [_shown(cost) for cost in found],
            "totals": [_shown(total) for total in return_cost.return_cost_totals(found)]}


@require_GET
@store_required(roles=READING)
def costs(request):
    return _report(request)


@require_GET
@store_required(roles=READING)
def costs_csv(request):
    """The page's table as CSV: one row per product and currency, then a total per currency."""
    return _report(request, csv=True)


def csv_download(request, text: str, *, name: str, since, until) -> HttpResponse:
    """A report's CSV as a download named after the store and its period."""
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    filename = f"{name}-{request.store.slug}-{since.isoformat()}-{until.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _major(amount_minor: int, currency: str) -> str:
    return format(Money(amount_minor, currency).as_decimal(), "f")


def csv_cell(value: str) -> str:
    """Text from outside (SKUs, titles) kept from being read as a formula by a spreadsheet."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _figures(row) -> list:
    rate = row.recovery_rate
    return [row.currency, row.units, *(row.dispositions[code] for code in return_cost.DISPOSITIONS),
            _major(row.value_minor, row.currency), _major(row.recovered_minor, row.currency),
            _major(row.loss_minor, row.currency), "" if rate is None else format(rate, "f")]


def costs_csv_text(found: list[return_cost.ProductCost]) -> str:
    """Amounts in major units with the currency's decimals (a decimal shift, no floats)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for cost in found:
        writer.writerow(["product", csv_cell(cost.sku), csv_cell(cost.title), *_figures(cost)])
    for total in return_cost.return_cost_totals(found):
        writer.writerow(["total", "", "", *_figures(total)])
    return out.getvalue()
