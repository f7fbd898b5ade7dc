"""Operations of /api/v1 for receiving (paths are written whole: the router is mounted at /).

For scanner devices and warehouse systems: scan into a parcel, record it lost, complete
it, inspect and dispose of each unit. Every POST takes an Idempotency-Key, so a scanner
that resends after a dropped answer does not count a unit twice.

On PostgreSQL the common cases (a unit counted, a whole parcel completed, a unit inspected)
and every answer go through `rebox.returns.receiving_pg` (a few prepared statements); every
other case, and SQLite, through the services of `rebox.returns.receiving` / `.inspection`.
"""

from django.http import HttpRequest, JsonResponse
from ninja import Header, Router, Schema

from rebox.api.common import ERRORS, actor_for
from rebox.core.errors import FieldError, ValidationFailed
from rebox.core.idempotency import run_idempotent
from rebox.returns import receiving_pg
from rebox.returns.inspection import unit_dispose, unit_get, unit_inspect
from rebox.returns.models import Return
from rebox.returns.receiving import (
    receiving_complete,
    receiving_exceptions,
    receiving_lines,
    receiving_mark_lost,
    receiving_scan,
    return_for_receiving,
)

router = Router(tags=["warehouse"])
MAX_SCAN_QUANTITY = 100


class ScanIn(Schema):
    barcode: str
    quantity: int = 1
    complete_when_whole: bool = False


class WhyIn(Schema):
    why: str = ""


class InspectIn(Schema):
    grade: str
    acceptance: str
    checklist: dict[str, bool] = {}
    rejection_reason: str = ""
    deduction_percent: int | None = None
    notes: str = ""
    serial_number: str = ""


class DisposeIn(Schema):
    disposition: str
    value_recovered_minor: int = 0
    location: str | None = None
    why: str = ""


class UnitOut(Schema):
    id: int
    index: int
    grade: str
    acceptance: str
    rejection_reason: str
    deduction_percent: int
    checklist: dict[str, bool]
    notes: str
    serial_number: str
    mismatch: str
    inspected: bool
    disposition: str
    location: str | None
    value_recovered_minor: int


class ReceivingLineOut(Schema):
    id: int
    sku: str
    title: str
    barcode: str
    quantity: int
    quantity_received: int
    reason: str
    reception: str
    acceptance: str
    units: list[UnitOut]


class ExceptionOut(Schema):
    kind: str
    line_id: int | None
    quantity: int
    barcode: str
    note: str
    recorded_by: str
    at: str


class ReceivingOut(Schema):
    number: str
    status: str
    currency: str
    lines: list[ReceivingLineOut]
    exceptions: list[ExceptionOut]
    scan: dict | None = None


def _unit(unit) -> dict:
    return {"id": unit.pk, "index": unit.index, "grade": unit.grade, "acceptance": unit.acceptance,
            "rejection_reason": unit.rejection_reason, "deduction_percent": unit.deduction_percent,
            "checklist": unit.checklist, "notes": unit.notes, "serial_number": unit.serial_number,
            "mismatch": unit.mismatch, "inspected": unit.inspected_at is not None,
            "disposition": unit.disposition, "location": unit.location.code if unit.location else None,
            "value_recovered_minor": unit.value_recovered_minor}


def receiving_detail(ret: Return, scan: dict | None = None) -> dict:
    ret = Return.objects.get(pk=ret.pk)
    lines = receiving_lines(ret=ret)
    return {
        "number": ret.number, "status": ret.status, "currency": ret.currency,
        "lines": [{"id": line.pk, "sku": line.order_line.sku, "title": line.order_line.title,
                   "barcode": line.order_line.variant.barcode if line.order_line.variant else "",
                   "quantity": line.quantity, "quantity_received": line.quantity_received,
                   "reason": line.reason_code, "reception": line.reception,
                   "acceptance": line.acceptance,
                   "units": [_unit(u) for u in line.units.all()]} for line in lines],
        "exceptions": [{"kind": e.kind, "line_id": e.line_id, "quantity": e.quantity, "barcode": e.barcode,
                        "note": e.note, "recorded_by": e.recorded_by, "at": e.created_at.isoformat()}
                       for e in receiving_exceptions(ret=ret)],
        "scan": scan,
    }


def _answer(ret_id: int, scan: dict | None = None) -> dict:
    if receiving_pg.supported():
        return receiving_pg.receiving_read(ret_id, scan)
    return receiving_detail(Return(pk=ret_id), scan)


def _idempotent(request, key, scope, body, operation):
    status, response = run_idempotent(store=request.store, key=key, scope=scope, body=body,
                                      operation=operation)
    return JsonResponse(response, status=status)


@router.get("/returns/{number}/receiving", response={200: ReceivingOut, **ERRORS},
            summary="A parcel as the warehouse sees it: expected lines, units, exceptions")
def get_receiving(request: HttpRequest, number: str):
    return JsonResponse(_answer(return_for_receiving(store=request.store, code=number).pk))


@router.post("/returns/{number}/receive", response={200: ReceivingOut, **ERRORS},
             summary="Scan an item (barcode or SKU) into the parcel, once or `quantity` times")
