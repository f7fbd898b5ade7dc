"""Reads of the refunds app: where an order's money went.

``order_money`` answers the agent's question "paid, refunded, credited, kept — does it add
up?" from three independent records: the payments, the refunds, the store credit ledger,
set against the order's lines and its returns.

The identity (all integers in the order's minor units)::

    paid == refunded + pending + failed + credited + kept + owned - goodwill + difference

* ``paid``: captured payments of the order.
* ``refunded`` / ``pending`` / ``failed``: the order's refunds by state (pending includes
  processing). A failed refund is money still owed to the customer: decided, not paid.
* ``credited``: store credit issued for the order's returns (the bonus for choosing credit
  is the store's gift on top and shown apart, outside the identity).
* For each *settled* return (resolved or closed, or already given money): its value ``V``
  (the price paid for its units) against what it got back ``g`` (its refunds in any state
  plus its credit). ``kept`` is the sum of ``max(0, V - g)``: fees and deductions.
* What went back beyond a return's value is the original delivery charge (the EU rule
  for a whole withdrawal), up to the order's shipping; beyond that it is an excess.
  (A refund row does not record which part of it paid back delivery; when a return
  keeps fees *and* gets delivery back, that delivery shows under ``owned`` instead of
  lowering ``kept``. Their sum, and the difference, are right either way.)
* ``owned``: what the customer still has: the lines' value not (yet) settled by a return,
  plus the delivery charge not paid back.
* ``goodwill``: refunds made without a return (a concession: the customer keeps the item).

Then ``difference = (paid - order value) - excess``: zero exactly when the payments match
the order's value (lines + shipping) and no return got back more than it was worth plus
the delivery charge. A non-zero difference is something for an agent to look at: an
order not fully captured, or money given back twice for the same return.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q, Sum

from rebox.orders.models import Order, Payment
from rebox.refunds.models import CreditEntry, Refund
from rebox.returns.states import ReturnStatus

SETTLED_RETURN = (ReturnStatus.RESOLVED, ReturnStatus.CLOSED)
R = Refund.Status


@dataclass(frozen=True)
class ReturnMoney:
    number: str
    value_minor: int
    given_minor: int  # refunds (any state) and credit for this return
    kept_minor: int


@dataclass(frozen=True)
class MoneyView:
    currency: str
    order_value_minor: int  # lines (with their discount and tax) + shipping
    paid_minor: int
    refunded_minor: int
    pending_minor: int
    failed_minor: int
    credited_minor: int
    bonus_credited_minor: int
    kept_minor: int
    owned_minor: int
    goodwill_minor: int
    delivery_refunded_minor: int
    difference_minor: int
    returns: tuple[ReturnMoney, ...]

    @property
    def reconciles(self) -> bool:
        return self.difference_minor == 0


def order_money(order: Order) -> MoneyView:
    """Where the order's money went (see the module's docstring for the identity)."""
    currency = order.currency
    paid = (Payment.objects.filter(order=order, status=Payment.Status.CAPTURED, currency=currency)
            .aggregate(n=Sum("amount_minor"))["n"] or 0)
    lines_value = order.lines.aggregate(n=Sum("total_minor"))["n"] or 0
    shipping = order.shipping_minor
    by_state: dict[str, int] = defaultdict(int)
    given: dict[int | None, int] = defaultdict(int)
    refunds = Refund.objects.filter(order=order, currency=currency)
    for ret_id, status, amount in refunds.values_list("ret_id", "status", "amount_minor"):
        by_state[R.PENDING if status == R.PROCESSING else status] += amount
        given[ret_id] += amount
    credited = bonus = 0
    credit = CreditEntry.objects.filter(ret__order=order, account__currency=currency,
                                        kind__in=[CreditEntry.Kind.ISSUED, CreditEntry.Kind.BONUS])
    for ret_id, kind, amount in credit.values_list("ret_id", "kind", "amount_minor"):
        if kind == CreditEntry.Kind.BONUS:
            bonus += amount
        else:
            credited += amount
            given[ret_id] += amount
    settled = order.returns.filter(Q(status__in=SETTLED_RETURN) | Q(pk__in=[k for k in given if k]))
    returns = tuple(
        ReturnMoney(number, value, given[pk], max(0, value - given[pk]))
        for pk, number, value in settled.order_by("pk").values_list("pk", "number", "value_minor"))
    over = sum(max(0, r.given_minor - r.value_minor) for r in returns)
    delivery_back = min(over, shipping)
    kept = sum(r.kept_minor for r in returns)
    owned = lines_value - sum(r.value_minor for r in returns) + shipping - delivery_back
    goodwill = given[None]
    accounted = (by_state[R.SUCCEEDED] + by_state[R.PENDING] + by_state[R.FAILED] + credited + kept + owned
                 - goodwill)
    return MoneyView(
        currency=currency, order_value_minor=lines_value + shipping, paid_minor=paid,
        refunded_minor=by_state[R.SUCCEEDED], pending_minor=by_state[R.PENDING],
        failed_minor=by_state[R.FAILED], credited_minor=credited, bonus_credited_minor=bonus,
        kept_minor=kept, owned_minor=owned, goodwill_minor=goodwill,
        delivery_refunded_minor=delivery_back, difference_minor=paid - accounted, returns=returns)
