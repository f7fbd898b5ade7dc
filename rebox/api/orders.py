"""/api/v1/orders: thin; every endpoint calls one service or selector."""

from datetime import datetime

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Header, Query, Router, Schema

from rebox.api.common import ERRORS, actor_for
from rebox.api.schemas import OrderIn, OrderOut, OrderPage, ShipmentIn, TrackingEventIn
from rebox.core.errors import NotFound
from rebox.core.idempotency import run_idempotent
from rebox.core.pagination import page_by_cursor
from rebox.orders import detail_sql
from rebox.orders.drafts import AddressDraft, CustomerDraft, LineDraft, OrderDraft, PaymentDraft
from rebox.orders.selectors import order_get, orders_for_store, shipment_get
from rebox.orders.serializers import order_detail, order_summary
from rebox.orders.services import order_create_idempotent
from rebox.orders.shipments import TrackingUpdate, shipment_create, tracking_event_record

router = Router(tags=["orders"])


def draft_from(payload: OrderIn) -> OrderDraft:
    return OrderDraft(
        number=payload.number, currency=payload.currency, language=payload.language,
        customer=CustomerDraft(**payload.customer.dict()),
        shipping_address=AddressDraft(**payload.shipping_address.dict()),
        lines=[LineDraft(**line.dict()) for line in payload.lines],
        payments=[PaymentDraft(**p.dict()) for p in payload.payments],
        shipping_minor=payload.shipping_minor, taxes_included=payload.taxes_included,
        total_minor=payload.total_minor, placed_at=payload.placed_at,
    )


@router.post("", response={201: OrderOut, **ERRORS}, summary="Create an order")
def create_order(request: HttpRequest, payload: OrderIn,
                 idempotency_key: str | None = Header(None, alias="Idempotency-Key")):
    """Checks fields, SKUs, totals and payments, and reserves stock, all or nothing."""
    status, body = order_create_idempotent(
        store=request.store, draft=draft_from(payload), actor=actor_for(request),
        idempotency_key=idempotency_key, body=payload.dict)
    return JsonResponse(body, status=status)


class OrderFilters(Schema):
    status: str | None = None
    email: str | None = None
    placed_from: datetime | None = None
    placed_to: datetime | None = None
    cursor: str | None = None
    limit: int = 50


@router.get("", response={200: OrderPage, **ERRORS}, summary="List orders, newest first")
def list_orders(request: HttpRequest, filters: Query[OrderFilters]):
    qs = orders_for_store(store=request.store, status=filters.status, email=filters.email,
                          placed_from=filters.placed_from, placed_to=filters.placed_to)
    limit = max(1, min(filters.limit, 200))
    items, next_cursor = page_by_cursor(qs, field="placed_at", cursor=filters.cursor, limit=limit)
    return JsonResponse({"items": [order_summary(o) for o in items], "next_cursor": next_cursor})


@router.get("/{number}", response={200: OrderOut, **ERRORS}, summary="One order")
def get_order(request: HttpRequest, number: str):
    if detail_sql.supported():
        document = detail_sql.order_detail_json(store_id=request.store.pk, number=number)
        if document is None:
            raise NotFound(f"No order {number}")
        return HttpResponse(document, content_type="application/json")
    return JsonResponse(order_detail(order_get(store=request.store, number=number)))


@router.post("/{number}/shipments", response={201: OrderOut, **ERRORS},
             summary="Ship some or all of an order")
def create_shipment(request: HttpRequest, number: str, payload: ShipmentIn,
                    idempotency_key: str | None = Header(None, alias="Idempotency-Key")):
    store = request.store

    def operation():
        order = order_get(store=store, number=number)
        shipment_create(order=order, carrier=payload.carrier,
                        tracking_number=payload.tracking_number, service=payload.service,
                        quantities=payload.lines, actor=actor_for(request))
        return 201, order_detail(order_get(store=store, number=number))

    status, body = run_idempotent(store=store, key=idempotency_key,
                                  scope=f"orders.{number}.ship", body=payload.dict(),
                                  operation=operation)
    return JsonResponse(body, status=status)


@router.post("/{number}/shipments/{shipment_id}/events", response={200: OrderOut, **ERRORS},
             summary="Record a tracking event (duplicates by event id are ignored)")
def record_tracking_event(request: HttpRequest, number: str, shipment_id: int,
                          payload: TrackingEventIn):
    shipment = shipment_get(store=request.store, order_number=number, shipment_id=shipment_id)
    tracking_event_record(
        shipment=shipment, actor=actor_for(request),
        update=TrackingUpdate(external_id=payload.id, status=payload.status,
                              occurred_at=payload.occurred_at, location=payload.location,
                              description=payload.description))
    return JsonResponse(order_detail(order_get(store=request.store, number=number)))
