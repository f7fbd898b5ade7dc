"""The returns queue and a return's page: thin views over rebox.returns.review and services.

Everyone with a membership sees the queue; owners and agents act. A move someone else
made first is a 409 page naming the return's current status; nothing is half-written.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rebox.backoffice.returns import labels
from rebox.backoffice.returns.detail import page_context, reason_labels
from rebox.backoffice.returns.forms import DeclineForm, QueueFilterForm, RequestInfoForm
from rebox.backoffice.tenancy import store_required
from rebox.core.actors import Actor
from rebox.core.errors import Conflict, NotFound, ValidationFailed
from rebox.core.models import Role
from rebox.returns.models import Return
from rebox.returns.review import queue_counts, return_request_info, returns_bulk_approve, returns_for_queue
from rebox.returns.selectors import return_get
from rebox.returns.services import return_approve, return_decline

PAGE_SIZE = 50
ACTING = frozenset({Role.OWNER, Role.AGENT})


def can_act(request) -> bool:
    return request.membership.role in ACTING


@require_GET
@store_required
def queue(request):
    reasons = reason_labels(request.store)
    form = QueueFilterForm(request.GET, reasons=list(reasons.items()), currency=request.store.currency)
    filters = form.queue_filters()
    page = Paginator(returns_for_queue(store=request.store, filters=filters), PAGE_SIZE) \
        .get_page(request.GET.get("page"))
    for ret in page:
        ret.status_label = labels.label(labels.RETURN_STATUS, ret.status)
        ret.channel_label = labels.label(labels.CHANNEL, ret.channel)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "backoffice/returns/queue.html", {
        "form": form, "page": page, "returns": list(page), "query": query.urlencode(),
        "filtered": any(v for k, v in request.GET.items() if k != "page"),
        "counts": queue_counts(store=request.store), "can_act": can_act(request),
    })


def _page(request, ret: Return, *, status: int = 200, conflict: str = "", decline=None, info=None):
    context = page_context(ret)
    context.update({"can_act": can_act(request), "conflict": conflict,
                    "decline_form": decline or DeclineForm(), "info_form": info or RequestInfoForm()})
    return render(request, "backoffice/returns/detail.html", context, status=status)


def _conflict(request, number: str):
    """The page again, with the return as it is now and why the action did not happen."""
    ret = return_get(store=request.store, number=number)
    message = _("Someone else has already acted on this return: it is now %(status)s. "
                "Nothing was changed.") % {"status": labels.label(labels.RETURN_STATUS, ret.status)}
    return _page(request, ret, status=409, conflict=message)


def _not_found(request):
    return render(request, "backoffice/not_found.html", status=404)


@require_GET
@store_required
def detail(request, number: str):
    try:
        ret = return_get(store=request.store, number=number)
    except NotFound:
        return _not_found(request)
    return _page(request, ret)


@require_GET
@store_required
def evidence_file(request, number: str, evidence_id: int):
    """One photo or video of one of this store's returns, shown inline; never run as a page."""
    from rebox.returns.evidence import evidence_filename, evidence_get, evidence_read

    try:
        evidence = evidence_get(ret=return_get(store=request.store, number=number), evidence_id=evidence_id)
    except NotFound:
        return _not_found(request)
    response = HttpResponse(evidence_read(evidence), content_type=evidence.content_type)
    response["Content-Disposition"] = f'inline; filename="{evidence_filename(evidence)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_POST
@store_required(roles=ACTING)
def approve(request, number: str):
    try:
        ret = return_approve(ret=return_get(store=request.store, number=number),
                             actor=Actor.staff(request.user))
    except NotFound:
        return _not_found(request)
    except Conflict:
        return _conflict(request, number)
    messages.success(request, _("Return %(number)s approved.") % {"number": ret.number})
    return redirect("backoffice:return", number=ret.number)


@require_POST
@store_required(roles=ACTING)
def decline(request, number: str):
    try:
        ret = return_get(store=request.store, number=number)
    except NotFound:
        return _not_found(request)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return _page(request, ret, status=422, decline=form)
    try:
        return_decline(ret=ret, actor=Actor.staff(request.user), reason=form.cleaned_data["reason"].strip())
    except Conflict:
        return _conflict(request, number)
    messages.success(request, _("Return %(number)s declined.") % {"number": ret.number})
    return redirect("backoffice:return", number=ret.number)


@require_POST
@store_required(roles=ACTING)
def request_info(request, number: str):
    try:
        ret = return_get(store=request.store, number=number)
    except NotFound:
        return _not_found(request)
    form = RequestInfoForm(request.POST)
    if form.is_valid():
        try:
            return_request_info(ret=ret, question=form.cleaned_data["question"],
                                actor=Actor.staff(request.user))
        except Conflict:
            return _conflict(request, number)
        except ValidationFailed:
            form.add_error("question", _("Write what the customer should add."))
        else:
            messages.success(request, _("The customer is asked for more information."))
            return redirect("backoffice:return", number=ret.number)
    return _page(request, ret, status=422, info=form)


@require_POST
@store_required(roles=ACTING)
def bulk_approve(request):
    numbers = request.POST.getlist("numbers")
    try:
        result = returns_bulk_approve(store=request.store, numbers=numbers, actor=Actor.staff(request.user))
    except ValidationFailed:
        messages.error(request, _("Select at least one return to approve (at most 200)."))
        return redirect("backoffice:returns")
    refused = [{"number": row.number, "found": row.status is not None,
                "status": labels.label(labels.RETURN_STATUS, row.status or "")}
               for row in result.not_approved]
    return render(request, "backoffice/returns/bulk_result.html",
                  {"approved": result.approved, "refused": refused})
