"""A return taken on a customer's behalf (they phoned or wrote): pick the order by number,
then quantities, reasons, resolution and method. The same service and checks as the
portal and the API; the return's channel says it came through the back office."""

import re

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from rebox.backoffice.returns.detail import reason_labels, ui_language
from rebox.backoffice.returns.forms import BehalfReturnForm, OrderPickForm
from rebox.backoffice.returns.views import ACTING
from rebox.backoffice.tenancy import store_required
from rebox.core.actors import Actor
from rebox.core.errors import NotFound, ValidationFailed
from rebox.orders.selectors import order_get
from rebox.policies.explain import headline
from rebox.policies.selectors import order_eligibility, reason_for
from rebox.returns.models import Channel
from rebox.returns.services import RequestedLine, return_request_create

_LINE_FIELD = re.compile(r"^lines\[(\d+)\](?:\.(\w+))?$")
_LEFT = re.compile(r"between 1 and (\d+)")


def _why_not(store, order, line_id: int, reason_code: str) -> str:
    """The policy's reason, in the UI language, why this line cannot be returned."""
    answers = order_eligibility(store=store, order=order, at=timezone.now(),
                                reason=reason_for(store=store, code=reason_code))
    decision = next((a.decision for a in answers if a.line.pk == line_id), None)
    return headline(decision, ui_language()) if decision else ""


def _show_errors(form: BehalfReturnForm, error: ValidationFailed, chosen, store, order) -> None:
    """Put each of the service's field errors beside the field it is about."""
    for field_error in error.errors:
        match = _LINE_FIELD.match(field_error.field)
        if field_error.field in ("resolution", "method"):
            form.add_error(field_error.field, _("Not offered for the chosen items."))
        elif match and int(match.group(1)) < len(chosen):
            line_id, _quantity, code, _comment = chosen[int(match.group(1))]
            part = match.group(2)
            if part == "reason":
                form.add_error(f"reason_{line_id}", _("This reason is no longer offered."))
            elif part == "quantity":
                left = _LEFT.search(field_error.message)
                form.add_error(f"quantity_{line_id}", _("Between 1 and %(left)s can still be returned.")
                               % {"left": left.group(1) if left else 0})
            else:
                why = _why_not(store, order, line_id, code)
                message = _("This item cannot be returned.")
                form.add_error(f"quantity_{line_id}", f"{message} {why}".strip())
        else:
            form.add_error(None, field_error.message)


@store_required(roles=ACTING)
def return_new(request):
    source = request.POST if request.method == "POST" else request.GET
    pick = OrderPickForm(source if "order" in source else None)
    order = None
    if pick.is_bound and pick.is_valid():
        try:
            order = order_get(store=request.store, number=pick.cleaned_data["order"].strip())
        except NotFound:
            pick.add_error("order", _("No order with this number in this store."))
    if order is None:
        return render(request, "backoffice/returns/new.html", {"pick": pick},
                      status=422 if pick.is_bound else 200)
    reasons = list(reason_labels(request.store).items())
    form = BehalfReturnForm(request.POST if request.method == "POST" else None,
                            order_lines=order.lines.all(), reasons=reasons)
    if request.method == "POST" and form.is_valid():
        chosen = form.chosen_lines()
        try:
            ret = return_request_create(
                store=request.store, order=order, resolution=form.cleaned_data["resolution"],
                method=form.cleaned_data["method"], actor=Actor.staff(request.user),
                channel=Channel.BACKOFFICE,
                lines=[RequestedLine(order_line_id=line_id, quantity=quantity, reason_code=code,
                                     comment=comment) for line_id, quantity, code, comment in chosen])
        except ValidationFailed as error:
            _show_errors(form, error, chosen, request.store, order)
        else:
            messages.success(request, _("Return %(number)s created for order %(order)s.")
                             % {"number": ret.number, "order": order.number})
            return redirect("backoffice:return", number=ret.number)
    status = 422 if form.is_bound else 200
    return render(request, "backoffice/returns/new.html", {"pick": pick, "order": order, "form": form},
                  status=status)
