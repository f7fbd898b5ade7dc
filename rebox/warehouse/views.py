"""Warehouse screens for a barcode scanner (a keyboard that types and presses Enter).

Thin: each view reads a form and calls one service of `rebox.returns.receiving` or
`rebox.returns.inspection`. The warehouse team and owners act; agents may look.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rebox.backoffice.tenancy import store_required
from rebox.core.actors import Actor
from rebox.core.errors import Conflict, NotFound, ValidationFailed
from rebox.core.models import Role
from rebox.core.money import minor_units
from rebox.inventory.models import Location
from rebox.returns.inspection import checklist_for, unit_dispose, unit_get, unit_inspect
from rebox.returns.models import Return
from rebox.returns.receiving import (
    RECEIVABLE,
    SCANNABLE,
    receiving_complete,
    receiving_exceptions,
    receiving_lines,
    receiving_mark_lost,
    receiving_scan,
    return_for_receiving,
)
from rebox.returns.states import ReturnStatus
from rebox.warehouse.forms import DispositionForm, FindForm, InspectionForm, ScanForm, WhyForm, errors_onto

VIEWERS = {Role.OWNER, Role.WAREHOUSE, Role.AGENT}
HANDS = {Role.OWNER, Role.WAREHOUSE}


def _can_act(request) -> bool:
    return request.membership.role in HANDS


def _not_found(request):
    return render(request, "backoffice/not_found.html", status=404)


@store_required(roles=VIEWERS)
def home(request):
    """The scan box: a label scanned (or a number typed) opens its parcel."""
    form = FindForm(request.GET or None)
    if form.is_bound and form.is_valid():
        try:
            ret = return_for_receiving(store=request.store, code=form.cleaned_data["code"])
        except NotFound:
            form.add_error("code", _("No return with this number in this store."))
        else:
            return redirect("warehouse:parcel", number=ret.number)
    expected = (Return.objects.filter(store=request.store, status__in=RECEIVABLE)
                .order_by("-status_changed_at")[:20])
    waiting = (Return.objects.filter(store=request.store, status=ReturnStatus.RECEIVED)
               .order_by("status_changed_at")[:20])
    return render(request, "warehouse/home.html", {"form": form, "expected": expected, "waiting": waiting})


def _parcel_page(request, ret: Return, *, scan_form=None, why_form=None, status=200):
    ret = Return.objects.get(pk=ret.pk)
    lines = receiving_lines(ret=ret)
    return render(request, "warehouse/parcel.html", {
        "ret": ret, "lines": lines, "exceptions": receiving_exceptions(ret=ret),
        "receivable": ret.status in RECEIVABLE, "scannable": ret.status in SCANNABLE,
        "can_act": _can_act(request),
        "scan_form": scan_form or ScanForm(), "why_form": why_form or WhyForm(),
        "units_total": sum(len(line.units.all()) for line in lines),
    }, status=status)


@store_required(roles=VIEWERS)
def parcel(request, number: str):
    try:
        ret = return_for_receiving(store=request.store, code=number)
    except NotFound:
        return _not_found(request)
    return _parcel_page(request, ret)


def _parcel_action(request, number: str, action):
    """Run one receiving service for a POST; messages for the outcome, errors beside fields."""
    try:
        ret = return_for_receiving(store=request.store, code=number)
    except NotFound:
        return _not_found(request)
    try:
        page = action(ret)
    except Conflict as error:
        messages.error(request, error.detail)
    else:
        if page is not None:
            return page
    return redirect("warehouse:parcel", number=ret.number)


@require_POST
@store_required(roles=HANDS)
def scan(request, number: str):
    form = ScanForm(request.POST)

    def action(ret):
        if not form.is_valid():
            return _parcel_page(request, ret, scan_form=form, status=422)
        try:
            outcome = receiving_scan(store=request.store, ret=ret, barcode=form.cleaned_data["barcode"],
                                     actor=Actor.staff(request.user))
        except ValidationFailed as error:
            errors_onto(form, error)
            return _parcel_page(request, ret, scan_form=form, status=422)
        text = {"counted": _("Counted: %(what)s"), "wrong_item": _("Wrong item recorded: %(what)s"),
                "unexpected": _("Unexpected item recorded: %(what)s")}[outcome.kind]
        level = messages.success if outcome.kind == "counted" else messages.warning
        level(request, text % {"what": outcome.message})
        return None

    return _parcel_action(request, number, action)


@require_POST
@store_required(roles=HANDS)
def complete(request, number: str):
    form = WhyForm(request.POST)

    def action(ret):
        why = form.cleaned_data["why"] if form.is_valid() else ""
        receiving_complete(store=request.store, ret=ret, actor=Actor.staff(request.user), why=why)
        messages.success(request, _("Receiving completed. The parcel is held for inspection; "
                                    "nothing has been refunded."))

    return _parcel_action(request, number, action)


@require_POST
@store_required(roles=HANDS)
def lost(request, number: str):
    form = WhyForm(request.POST)

    def action(ret):
        why = form.cleaned_data["why"] if form.is_valid() else ""
        receiving_mark_lost(store=request.store, ret=ret, actor=Actor.staff(request.user), why=why)
        messages.warning(request, _("Recorded as lost in transit."))

    return _parcel_action(request, number, action)


def _unit_context(request, ret, unit):
    return {"ret": ret, "unit": unit, "line": unit.line, "can_act": _can_act(request),
            "inspectable": ret.status == ReturnStatus.RECEIVED}


@store_required(roles=VIEWERS)
def unit_page(request, number: str, unit_id: int):
    """Inspect one unit (checklist, grade, decision), then decide where it goes."""
    try:
        ret = return_for_receiving(store=request.store, code=number)
        unit = unit_get(store=request.store, ret=ret, unit_id=unit_id)
    except NotFound:
        return _not_found(request)
    checklist = checklist_for(store=request.store, line=unit.line)
    language = (get_language() or "en").split("-")[0]
    locations = Location.objects.filter(store=request.store).order_by("-is_default", "name")
    initial = {"grade": unit.grade, "acceptance": unit.acceptance if unit.inspected_at else None,
               "rejection_reason": unit.rejection_reason, "notes": unit.notes,
               "serial_number": unit.serial_number,
               "deduction_percent": unit.deduction_percent or None,
               **{f"check_{code}": passed for code, passed in unit.checklist.items()}}
    inspection = InspectionForm(initial=initial, checklist=checklist, language=language)
    disposition = DispositionForm(locations=locations)
    status = 200
    if request.method == "POST":
        if not _can_act(request):
            return render(request, "backoffice/forbidden.html", status=403)
        actor = Actor.staff(request.user)
        if request.POST.get("step") == "dispose":
            disposition = DispositionForm(request.POST, locations=locations)
            arguments = disposition.service_arguments(minor_units(ret.currency)) \
                if disposition.is_valid() else None
            if arguments is not None:
                try:
                    unit_dispose(store=request.store, unit=unit, actor=actor, **arguments)
                except ValidationFailed as error:
                    errors_onto(disposition, error)
                except Conflict as error:
                    messages.error(request, error.detail)
                    return redirect(request.path)
                else:
                    messages.success(request, _("Disposition recorded."))
                    return redirect("warehouse:parcel", number=ret.number)
        else:
            inspection = InspectionForm(request.POST, checklist=checklist, language=language)
            if inspection.is_valid():
                try:
                    unit_inspect(store=request.store, unit=unit, actor=actor,
                                 **inspection.service_arguments())
                except ValidationFailed as error:
                    errors_onto(inspection, error)
                except Conflict as error:
                    messages.error(request, error.detail)
                    return redirect(request.path)
                else:
                    messages.success(request, _("Inspection saved."))
                    return redirect(reverse("warehouse:unit", args=[ret.number, unit.pk]))
        status = 422
    ret = Return.objects.get(pk=ret.pk)
    return render(request, "warehouse/unit.html", {
        **_unit_context(request, ret, unit), "inspection": inspection, "disposition": disposition,
    }, status=status)
