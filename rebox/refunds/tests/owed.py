"""Money a store owes, set up on fixed dates for the deadline, digest and back-office tests:
an order delivered on a known day, a return asked for on a known day, and refunds in
any state (made through ``refund_create``, their state set as a worker would leave it)."""

from __future__ import annotations

from datetime import UTC, datetime
from unittest import mock

from rebox.core.actors import Actor
from rebox.core.ids import random_code
from rebox.orders.drafts import AddressDraft, CustomerDraft, LineDraft, OrderDraft, PaymentDraft
from rebox.orders.models import Order
from rebox.orders.services import order_create
from rebox.refunds.models import Refund
from rebox.refunds.services import refund_create
from rebox.returns.models import Return, ReturnLine
from rebox.testing import make_variant

STOREFRONT = Actor("integration", "Storefront")
PLACED = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
DELIVERED = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
ASKED = datetime(2026, 3, 5, 9, 0, tzinfo=UTC)  # a Thursday; 14 days later: 2026-03-19


def delivered_order(store, number: str, *, lines=(("COAT", 1, 10_000),), gateway: str = "stripe",
                    reference: str = "", delivered: datetime = DELIVERED) -> Order:
    for sku, _q, price in lines:
        if not store.variants.filter(sku=sku).exists():
            make_variant(store, sku, price_minor=price, stock=50, title=f"Coat {sku}")
    total = sum(q * p for _sku, q, p in lines)
    draft = OrderDraft(
        number=number, currency=store.currency, placed_at=PLACED,
        customer=CustomerDraft(email=f"{number.lower()}@example.com", name="Ana Jensen"),
        shipping_address=AddressDraft(name="Ana Jensen", line1="Nørregade 1", city="København",
                                      postal_code="1165", country=store.country),
        lines=[LineDraft(sku=sku, quantity=q, unit_price_minor=p) for sku, q, p in lines],
        payments=[PaymentDraft(method="card", gateway=gateway, reference=reference or f"pi_{number}",
                               amount_minor=total)])
    order = order_create(store=store, draft=draft, actor=STOREFRONT)
    Order.objects.filter(pk=order.pk).update(delivered_at=delivered, status="delivered")
    return Order.objects.get(pk=order.pk)


def asked_return(order: Order, *, reason: str = "changed_mind", status: str = "approved",
                 resolution: str = "refund", asked: datetime = ASKED, quantity: int = 1) -> Return:
    """A return of the order's first line, asked for on ``asked`` (written as it stands)."""
    line = order.lines.order_by("pk").first()
    ret = Return.objects.create(
        store=order.store, number=random_code(10), order=order, status=status, resolution=resolution,
        method="mail_label", email=order.email, policy_version=1, currency=order.currency,
        value_minor=line.total_minor // line.quantity * quantity)
    ReturnLine.objects.create(ret=ret, order_line=line, quantity=quantity, reason_code=reason,
                              basis="change_of_mind" if reason == "changed_mind" else "defect",
                              unit_value_minor=line.total_minor // line.quantity)
    Return.objects.filter(pk=ret.pk).update(created_at=asked)
    return Return.objects.select_related("store", "order").get(pk=ret.pk)


def refund_of(order: Order, *, ret: Return | None = None, amount: int | None = None,
              status: str = "pending", error: str = "", created: datetime | None = None) -> Refund:
    """A refund decided for ``order`` (no job run), left in ``status``."""
    payment = order.payments.order_by("pk").first()
    amount = amount or payment.amount_minor
    first_line = order.lines.order_by("pk").first()
    with mock.patch("rebox.refunds.services._enqueue"):
        refund = refund_create(order=order, payment=payment, amount_minor=amount, actor=STOREFRONT, ret=ret,
                               lines=[(first_line.pk, amount)],
                               reason=f"return {ret.number}" if ret else "goodwill")
    fields = {"status": status, "last_error": error}
    if status == "failed":
        fields["attempts"] = 1
    if created is not None:
        fields["created_at"] = created
    Refund.objects.filter(pk=refund.pk).update(**fields)
    return Refund.objects.get(pk=refund.pk)


def order_number() -> str:
    return "O" + random_code(6)
