"""The refunds pages: thin views over rebox.refunds (services, reports, deadlines).

Owners, agents and analysts see refunds; owners and agents act on a failed one (retry it,
or record that it was paid back another way). A refund someone else acted on first is a
409 page naming its current status; nothing is half-written.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rebox.backoffice.refunds import labels
from rebox.backoffice.refunds.detail import page_context
from rebox.backoffice.refunds.forms import ManualRefundForm, RefundFilterForm, ReportForm
from rebox.backoffice.refunds.selectors import (
    attention_of,
    gateways_of,
    refund_get,
    refunds_for_list,
    rows_with_deadlines,
)
from rebox.backoffice.tenancy import store_required
from rebox.core.actors import Actor
from rebox.core.errors import Conflict, NotFound, ValidationFailed
from rebox.core.models import Role
from rebox.refunds.deadlines import DeadlineCache
from rebox.refunds.reports import refund_report_csv
from rebox.refunds.services import refund_record_manual, refund_retry

PAGE_SIZE = 50
ACTING = frozenset({Role.OWNER, Role.AGENT})
READING = ACTING | {Role.ANALYST}


def can_act(request) -> bool:
    return request.membership.role in ACTING


def _list(request, *, report=None, status: int = 200):
    gateways = [(code, labels.label(labels.GATEWAY, code)) for code in gateways_of(request.store)]
    form = RefundFilterForm(request.GET, gateways=gateways)
    cache = DeadlineCache(request.store)
    found = refunds_for_list(store=request.store, filters=form.refund_filters(), cache=cache)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = rows_with_deadlines(page, cache)
    for row in rows:
        row.refund.status_label = labels.label(labels.REFUND_STATUS, row.refund.status)
        row.refund.gateway_label = labels.label(labels.GATEWAY, row.refund.gateway)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "backoffice/refunds/list.html", {
        "form": form, "page": page, "rows": rows, "query": query.urlencode(),
        "filtered": any(v for k, v in request.GET.items() if k != "page"),
        "attention": attention_of(store=request.store, cache=cache),
        "report_form": report or ReportForm(initial={"day": cache.today}),
    }, status=status)


@require_GET
@store_required(roles=READING)
def refunds(request):
    return _list(request)


@require_GET
@store_required(roles=READING)
def report(request):
    """The day's refunds report as a CSV download (``rebox.refunds.reports``)."""
    form = ReportForm(request.GET)
    if not form.is_valid():
        return _list(request, report=form, status=422)
    day = form.cleaned_data["day"]
    response = HttpResponse(refund_report_csv(store=request.store, day=day), content_type="text/csv")
    filename = f"refunds-{request.store.slug}-{day.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _page(request, refund, *, status: int = 200, conflict: str = "", manual=None):
    context = page_context(refund)
    context.update({"can_act": can_act(request), "conflict": conflict,
                    "manual_form": manual or ManualRefundForm()})
    return render(request, "backoffice/refunds/detail.html", context, status=status)


def _not_found(request):
    return render(request, "backoffice/not_found.html", status=404)


def _conflict(request, number: str):
    """The page again, with the refund as it is now and why the action did not happen."""
    refund = refund_get(store=request.store, number=number)
    message = _("This refund is %(status)s now: only a failed refund can be retried or recorded as "
                "paid another way. Nothing was changed.") % {
        "status": labels.label(labels.REFUND_STATUS, refund.status)}
    return _page(request, refund, status=409, conflict=message)


@require_GET
@store_required(roles=READING)
def detail(request, number: str):
    try:
        refund = refund_get(store=request.store, number=number)
    except NotFound:
        return _not_found(request)
    return _page(request, refund)


@require_POST
@store_required(roles=ACTING)
def retry(request, number: str):
    try:
        refund = refund_retry(refund=refund_get(store=request.store, number=number),
                              actor=Actor.staff(request.user))
    except NotFound:
        return _not_found(request)
    except Conflict:
        return _conflict(request, number)
    messages.success(request, _("Refund %(number)s is being paid again.") % {"number": refund.number})
    return redirect("backoffice:refund", number=refund.number)


@require_POST
@store_required(roles=ACTING)
def manual(request, number: str):
    try:
        refund = refund_get(store=request.store, number=number)
    except NotFound:
        return _not_found(request)
    form = ManualRefundForm(request.POST)
    if form.is_valid():
        try:
            refund_record_manual(refund=refund, reference=form.cleaned_data["reference"],
                                 actor=Actor.staff(request.user))
        except Conflict:
            return _conflict(request, number)
        except ValidationFailed:
            form.add_error("reference", _("Say how the money was paid back."))
        else:
            messages.success(request, _("Refund %(number)s is recorded as paid another way.")
                             % {"number": refund.number})
            return redirect("backoffice:refund", number=refund.number)
    return _page(request, refund, status=422, manual=form)
