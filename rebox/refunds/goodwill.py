"""Goodwill: what a store gives beyond what it owes, each grant recorded with who gave it
and why (a ``Goodwill`` row and an audit entry in one transaction).

* A discount code for a future purchase (a fixed amount or a percentage, with an expiry).
  The event ``goodwill.granted`` carries it, so the email that closes the return (or a
  letter of its own) includes it; the storefront checks codes through the API.
* A full refund for a repeated problem: what the returned units were paid, beyond what the
  inspection left (deductions, fees), never beyond what the order's payments captured.
* A free replacement: a new order of the same (or another) variant at price zero, marked
  paid with the grant as the reason. (A zero-amount tender cannot exist: a Payment is
  always positive, so the grant itself is the record of who pays for it.)
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from rebox.catalog.models import Variant
from rebox.core.actors import Actor
from rebox.core.audit import audit_record
from rebox.core.errors import Conflict, FieldError, ValidationFailed
from rebox.core.ids import random_code
from rebox.core.outbox import outbox_publish
from rebox.orders.drafts import AddressDraft, CustomerDraft, LineDraft, OrderDraft
from rebox.orders.models import Order, Payment
from rebox.orders.services import order_create, order_transition
from rebox.orders.states import OrderStatus
from rebox.refunds.credit import credit_issue
from rebox.refunds.exchange_money import spread
from rebox.refunds.models import CreditEntry, Goodwill, Refund
from rebox.refunds.services import STANDING, refund_create, refundable_minor
from rebox.returns.models import Return

K = Goodwill.Kind


def _why(why: str) -> str:
    if not why.strip():
        raise ValidationFailed(errors=[FieldError("why", "say why this is given")])
    return why.strip()[:300]


def _record(actor: Actor, **fields) -> Goodwill:
    """Write the grant, its audit entry and its event (in the caller's transaction)."""
    grant = Goodwill.objects.create(granted_by=actor.label, **fields)
    payload = {"kind": grant.kind, "order": grant.order.number, "currency": grant.currency,
               "return": grant.ret.number if grant.ret_id else None, "email": grant.order.email,
               "granted_by": grant.granted_by, "why": grant.why}
    if grant.code:
        payload["code"] = grant.code
        payload["expiry"] = grant.expires_at.isoformat() if grant.expires_at else None
        if grant.percent:
            payload["percent"] = grant.percent
        else:
            payload["value_minor"] = grant.amount_minor
    elif grant.kind == K.FULL_REFUND:
        payload["amount_minor"] = grant.amount_minor
    else:
        payload["replacement"] = grant.replacement.number
    audit_record(store=grant.store_id, actor=actor, action=f"goodwill.{grant.kind}",
                 subject_type="return" if grant.ret_id else "order",
                 subject_id=grant.ret_id or grant.order_id,
                 why=grant.why, details={k: v for k, v in payload.items() if k not in ("email", "why")})
    outbox_publish(store=grant.store_id, topic="goodwill.granted", subject_type="goodwill",
                   subject_id=grant.pk, payload=payload)
    return grant


def goodwill_discount_grant(*, order: Order, actor: Actor, why: str, amount_minor: int = 0, percent: int = 0,
                            valid_days: int = 90, ret: Return | None = None) -> Goodwill:
    """A discount code for the customer's next purchase: a fixed amount or a percentage."""
    errors = []
    if (amount_minor > 0) == (percent > 0):
        errors.append(FieldError("amount_minor", "give either an amount or a percentage, positive"))
    if amount_minor < 0 or percent < 0 or percent > 100:
        errors.append(FieldError("percent", "between 1 and 100"))
    if valid_days < 1:
        errors.append(FieldError("valid_days", "at least one day"))
    if ret is not None and ret.order_id != order.pk:
        errors.append(FieldError("return", "not a return of this order"))
    why = _why(why) if not errors else why
    if errors:
        raise ValidationFailed(errors=errors)
    with transaction.atomic():
        return _record(actor, store_id=order.store_id, kind=K.DISCOUNT_CODE, order=order, ret=ret,
                       code=f"GW{random_code(10)}", amount_minor=amount_minor, percent=percent,
                       currency=order.currency, why=why,
                       expires_at=timezone.now() + timedelta(days=valid_days))


def _given_back(ret: Return) -> int:
    refunded = (Refund.objects.filter(ret=ret, status__in=STANDING)
                .aggregate(n=Sum("amount_minor"))["n"] or 0)
    credited = (CreditEntry.objects.filter(ret=ret, kind=CreditEntry.Kind.ISSUED)
                .aggregate(n=Sum("amount_minor"))["n"] or 0)
    return refunded + credited


def goodwill_full_refund(*, ret: Return, actor: Actor, why: str) -> Goodwill:
    """Pay the return back in full: what its units were paid (``Return.value_minor``) less
    what it was already given back (refunds that stand, credit issued), spread over the
    order's payments in the order they were taken, and never more than they captured."""
    why = _why(why)
    with transaction.atomic():
        locked = Return.objects.select_for_update().select_related("order", "store").get(pk=ret.pk)
        Order.objects.select_for_update().filter(pk=locked.order_id).first()
        payments = list(locked.order.payments.filter(status=Payment.Status.CAPTURED).order_by("pk"))
        room = [(p.pk, refundable_minor(p)) for p in payments]
        top_up = min(locked.value_minor - _given_back(locked), sum(r for _p, r in room))
        if top_up <= 0:
            raise Conflict(f"Return {locked.number} has been paid back in full already")
        for payment_id, part in spread(top_up, room):
            payment = next(p for p in payments if p.pk == payment_id)
            reason = f"goodwill full refund of return {locked.number}: {why}"
            in_store = payment.method in (Payment.Method.STORE_CREDIT, Payment.Method.GIFT_CARD)
            if in_store and not payment.gateway:
                credit_issue(store=locked.store, customer=locked.order.customer, currency=payment.currency,
                             amount_minor=part, actor=actor, ret=locked, why=reason,
                             key=f"goodwill:{locked.number}:{payment.pk}:{_given_back(locked)}")
            else:
                refund_create(order=locked.order, payment=payment, amount_minor=part, actor=actor, ret=locked,
                              reason=reason[:200])
        return _record(actor, store_id=locked.store_id, kind=K.FULL_REFUND, order=locked.order, ret=locked,
                       amount_minor=top_up, currency=locked.order.currency, why=why)


def goodwill_free_replacement(*, order: Order, variant: Variant, quantity: int, actor: Actor, why: str,
                              ret: Return | None = None) -> Goodwill:
    """Send ``quantity`` of ``variant`` again, free: a new order (through fulfilment like
    any other) with the line at price zero, marked paid by this grant."""
    errors = []
    if quantity < 1:
        errors.append(FieldError("quantity", "at least 1"))
    if variant.store_id != order.store_id:
        errors.append(FieldError("variant", "not a product of this store"))
    if ret is not None and ret.order_id != order.pk:
        errors.append(FieldError("return", "not a return of this order"))
    why = _why(why) if not errors else why
    if errors:
        raise ValidationFailed(errors=errors)
    address = {k: v for k, v in order.shipping_address.items() if k in AddressDraft.__dataclass_fields__}
    draft = OrderDraft(currency=order.currency, language=order.language, taxes_included=True,
                       customer=CustomerDraft(email=order.customer.email, name=order.customer.name),
                       shipping_address=AddressDraft(**address),
                       lines=[LineDraft(sku=variant.sku, quantity=quantity, unit_price_minor=0,
                                        title=f"Replacement: {variant.label}")])
    with transaction.atomic():
        replacement = order_create(store=order.store, draft=draft, actor=actor, source=Order.Source.EXCHANGE)
        replacement = order_transition(order=replacement, to=OrderStatus.PAID, actor=actor,
                         why=f"free replacement (goodwill) for order {order.number}: {why}")
        return _record(actor, store_id=order.store_id, kind=K.FREE_REPLACEMENT, order=order, ret=ret,
                       replacement=replacement, currency=order.currency, why=why)
