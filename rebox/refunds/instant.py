"""Instant exchanges: for a trusted customer the replacement order is made at approval,
before the original comes back (a store rule: ``ResolutionSettings.instant_exchange``).

Trusted (``customer_is_trusted``): at least ``instant_exchange_min_delivered_orders``
delivered orders in the store, no declined return and no unit rejected at inspection.
Only a like-for-like exchange (a size or colour at the price paid) is instant: one with a
price difference waits for the return like any other.

If the original has not been received by the return's ``send_by`` deadline (still
approved or on its way, expired, or cancelled after the replacement went out), the check
(``instant_exchanges_overdue``, every hour) asks for the replacement's value back: when the
original order was paid with store credit, that credit is reversed (``credit_adjust``, as
far as the balance goes); whatever is left is charged through a payment link
(``charge_needed``).
"""

from __future__ import annotations

from datetime import datetime

from celery import shared_task
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from rebox.core.actors import SYSTEM, Actor
from rebox.core.audit import audit_record
from rebox.orders.models import Customer, Order, Payment
from rebox.refunds.credit import credit_adjust, credit_balance
from rebox.refunds.exchanges import exchange_fulfil, exchange_reserve
from rebox.refunds.models import CreditAccount, Exchange
from rebox.returns.models import Acceptance, Return, ReturnUnit
from rebox.returns.states import ReturnStatus

S = ReturnStatus
X = Exchange.Status
NOT_RECEIVED = (S.APPROVED, S.IN_TRANSIT, S.EXPIRED, S.CANCELLED)


def customer_is_trusted(*, store_id: int, customer: Customer, min_delivered: int) -> bool:
    delivered = Order.objects.filter(store_id=store_id, customer=customer, delivered_at__isnull=False).count()
    if delivered < min_delivered:
        return False
    mine = Return.objects.filter(store_id=store_id, order__customer=customer)
    if mine.filter(status=S.DECLINED).exists():
        return False
    return not ReturnUnit.objects.filter(line__ret__in=mine, acceptance=Acceptance.REJECTED).exists()


def exchange_instant(*, ret: Return, actor: Actor = SYSTEM) -> Order | None:
    """At approval: hold the stock and, when the store's rule and the customer allow it, make
    the replacement order now (once). None when the exchange waits for the return."""
    from rebox.refunds.resolution import settings_for

    rules = settings_for(ret.store_id)
    exchange = exchange_reserve(ret=ret, actor=actor)
    if exchange is None or not rules.instant_exchange:
        return None
    with transaction.atomic():
        locked = Return.objects.select_for_update().select_related("order__customer", "store").get(pk=ret.pk)
        exchange = Exchange.objects.get(pk=exchange.pk)
        if exchange.order_id is not None:
            return exchange.order
        if locked.status != S.APPROVED or exchange.status not in (X.RESERVED, X.READY) \
                or exchange.difference_minor != 0:
            return None
        if not customer_is_trusted(store_id=locked.store_id, customer=locked.order.customer,
                                   min_delivered=rules.instant_exchange_min_delivered_orders):
            return None
        return exchange_fulfil(locked=locked, exchange=exchange, actor=actor, instant=True)


def _paid_with_credit(order: Order) -> int:
    paid = order.payments.filter(method=Payment.Method.STORE_CREDIT).aggregate(n=Sum("amount_minor"))
    return paid["n"] or 0


def exchange_charge(*, exchange: Exchange, actor: Actor = SYSTEM) -> str:
    """The original of an instant exchange never came: reverse credit or ask for payment
    (once). Returns reversed | charge_needed | nothing."""
    from rebox.refunds.payment_links import exchange_payment_link_request

    with transaction.atomic():
        ret = Return.objects.select_for_update().select_related("order__customer").get(pk=exchange.ret_id)
        exchange = Exchange.objects.select_related("order").get(pk=exchange.pk)
        if exchange.status != X.CREATED or not exchange.instant:
            return "nothing"
        value = exchange.credit_minor  # instant exchanges are like for like: the replacement's price
        reversed_minor = 0
        if _paid_with_credit(ret.order):
            account = CreditAccount.objects.filter(store_id=ret.store_id, customer=ret.order.customer,
                                                   currency=exchange.currency).first()
            if account is not None:
                reversed_minor = min(credit_balance(account), value, _paid_with_credit(ret.order))
                if reversed_minor > 0:
                    credit_adjust(account=account, amount_minor=-reversed_minor, actor=actor,
                                  why=f"instant exchange of return {ret.number}: the original never arrived")
        exchange.charge_minor = value - reversed_minor
        exchange.status = X.CHARGE_NEEDED if exchange.charge_minor else X.REVERSED
        exchange.save(update_fields=["charge_minor", "status"])
        audit_record(store=ret.store_id, actor=actor, action="exchange.original_missing",
                     subject_type="return", subject_id=ret.pk, why="not received by the send-by deadline",
                     details={"send_by": ret.send_by.isoformat() if ret.send_by else None,
                              "credit_reversed_minor": reversed_minor, "charge_minor": exchange.charge_minor,
                              "currency": exchange.currency})
        if exchange.charge_minor:
            exchange_id = exchange.pk
            transaction.on_commit(lambda: exchange_payment_link_request(exchange_id=exchange_id))
        return "charge_needed" if exchange.charge_minor else "reversed"


def instant_exchanges_overdue(*, now: datetime | None = None) -> int:
    """Charge every instant exchange whose original is past its deadline (the scheduled check)."""
    now = now or timezone.now()
    due = Exchange.objects.filter(instant=True, status=X.CREATED, ret__status__in=NOT_RECEIVED,
                                  ret__send_by__lt=now).values_list("pk", flat=True)
    done = 0
    for exchange in Exchange.objects.filter(pk__in=list(due)):
        done += exchange_charge(exchange=exchange) != "nothing"
    return done


@shared_task(name="rebox.refunds.instant.instant_exchanges_check")
def instant_exchanges_check() -> int:
    return instant_exchanges_overdue()
