"""Reconciliation asks the gateway about refunds Rebox is unsure of and records the ones
the gateway has, once: a dead worker's refund, and above all a "failed" refund whose
money went out."""

from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from rebox.core.actors import Actor
from rebox.core.models import AuditEntry, OutboxEvent
from rebox.orders.models import Order
from rebox.refunds.models import GatewayAccount, Refund
from rebox.refunds.reconcile import refunds_reconcile
from rebox.refunds.services import LEASE, refund_create, refund_execute
from rebox.refunds.tests.stripe_standin import StripeStandIn
from rebox.testing import make_variant, order_payload, run_at_once

AGENT = Actor.staff(type("U", (), {"get_username": lambda self: "agent@shop.example"})())


@pytest.fixture
def stripe():
    with StripeStandIn() as standin:
        yield standin


@pytest.fixture
def paid_order(api, store, stripe, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    GatewayAccount.objects.create(store=store, payment_gateway="stripe", gateway="stripe",
                                  secret_key=stripe.secret_key, api_base=stripe.url)
    make_variant(store, "COAT", price_minor=10_000, stock=5)
    body = order_payload(("COAT", 1, 10_000), number="P-1")
    body["payments"][0]["reference"] = "pi_ORDER1"
    assert api.post("/orders", body).status_code == 201
    stripe.captured["pi_ORDER1"], stripe.currencies["pi_ORDER1"] = 10_000, "eur"
    return Order.objects.get(store=store, number="P-1")


def _refund(order, amount, *, minutes_ago=10):
    with mock.patch("rebox.refunds.services._enqueue"):
        refund = refund_create(order=order, payment=order.payments.get(), amount_minor=amount, actor=AGENT)
    Refund.objects.filter(pk=refund.pk).update(created_at=timezone.now() - timedelta(minutes=minutes_ago))
    return Refund.objects.get(pk=refund.pk)


def _performed_unheard(stripe, refund):
    """The gateway refunded with the refund's key; Rebox never heard the answer."""
    return stripe.perform(payment_intent="pi_ORDER1", amount=refund.amount_minor, rebox_refund=refund.number,
                          idempotency_key=refund.idempotency_key)


def _succeeded_events(refund):
    return OutboxEvent.objects.filter(topic="refund.succeeded", subject_id=refund.pk).count()


@pytest.mark.django_db
def test_a_dead_workers_refund_found_at_the_gateway_is_recorded_once(paid_order, stripe):
    refund = _refund(paid_order, 3_000)
    assert LEASE.claim(refund.pk) is not None  # a worker claimed it, called Stripe, and died
    performed = _performed_unheard(stripe, refund)
    Refund.objects.filter(pk=refund.pk).update(next_attempt_at=timezone.now())  # its lease ran out

    first = refunds_reconcile()
    second = refunds_reconcile()

    refund.refresh_from_db()
    assert (refund.status, refund.gateway_reference) == ("succeeded", performed["id"])
    assert first.found == [refund.number] and first.found_after_failure == []
    assert second.checked == 0
    assert _succeeded_events(refund) == 1
    assert refund_execute(refund.pk) == "busy"
    assert len(stripe.performed_for("pi_ORDER1")) == 1


@pytest.mark.django_db
def test_a_failed_refund_whose_money_went_out_is_recorded_succeeded_and_says_so(paid_order, stripe):
    stripe.mode = "refuse"
    refund = _refund(paid_order, 2_000)
    assert refund_execute(refund.pk) == "failed"
    stripe.mode = "ok"
    performed = stripe.perform(payment_intent="pi_ORDER1", amount=2_000, rebox_refund=refund.number)

    outcome = refunds_reconcile()

    refund.refresh_from_db()
    assert refund.status == "succeeded" and refund.gateway_reference == performed["id"]
    assert refund.last_error == ""
    assert outcome.found_after_failure == [refund.number]
    found = AuditEntry.objects.get(action="refund.found_at_gateway", subject_id=paid_order.pk)
    assert "found at the gateway by reconciliation" in found.why
    assert "already been refunded" in found.details["last_error"]
    assert _succeeded_events(refund) == 1


@pytest.mark.django_db
def test_refunds_the_gateway_does_not_have_are_left_as_they_are(paid_order, stripe):
    stripe.mode = "refuse"
    failed = _refund(paid_order, 1_000)
    refund_execute(failed.pk)
    stripe.mode = "ok"
    pending = _refund(paid_order, 1_500)

    outcome = refunds_reconcile()

    assert sorted(outcome.missing) == sorted([failed.number, pending.number]) and outcome.found == []
    assert dict(Refund.objects.values_list("number", "status")) == {failed.number: "failed",
                                                                      pending.number: "pending"}
    assert stripe.calls["POST"] == 1  # reconciliation only looks; it never refunds


@pytest.mark.django_db
def test_recent_refunds_and_refunds_a_worker_holds_are_not_touched(paid_order, stripe):
    recent = _refund(paid_order, 1_000, minutes_ago=1)
    held = _refund(paid_order, 1_000)
    assert LEASE.claim(held.pk) is not None  # a worker is calling the gateway right now
    _performed_unheard(stripe, held)

    outcome = refunds_reconcile()

    assert outcome.checked == 1 and outcome.busy == [held.number]
    assert Refund.objects.get(pk=held.pk).status == "processing"
    assert Refund.objects.get(pk=recent.pk).status == "pending"
    assert _succeeded_events(held) == 0


@pytest.mark.django_db
def test_a_refund_without_a_gateway_account_is_reported_unreachable(paid_order, stripe):
    refund = _refund(paid_order, 1_000)
    GatewayAccount.objects.all().delete()

    outcome = refunds_reconcile()

    assert outcome.unreachable == [refund.number]
    assert Refund.objects.get(pk=refund.pk).status == "pending"


def test_reconciliation_runs_every_fifteen_minutes():
    entry = django_settings.CELERY_BEAT_SCHEDULE["refund-reconcile"]
    assert entry == {"task": "rebox.refunds.tasks.refund_reconcile", "schedule": 900.0}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_reconciliation_racing_a_worker_records_one_success(paid_order, stripe):
    for _ in range(5):
        refund = _refund(paid_order, 1_000)
        _performed_unheard(stripe, refund)

        run_at_once([lambda pk=refund.pk: refund_execute(pk), lambda: refunds_reconcile()])

        refund.refresh_from_db()
        assert refund.status == "succeeded"
        assert _succeeded_events(refund) == 1
    assert set(stripe.per_number().values()) == {1}
