"""/api/v1 for the money side of returns: refunds (list, one, retry, paid another way), a
return's refund plan and resolving it, an order's money view, goodwill, confirming an
exchange's price difference, and store credit given by staff. Thin: each operation calls
one service or selector of ``rebox.refunds``; the rows read here are always the caller's
store's (another store's number is a 404)."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Literal

from django.http import HttpRequest, JsonResponse
from ninja import Field, Header, Query, Router, Schema

from rebox.api.common import ERRORS, actor_for
from rebox.catalog.models import Variant
from rebox.core.errors import FieldError, NotFound, ValidationFailed
from rebox.core.idempotency import run_idempotent
from rebox.core.ids import normalize_code
from rebox.core.pagination import page_by_cursor
from rebox.orders.models import Customer, Payment
from rebox.orders.selectors import order_get
from rebox.refunds import goodwill
from rebox.refunds.credit import credit_account_for, credit_adjust, credit_balance, credit_issue
from rebox.refunds.models import CreditAccount, Exchange, Goodwill, Refund
from rebox.refunds.payment_links import exchange_payment_confirm
from rebox.refunds.resolution import return_refund_plan, return_resolve
from rebox.refunds.selectors import order_money
from rebox.refunds.services import refund_record_manual, refund_retry
from rebox.returns.selectors import return_get
from rebox.returns.serializers import return_detail

router = Router(tags=["refunds and resolutions"])
IdempotencyKey = Header(None, alias="Idempotency-Key")


# --- shapes on the wire --------------------------------------------------------------------

class RefundLineOut(Schema):
    order_line_id: int
    sku: str
    amount_minor: int


class RefundOut(Schema):
    number: str
    order: str
    ret: str | None = Field(None, alias="return")
    amount_minor: int
    currency: str
    status: str
    gateway: str
    payment_method: str
    reference: str
    attempts: int
    last_error: str
    reason: str
    created_by: str
    created_at: str
    succeeded_at: str | None
    lines: list[RefundLineOut]


class RefundPage(Schema):
    items: list[RefundOut]
    next_cursor: str | None


class ManualIn(Schema):
    reference: str


class GoodwillIn(Schema):
    kind: Literal["discount_code", "full_refund", "free_replacement"]
    why: str
    amount_minor: int = 0  # discount_code: a fixed value ...
    percent: int = 0  # ... or a percentage
    valid_days: int = 90
    sku: str | None = None  # free_replacement: what to send (default: the returned item)
    quantity: int = 1


class PaymentConfirmIn(Schema):
    reference: str
    amount_minor: int


class CreditIn(Schema):
    email: str
    amount_minor: int  # goodwill: positive; adjustment: signed
    why: str
    kind: Literal["goodwill", "adjustment"] = "goodwill"
    currency: str | None = None  # default: the store's


def refund_detail(refund: Refund) -> dict:
    skus = {line.pk: line.sku for line in refund.order.lines.all()}
    return {
        "number": refund.number, "order": refund.order.number,
        "return": refund.ret.number if refund.ret_id else None,
        "amount_minor": refund.amount_minor, "currency": refund.currency, "status": refund.status,
        "gateway": refund.gateway, "payment_method": refund.payment.method,
        "reference": refund.gateway_reference, "attempts": refund.attempts, "last_error": refund.last_error,
        "reason": refund.reason, "created_by": refund.created_by, "created_at": refund.created_at.isoformat(),
        "succeeded_at": refund.succeeded_at.isoformat() if refund.succeeded_at else None,
        "lines": [{"order_line_id": line.order_line_id, "sku": skus.get(line.order_line_id, ""),
                   "amount_minor": line.amount_minor} for line in refund.lines.all()],
    }


def _refunds(store):
    return (Refund.objects.filter(store=store).select_related("order", "ret", "payment")
            .prefetch_related("lines", "order__lines"))


def _refund(store, number: str) -> Refund:
    refund = _refunds(store).filter(number=normalize_code(number)).first()
    if refund is None:
        raise NotFound(f"No refund {number}")
    return refund


def _idempotent(request, key, scope, body, operation):
    status, response = run_idempotent(store=request.store, key=key, scope=scope, body=body,
                                      operation=operation)
    return JsonResponse(response, status=status)


# --- refunds -------------------------------------------------------------------------------

@router.get("/refunds", response={200: RefundPage, **ERRORS}, summary="List refunds, newest first")
def list_refunds(request: HttpRequest, status: str | None = None, order: str | None = None,
                 ret: str | None = Query(None, alias="return"), cursor: str | None = None, limit: int = 50):
    qs = _refunds(request.store)
    if status:
        qs = qs.filter(status=status)
    if order:
        qs = qs.filter(order__number=order)
    if ret:
        qs = qs.filter(ret__number=normalize_code(ret))
    items, next_cursor = page_by_cursor(qs, field="created_at", cursor=cursor, limit=max(1, min(limit, 200)))
    return JsonResponse({"items": [refund_detail(r) for r in items], "next_cursor": next_cursor})


@router.get("/refunds/{number}", response={200: RefundOut, **ERRORS}, summary="One refund")
def get_refund(request: HttpRequest, number: str):
    return JsonResponse(refund_detail(_refund(request.store, number)))


@router.post("/refunds/{number}/retry", response={200: RefundOut, **ERRORS},
             summary="Try a failed refund again (409 unless it failed)")
def retry_refund(request: HttpRequest, number: str, idempotency_key: str | None = IdempotencyKey):
    def operation():
        refund_retry(refund=_refund(request.store, number), actor=actor_for(request))
        return 200, refund_detail(_refund(request.store, number))

    return _idempotent(request, idempotency_key, f"refunds.{number}.retry", {}, operation)


@router.post("/refunds/{number}/manual", response={200: RefundOut, **ERRORS},
             summary="Record that a failed refund was paid back another way")
def record_manual_refund(request: HttpRequest, number: str, payload: ManualIn,
                         idempotency_key: str | None = IdempotencyKey):
    def operation():
        refund_record_manual(refund=_refund(request.store, number), reference=payload.reference,
                             actor=actor_for(request))
        return 200, refund_detail(_refund(request.store, number))

    return _idempotent(request, idempotency_key, f"refunds.{number}.manual", payload.dict(), operation)


# --- a return's money ----------------------------------------------------------------------

def plan_detail(ret) -> dict:
    """The plan of ``return_refund_plan`` with the SKUs and payment methods named."""
    plan = return_refund_plan(ret)
    skus = {line.pk: line.sku for line in ret.order.lines.all()}
    methods = dict(Payment.objects.filter(order_id=ret.order_id).values_list("pk", "method"))

    def tenders(pairs):
        return [{"payment_id": pid, "method": methods.get(pid, ""), "amount_minor": amount}
                for pid, amount in pairs]

    return {"return": ret.number, "resolution": ret.resolution, "status": ret.status,
            "currency": ret.order.currency,
            "lines": [{"order_line_id": line.line_id, "sku": skus.get(line.line_id, ""),
                       "quantity": line.quantity, "value_minor": line.value_minor,
                       "deduction_minor": line.deduction_minor, "fees_minor": line.fees_minor,
                       "refund_minor": line.refund_minor, "tenders": tenders(line.tenders)}
                      for line in plan.lines],
            "delivery_minor": plan.delivery_minor, "total_minor": plan.total_minor,
            "tenders": tenders(plan.tenders), "capped_by_captured": plan.capped_by_captured}


@router.get("/returns/{number}/refund-plan", response={200: dict, **ERRORS},
            summary="What the return pays back: per line (value, deduction, fees, refund), delivery, total")
def get_refund_plan(request: HttpRequest, number: str):
    return JsonResponse(plan_detail(return_get(store=request.store, number=number)))


@router.post("/returns/{number}/resolve", response={200: dict, **ERRORS},
             summary="Pay an inspected return back as its resolution says, and resolve it")
def resolve_return(request: HttpRequest, number: str, idempotency_key: str | None = IdempotencyKey):
    def operation():
        # one transaction (run_idempotent): a return that cannot resolve pays nothing
        return_resolve(ret=return_get(store=request.store, number=number), actor=actor_for(request))
        ret = return_get(store=request.store, number=number)
        refunds = [refund_detail(r) for r in _refunds(request.store).filter(ret=ret).order_by("pk")]
        return 200, {**return_detail(ret), "refunds": refunds}

    return _idempotent(request, idempotency_key, f"returns.{number}.resolve", {}, operation)


@router.get("/orders/{number}/money", response={200: dict, **ERRORS},
            summary="Paid, refunded, credited, kept: where the order's money went, and whether it adds up")
def get_order_money(request: HttpRequest, number: str):
    view = order_money(order_get(store=request.store, number=number))
    return JsonResponse({"order": number, **dataclasses.asdict(view), "reconciles": view.reconciles})


# --- goodwill, exchanges, credit -----------------------------------------------------------

def goodwill_detail(grant: Goodwill) -> dict:
    return {"kind": grant.kind, "order": grant.order.number,
            "return": grant.ret.number if grant.ret_id else None, "code": grant.code,
            "amount_minor": grant.amount_minor, "percent": grant.percent, "currency": grant.currency,
            "expires_at": grant.expires_at.isoformat() if grant.expires_at else None,
            "replacement": grant.replacement.number if grant.replacement_id else None,
            "granted_by": grant.granted_by, "why": grant.why, "created_at": grant.created_at.isoformat()}


def _replacement_variant(ret, sku: str | None) -> Variant:
    if sku:
        variant = Variant.objects.filter(store_id=ret.store_id, sku=sku).first()
        if variant is None:
            raise ValidationFailed(errors=[FieldError("sku", "no product of this store has this SKU")])
        return variant
    variants = {line.order_line.variant_id for line in ret.lines.all()}
    if len(variants) != 1 or None in variants:
        raise ValidationFailed(errors=[FieldError("sku", "say which item to send")])
    return Variant.objects.get(pk=variants.pop())


def _grant(ret, payload: GoodwillIn, actor) -> Goodwill:
    if payload.kind == "discount_code":
        return goodwill.goodwill_discount_grant(
            order=ret.order, ret=ret, actor=actor, why=payload.why, amount_minor=payload.amount_minor,
            percent=payload.percent, valid_days=payload.valid_days)
    if payload.kind == "full_refund":
        return goodwill.goodwill_full_refund(ret=ret, actor=actor, why=payload.why)
    return goodwill.goodwill_free_replacement(
        order=ret.order, ret=ret, variant=_replacement_variant(ret, payload.sku), quantity=payload.quantity,
        actor=actor, why=payload.why)


@router.post("/returns/{number}/goodwill", response={201: dict, **ERRORS},
             summary="Give something beyond what is owed: a discount code, a full refund, a free replacement")
def grant_goodwill(request: HttpRequest, number: str, payload: GoodwillIn,
                   idempotency_key: str | None = IdempotencyKey):
    def operation():
        grant = _grant(return_get(store=request.store, number=number), payload, actor_for(request))
        return 201, goodwill_detail(grant)

    return _idempotent(request, idempotency_key, f"returns.{number}.goodwill", payload.dict(), operation)


@router.post("/returns/{number}/exchange/confirm-payment", response={200: dict, **ERRORS},
             summary="An agent confirms the customer paid the exchange's price difference")
def confirm_exchange_payment(request: HttpRequest, number: str, payload: PaymentConfirmIn,
                             idempotency_key: str | None = IdempotencyKey):
    def operation():
        ret = return_get(store=request.store, number=number)
        exchange = Exchange.objects.filter(store=request.store, ret=ret).first()
        if exchange is None:
            raise NotFound(f"Return {ret.number} has no exchange")
        exchange = exchange_payment_confirm(exchange=exchange, reference=payload.reference,
                                            amount_minor=payload.amount_minor, actor=actor_for(request))
        return 200, {"return": ret.number, "status": exchange.status, "currency": exchange.currency,
                     "difference_minor": exchange.difference_minor,
                     "paid_reference": exchange.difference_paid_reference,
                     "order": exchange.order.number if exchange.order_id else None}

    return _idempotent(request, idempotency_key, f"returns.{number}.exchange.confirm", payload.dict(),
                       operation)


def _credit(store, payload: CreditIn, actor, key: str | None) -> CreditAccount:
    customer = Customer.objects.filter(store=store, email__iexact=payload.email.strip()).first()
    if customer is None:
        raise NotFound("No customer with this email address in this store")
    currency = (payload.currency or store.currency).upper()
    if payload.kind == "goodwill":
        if not payload.why.strip():
            raise ValidationFailed(errors=[FieldError("why", "say why this credit is given")])
        return credit_issue(store=store, customer=customer, currency=currency,
                            amount_minor=payload.amount_minor, actor=actor, key=f"api:{key or uuid.uuid4()}",
                            why=payload.why.strip())
    account = CreditAccount.objects.filter(store=store, customer=customer, currency=currency).first()
    if account is None and payload.amount_minor > 0:
        account = credit_account_for(store=store, customer=customer, currency=currency)
    if account is None:
        raise ValidationFailed(errors=[FieldError("amount_minor", f"there is no {currency} credit to take")])
    credit_adjust(account=account, amount_minor=payload.amount_minor, actor=actor, why=payload.why)
    return account


@router.post("/credits", response={201: dict, **ERRORS},
             summary="Give a customer store credit (goodwill) or correct a balance (adjustment), with a why")
def give_credit(request: HttpRequest, payload: CreditIn, idempotency_key: str | None = IdempotencyKey):
    def operation():
        account = _credit(request.store, payload, actor_for(request), idempotency_key)
        return 201, {"code": account.code, "currency": account.currency, "email": account.customer.email,
                     "balance_minor": credit_balance(account)}

    return _idempotent(request, idempotency_key, "credits.give", payload.dict(), operation)
