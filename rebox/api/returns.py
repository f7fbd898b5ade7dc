"""/api/v1/returns: thin; every endpoint calls one service or selector."""

from datetime import date

from django.http import HttpRequest, JsonResponse
from ninja import Header, Query, Router, Schema

from rebox.api.common import ERRORS, actor_for
from rebox.core.errors import FieldError, ValidationFailed
from rebox.core.idempotency import run_idempotent
from rebox.core.ids import normalize_code
from rebox.core.pagination import page_by_cursor
from rebox.orders.selectors import order_get
from rebox.returns import pg_create
from rebox.returns.selectors import return_get, returns_for_store
from rebox.returns.serializers import return_detail
from rebox.returns.services import (
    RequestedLine,
    return_approve,
    return_cancel,
    return_decline,
    return_request_create,
)

router = Router(tags=["returns"])


class ReturnLineIn(Schema):
    order_line_id: int
    quantity: int
    reason: str
    comment: str = ""
    exchange_variant_id: int | None = None  # resolution exchange: the size or colour wanted


class ReturnIn(Schema):
    order: str
    lines: list[ReturnLineIn]
    resolution: str
    method: str
    pickup_date: date | None = None  # courier pickup: a working day in the next two weeks
    gift_code: str | None = None  # asked by a gift recipient: store credit or exchange only


class ReturnLineOut(Schema):
    id: int
    order_line_id: int
    sku: str
    quantity: int
    reason: str
    comment: str
    basis: str
    reception: str
    acceptance: str
    quantity_received: int


class ReturnOut(Schema):
    number: str
    order: str
    status: str
    resolution: str
    method: str
    email: str
    decline_reason: str
    policy_version: int
    created_at: str
    lines: list[ReturnLineOut]


class ReturnPage(Schema):
    items: list[ReturnOut]
    next_cursor: str | None


class WhyIn(Schema):
    why: str = ""


class DeclineIn(Schema):
    reason: str


class ReturnFilters(Schema):
    status: str | None = None
    order: str | None = None
    cursor: str | None = None
    limit: int = 50


def _idempotent(request, key, scope, body, operation):
    status, response = run_idempotent(store=request.store, key=key, scope=scope, body=body,
                                      operation=operation)
    return JsonResponse(response, status=status)


@router.post("", response={201: ReturnOut, **ERRORS}, summary="Request a return for a delivered order")
def create_return(request: HttpRequest, payload: ReturnIn,
                  idempotency_key: str | None = Header(None, alias="Idempotency-Key")):
    """Each line is checked against the order's policy and what is left to return."""
    if pg_create.handles(gift_code=payload.gift_code, lines=payload.lines):
        answer = pg_create.return_create_fast(
            store=request.store, number=payload.order, resolution=payload.resolution,
            method=payload.method, pickup_date=payload.pickup_date, actor=actor_for(request),
            lines=_requested(payload), key=idempotency_key, body=payload.dict)
        if answer is not None:
            return JsonResponse(answer[1], status=answer[0])

    def operation():
        order = order_get(store=request.store, number=payload.order)
        gift = gift_code_matches(order, payload.gift_code)
        ret = return_request_create(
            store=request.store, order=order, resolution=payload.resolution, method=payload.method,
            lines=_requested(payload), actor=actor_for(request), gift=gift, pickup_date=payload.pickup_date)
        return 201, return_detail(return_get(store=request.store, number=ret.number))

    return _idempotent(request, idempotency_key, "returns.create", payload.dict(), operation)


def _requested(payload: ReturnIn) -> list[RequestedLine]:
    return [RequestedLine(order_line_id=line.order_line_id, quantity=line.quantity,
                          reason_code=line.reason, comment=line.comment,
                          exchange_variant_id=line.exchange_variant_id)
            for line in payload.lines]


def gift_code_matches(order, code: str | None) -> bool:
    """No code: not a gift return. A code that is not this order's: a field error."""
    if code is None:
        return False
    if not order.gift_receipt_code or normalize_code(code) != normalize_code(order.gift_receipt_code):
        raise ValidationFailed(errors=[FieldError("gift_code", "not the gift receipt code of this order")])
    return True


@router.get("", response={200: ReturnPage, **ERRORS}, summary="List returns, newest first")
def list_returns(request: HttpRequest, filters: Query[ReturnFilters]):
    qs = returns_for_store(store=request.store, status=filters.status, order_number=filters.order)
    limit = max(1, min(filters.limit, 200))
    items, next_cursor = page_by_cursor(qs, field="created_at", cursor=filters.cursor, limit=limit)
    return JsonResponse({"items": [return_detail(r) for r in items], "next_cursor": next_cursor})


@router.get("/{number}", response={200: ReturnOut, **ERRORS}, summary="One return")
def get_return(request: HttpRequest, number: str):
    return JsonResponse(return_detail(return_get(store=request.store, number=number)))


def _move(request, number, key, scope, body, service):
    def operation():
        service(ret=return_get(store=request.store, number=number), actor=actor_for(request))
        return 200, return_detail(return_get(store=request.store, number=number))

    return _idempotent(request, key, f"returns.{number}.{scope}", body, operation)


@router.post("/{number}/approve", response={200: ReturnOut, **ERRORS}, summary="Approve a return")
def approve_return(request: HttpRequest, number: str, payload: WhyIn | None = None,
                   idempotency_key: str | None = Header(None, alias="Idempotency-Key")):
    why = payload.why if payload else ""
    return _move(request, number, idempotency_key, "approve", {"why": why},
                 lambda *, ret, actor: return_approve(ret=ret, actor=actor, why=why))


@router.post("/{number}/decline", response={200: ReturnOut, **ERRORS},
             summary="Decline a return, with a reason the customer sees")
def decline_return(request: HttpRequest, number: str, payload: DeclineIn,
                   idempotency_key: str | None = Header(None, alias="Idempotency-Key")):
    return _move(request, number, idempotency_key, "decline", payload.dict(),
                 lambda *, ret, actor: return_decline(ret=ret, actor=actor, reason=payload.reason))


@router.post("/{number}/cancel", response={200: ReturnOut, **ERRORS},
             summary="Cancel a return (only while requested or approved)")
def cancel_return(request: HttpRequest, number: str, payload: WhyIn | None = None,
                  idempotency_key: str | None = Header(None, alias="Idempotency-Key")):
    why = payload.why if payload else ""
    return _move(request, number, idempotency_key, "cancel", {"why": why},
                 lambda *, ret, actor: return_cancel(ret=ret, actor=actor, why=why))
