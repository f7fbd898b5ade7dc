"""Operations of /api/v1 for shipping (paths are written whole: the router is mounted at /)."""

from django.http import HttpRequest, JsonResponse
from ninja import Header, Router, Schema

from rebox.api.common import ERRORS, actor_for
from rebox.core.errors import Conflict
from rebox.core.idempotency import run_idempotent
from rebox.returns.selectors import return_get
from rebox.shipping.labels import label_retry
from rebox.shipping.models import LabelStatus, Parcel
from rebox.shipping.selectors import parcel_get, parcels_of_return
from rebox.shipping.tracking import parcel_event_record, parcel_update_from
from rebox.shipping.views import label_response

router = Router(tags=["shipping"])


class ParcelLineOut(Schema):
    return_line_id: int
    sku: str
    quantity: int


class ParcelOut(Schema):
    id: int
    destination_kind: str
    destination_name: str
    destination_address: dict
    method: str
    label_status: str
    label_document: str
    label_attempts: int
    label_error: str
    carrier: str
    service: str
    tracking_number: str
    tracking_url: str
    status: str
    supplier: str | None
    supplier_decision: str
    supplier_credit_minor: int | None
    supplier_credit_currency: str
    lines: list[ParcelLineOut]


class ParcelList(Schema):
    items: list[ParcelOut]


class ScanIn(Schema):
    id: str
    status: str
    occurred_at: str
    location: str = ""
    description: str = ""


class ScanOut(Schema):
    recorded: bool
    parcel: ParcelOut


def parcel_detail(parcel: Parcel) -> dict:
    label = getattr(parcel, "label", None)
    return {
        "id": parcel.pk,
        "destination_kind": parcel.destination_kind,
        "destination_name": parcel.destination_name,
        "destination_address": parcel.destination_address,
        "method": parcel.method,
        "label_status": label.status if label else LabelStatus.PENDING,
        "label_document": label.document if label else "",
        "label_attempts": label.attempts if label else 0,
        "label_error": label.last_error if label else "",
        "carrier": parcel.carrier,
        "service": parcel.service,
        "tracking_number": parcel.tracking_number,
        "tracking_url": parcel.tracking_url,
        "status": parcel.status,
        "supplier": parcel.supplier.code if parcel.supplier_id else None,
        "supplier_decision": parcel.supplier_decision,
        "supplier_credit_minor": parcel.supplier_credit_minor,
        "supplier_credit_currency": parcel.supplier_credit_currency,
        "lines": [
            {"return_line_id": pl.line_id, "sku": pl.line.order_line.sku, "quantity": pl.quantity}
            for pl in parcel.lines.all()
        ],
    }


@router.get(
    "/returns/{number}/parcels",
    response={200: ParcelList, **ERRORS},
    summary="The parcels of a return: destinations, labels, tracking",
)
def list_parcels(request: HttpRequest, number: str):
    ret = return_get(store=request.store, number=number)
    return JsonResponse({"items": [parcel_detail(p) for p in parcels_of_return(ret=ret)]})


@router.get(
    "/returns/{number}/parcels/{parcel_id}/label",
    response={200: None, **ERRORS},
    summary="The parcel's label (or drop-off QR code) as PDF",
)
def get_label(request: HttpRequest, number: str, parcel_id: int):
    parcel = parcel_get(ret=return_get(store=request.store, number=number), parcel_id=parcel_id)
    label = getattr(parcel, "label", None)
    if label is None or label.status != LabelStatus.READY:
        raise Conflict(f"The label of parcel {parcel_id} is {label.status if label else 'not planned'}")
    return label_response(parcel)


@router.post(
    "/returns/{number}/parcels/{parcel_id}/retry-label",
    response={200: ParcelOut, **ERRORS},
    summary="Buy a failed label again",
)
def retry_label(
    request: HttpRequest,
    number: str,
    parcel_id: int,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    def operation():
        ret = return_get(store=request.store, number=number)
        label_retry(parcel=parcel_get(ret=ret, parcel_id=parcel_id), actor=actor_for(request))
        return 200, parcel_detail(parcel_get(ret=ret, parcel_id=parcel_id))

    status, body = run_idempotent(
        store=request.store,
        key=idempotency_key,
        scope=f"parcels.{parcel_id}.retry",
        body={},
        operation=operation,
    )
    return JsonResponse(body, status=status)


@router.post(
    "/returns/{number}/parcels/{parcel_id}/events",
    response={200: ScanOut, **ERRORS},
    summary="Record a tracking event or a staff scan of a return parcel",
)
def record_event(
    request: HttpRequest,
    number: str,
    parcel_id: int,
    payload: ScanIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    """The event id makes a repeat harmless; the first movement puts the return in transit."""

    def operation():
        ret = return_get(store=request.store, number=number)
        parcel = parcel_get(ret=ret, parcel_id=parcel_id)
        recorded = parcel_event_record(
            parcel=parcel, update=parcel_update_from(payload.dict()), actor=actor_for(request)
        )
        return 200, {"recorded": recorded, "parcel": parcel_detail(parcel_get(ret=ret, parcel_id=parcel_id))}

    status, body = run_idempotent(
        store=request.store,
        key=idempotency_key,
        scope=f"parcels.{parcel_id}.events",
        body=payload.dict(),
        operation=operation,
    )
    return JsonResponse(body, status=status)