def receive(request: HttpRequest, number: str, payload: ScanIn,
            idempotency_key: str | None = Header(None, alias="Idempotency-Key")):
    """Each unit counts on its line; one too many, another product or an unknown code is
    recorded as an exception on the return (the answer says which). With
    `complete_when_whole`, the scan that brings in the last announced unit also completes
    receiving (the answer's status is then `received`); a received return still takes scans
    of what does not belong, until it is inspected."""
    def operation():
        if not 1 <= payload.quantity <= MAX_SCAN_QUANTITY:
            raise ValidationFailed(errors=[FieldError("quantity", f"between 1 and {MAX_SCAN_QUANTITY}")])
        actor, fast = actor_for(request), receiving_pg.supported()
        ret, ret_id, outcomes = None, None, []  # outcomes: (kind, message)
        for _ in range(payload.quantity):
            counted = None
            if fast and ret is None:
                counted = receiving_pg.scan_count(
                    store=request.store, code=number, barcode=payload.barcode, actor=actor,
                    complete_when_whole=payload.complete_when_whole)
            if counted is not None:
                ret_id, message = counted
                outcomes.append(("counted", message))
                continue
            ret = ret or return_for_receiving(store=request.store, code=number)
            outcome = receiving_scan(store=request.store, ret=ret, barcode=payload.barcode, actor=actor,
                                     complete_when_whole=payload.complete_when_whole)
            outcomes.append((outcome.kind, outcome.message))
        kinds = [kind for kind, _ in outcomes]
        summary = {"counted": kinds.count("counted"), "wrong_item": kinds.count("wrong_item"),
                   "unexpected": kinds.count("unexpected"), "message": outcomes[-1][1]}
        return 200, _answer(ret.pk if ret is not None else ret_id, summary)

    return _idempotent(request, idempotency_key, f"receiving.{number}.scan", payload.dict(), operation)


@router.post("/returns/{number}/receiving/lost", response={200: ReceivingOut, **ERRORS},
             summary="Nothing arrived: the parcel is lost in transit")
def mark_lost(request: HttpRequest, number: str, payload: WhyIn | None = None,
              idempotency_key: str | None = Header(None, alias="Idempotency-Key")):
    why = payload.why if payload else ""

    def operation():
        ret = return_for_receiving(store=request.store, code=number)
        receiving_mark_lost(store=request.store, ret=ret, actor=actor_for(request), why=why)
        return 200, _answer(ret.pk)

    return _idempotent(request, idempotency_key, f"receiving.{number}.lost", {"why": why}, operation)


@router.post("/returns/{number}/receiving/complete", response={200: ReceivingOut, **ERRORS},
             summary="Close the parcel: missing units become short; the return is received (no refund)")
def complete(request: HttpRequest, number: str, payload: WhyIn | None = None,
             idempotency_key: str | None = Header(None, alias="Idempotency-Key")):
    why = payload.why if payload else ""

    def operation():
        actor = actor_for(request)
        ret_id = receiving_pg.complete_whole(store=request.store, code=number, actor=actor, why=why) \
            if receiving_pg.supported() else None
        if ret_id is None:
            ret = return_for_receiving(store=request.store, code=number)
            receiving_complete(store=request.store, ret=ret, actor=actor, why=why)
            ret_id = ret.pk
        return 200, _answer(ret_id)

    return _idempotent(request, idempotency_key, f"receiving.{number}.complete", {"why": why}, operation)


@router.post("/returns/{number}/units/{unit_id}/inspect", response={200: ReceivingOut, **ERRORS},
             summary="Inspect one received unit: checklist, grade, acceptance")
def inspect(request: HttpRequest, number: str, unit_id: int, payload: InspectIn,
            idempotency_key: str | None = Header(None, alias="Idempotency-Key")):
    def operation():
        actor = actor_for(request)
        ret_id = receiving_pg.inspect_unit(store=request.store, code=number, unit_id=unit_id, actor=actor,
                                           **payload.dict()) if receiving_pg.supported() else None
        if ret_id is None:
            ret = return_for_receiving(store=request.store, code=number)
            unit = unit_get(store=request.store, ret=ret, unit_id=unit_id)
            unit_inspect(store=request.store, unit=unit, actor=actor, **payload.dict())
            ret_id = ret.pk
        return 200, _answer(ret_id)

    return _idempotent(request, idempotency_key, f"receiving.{number}.{unit_id}.inspect", payload.dict(),
                       operation)


@router.post("/returns/{number}/units/{unit_id}/dispose", response={200: ReceivingOut, **ERRORS},
             summary="Decide where an inspected unit goes (once); restock adds it to stock")
def dispose(request: HttpRequest, number: str, unit_id: int, payload: DisposeIn,
            idempotency_key: str | None = Header(None, alias="Idempotency-Key")):
    def operation():
        ret = return_for_receiving(store=request.store, code=number)
        unit = unit_get(store=request.store, ret=ret, unit_id=unit_id)
        unit_dispose(store=request.store, unit=unit, actor=actor_for(request), **payload.dict())
        return 200, _answer(ret.pk)

    return _idempotent(request, idempotency_key, f"receiving.{number}.{unit_id}.dispose", payload.dict(),
                       operation)
