"""The per-order money view adds up: paid == refunded + pending + failed + credited + kept +
owned - goodwill, with zero difference, over any sequence of partial returns settled by
refunds (succeeding, pending, failing) and store credit made through the real services;
and it shows a difference when money went back twice or the order was not fully paid."""

from unittest import mock

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rebox.core.actors import SYSTEM
from rebox.core.ids import random_code
from rebox.orders.models import Order, Payment
from rebox.refunds.arithmetic import units_value
from rebox.refunds.credit import credit_issue
from rebox.refunds.models import GatewayAccount, Refund
from rebox.refunds.selectors import order_money
from rebox.refunds.services import refund_create, refund_execute, refundable_minor
from rebox.refunds.tests.stripe_standin import StripeStandIn
from rebox.returns.models import Return
from rebox.testing import make_variant, order_payload

SHIPPING = 495
LINES = (("COAT", 3, 3_333), ("HAT", 2, 1_999))
TOTAL = sum(q * p for _sku, q, p in LINES) + SHIPPING  # 14,492
CARD = 10_000  # the rest by gift card, a gateway this store has no account for: its refunds fail


@pytest.fixture
def stripe():
    with StripeStandIn() as standin:
        yield standin


@pytest.fixture
def order(api, store, stripe, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    GatewayAccount.objects.create(store=store, payment_gateway="stripe", gateway="stripe",
                                  secret_key=stripe.secret_key, api_base=stripe.url)
    for sku, _q, price in LINES:
        make_variant(store, sku, price_minor=price, stock=10)
    body = order_payload(*LINES, number="M-1", shipping_minor=SHIPPING)
    body["payments"] = [
        {"method": "card", "gateway": "stripe", "reference": "pi_M1", "amount_minor": CARD},
        {"method": "gift_card", "gateway": "giftcard", "reference": "gc_M1", "amount_minor": TOTAL - CARD}]
    assert api.post("/orders", body).status_code == 201, body
    stripe.captured["pi_M1"], stripe.currencies["pi_M1"] = CARD, "eur"
    return Order.objects.get(store=store, number="M-1")


def _return(order, value, status="resolved"):
    return Return.objects.create(store=order.store, number=random_code(10), order=order, status=status,
                                 resolution="refund", method="mail_label", email=order.email,
                                 policy_version=1, currency=order.currency, value_minor=value)


def _refund(order, amount, *, ret=None, outcome="succeeded", stripe=None) -> dict[str, int]:
    """Refund ``amount`` card first, then gift card; returns the amounts by resulting state."""
    states: dict[str, int] = {}
    for payment in order.payments.order_by("pk"):
        part = min(amount, refundable_minor(payment))
        if not part:
            continue
        amount -= part
        with mock.patch("rebox.refunds.services._enqueue"):
            refund = refund_create(order=order, payment=payment, amount_minor=part, actor=SYSTEM, ret=ret)
        if outcome != "pending":
            stripe.mode = "refuse" if outcome == "failed" else "ok"
            refund_execute(refund.pk)
        status = Refund.objects.get(pk=refund.pk).status
        states[status] = states.get(status, 0) + part
    assert amount == 0
    return states


step = st.tuples(st.integers(0, 1), st.integers(1, 3), st.integers(0, 1000), st.integers(0, 1000),
                 st.sampled_from(["succeeded", "pending", "failed"]))


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=5), delivery_back=st.booleans(),
       goodwill=st.integers(0, 300))
def test_any_sequence_of_refunds_and_credit_reconciles_to_zero(order, stripe, steps, delivery_back, goodwill):
    stripe.reset()
    with transaction.atomic():
        expected = {"succeeded": 0, "pending": 0, "failed": 0}
        credited = bonus = fees = values = 0
        before = [0, 0]
        refunded_delivery = 0
        delivery_seen = True
        for line_index, quantity, refund_share, credit_share, outcome in steps:
            line = order.lines.get(sku=LINES[line_index][0])
            quantity = min(quantity, line.quantity - before[line_index])
            if not quantity:
                continue
            value = units_value(line.total_minor, line.quantity, before[line_index], quantity)
            before[line_index] += quantity
            ret = _return(order, value)
            refund = value * refund_share // 1000
            credit = (value - refund) * credit_share // 1000
            fee = value - refund - credit
            fees += fee
            values += value
            if delivery_back and before == [3, 2]:  # the whole order came back: delivery too
                refund += SHIPPING
                refunded_delivery = SHIPPING
                # a refund row does not say which part is delivery: the view can tell only
                # when the return got back more than its value
                delivery_seen = fee == 0
            if refund:
                for state, amount in _refund(order, refund, ret=ret, outcome=outcome, stripe=stripe).items():
                    expected[state] += amount
            if credit:
                credit_issue(store=order.store, customer=order.customer, currency="EUR", amount_minor=credit,
                             bonus_minor=credit // 10, actor=SYSTEM, key=f"return:{ret.number}", ret=ret)
                credited += credit
                bonus += credit // 10
        if goodwill:
            for state, amount in _refund(order, goodwill, stripe=stripe).items():
                expected[state] += amount

        view = order_money(order)

        assert view.difference_minor == 0 and view.reconciles
        assert view.paid_minor == view.order_value_minor == TOTAL
        assert (view.refunded_minor, view.pending_minor, view.failed_minor) == \
            (expected["succeeded"], expected["pending"], expected["failed"])
        assert (view.credited_minor, view.bonus_credited_minor) == (credited, bonus)
        assert view.goodwill_minor == goodwill
        assert view.kept_minor + view.owned_minor == fees + TOTAL - values - refunded_delivery
        if delivery_seen:
            assert view.kept_minor == fees
            assert view.delivery_refunded_minor == refunded_delivery
            assert view.owned_minor == TOTAL - values - refunded_delivery
        assert sum(r["amount"] for r in stripe.refunds) == expected["succeeded"]
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_money_given_twice_for_one_return_shows_as_a_difference(order, stripe):
    coat = order.lines.get(sku="COAT")
    ret = _return(order, coat.total_minor)
    _refund(order, coat.total_minor, ret=ret, stripe=stripe)
    credit_issue(store=order.store, customer=order.customer, currency="EUR", amount_minor=coat.total_minor,
                 actor=SYSTEM, key="twice", ret=ret)

    view = order_money(order)

    # the delivery charge explains 4.95 of the excess; the rest is given twice
    assert view.difference_minor == -(coat.total_minor - SHIPPING)
    assert not view.reconciles


@pytest.mark.django_db
def test_an_order_not_fully_captured_shows_the_gap(order):
    Payment.objects.filter(order=order, method="gift_card").update(status=Payment.Status.AUTHORIZED)

    view = order_money(order)

    assert view.paid_minor == CARD and view.difference_minor == CARD - TOTAL


@pytest.mark.django_db
def test_a_return_still_on_its_way_is_owned_not_kept(order):
    _return(order, 3_333, status="in_transit")

    view = order_money(order)

    assert (view.kept_minor, view.owned_minor, view.difference_minor) == (0, TOTAL, 0)
    assert view.returns == ()


@pytest.mark.django_db
def test_a_resolved_return_with_nothing_given_back_is_kept_whole(order):
    ret = _return(order, 1_999)

    view = order_money(order)

    assert view.kept_minor == 1_999 and view.owned_minor == TOTAL - 1_999 and view.reconciles
    assert [(r.number, r.kept_minor) for r in view.returns] == [(ret.number, 1_999)]
