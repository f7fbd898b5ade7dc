"""A refund reaches the gateway exactly once: timeouts after the gateway acted, failures,
two workers racing, a worker killed mid-call (PostgreSQL), an agent's retry."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.utils import timezone

from rebox.core.actors import Actor
from rebox.core.errors import Conflict, ValidationFailed
from rebox.core.models import AuditEntry, OutboxEvent
from rebox.orders.models import Order
from rebox.refunds.models import GatewayAccount, Refund
from rebox.refunds.services import (
    refund_create,
    refund_execute,
    refund_record_manual,
    refund_retry,
    refundable_minor,
)
from rebox.refunds.tests.stripe_standin import StripeStandIn
from rebox.testing import make_variant, order_payload, run_at_once

AGENT = Actor.staff(type("U", (), {"get_username": lambda self: "agent@shop.example"})())


@pytest.fixture
def stripe():
    with StripeStandIn() as standin:
        yield standin


@pytest.fixture
def paid_order(api, store, stripe, settings, monkeypatch):
    """An order of 100.00 EUR paid by card through Stripe (PaymentIntent pi_ORDER1)."""
    settings.CELERY_TASK_ALWAYS_EAGER = False  # the job runs when the test says so
    # Stubbed once, in the test's thread. A mock.patch entered in each of several racing threads
    # can be undone out of order, leaving one thread's mock in place for every later test of
    # the process: their refunds are decided and never paid.
    monkeypatch.setattr("rebox.refunds.services._enqueue", lambda refund_id: None)
    GatewayAccount.objects.create(store=store, payment_gateway="stripe", gateway="stripe",
                                  secret_key=stripe.secret_key, api_base=stripe.url)
    make_variant(store, "COAT", price_minor=10_000, stock=5)
    body = order_payload(("COAT", 1, 10_000), number="P-1")
    body["payments"][0]["reference"] = "pi_ORDER1"
    assert api.post("/orders", body).status_code == 201
    stripe.captured["pi_ORDER1"], stripe.currencies["pi_ORDER1"] = 10_000, "eur"
    return Order.objects.get(store=store, number="P-1")


def _due_now(refund):
    Refund.objects.filter(pk=refund.pk).update(next_attempt_at=timezone.now())


def _create(order, amount, **kwargs):
    return refund_create(order=order, payment=order.payments.get(), amount_minor=amount, actor=AGENT,
                         **kwargs)


@pytest.mark.django_db
def test_a_refund_is_paid_back_once_and_recorded(paid_order, stripe):
    refund = _create(paid_order, 4_000, reason="returned coat")

    assert refund_execute(refund.pk) == "succeeded"

    refund.refresh_from_db()
    assert refund.status == "succeeded" and refund.gateway_reference == stripe.refunds[0]["id"]
    assert len(stripe.performed_for("pi_ORDER1")) == 1
    post = next(r for r in stripe.requests if r[0] == "POST")
    assert post[2]["payment_intent"] == "pi_ORDER1" and post[2]["amount"] == "4000"
    assert post[2]["metadata[rebox_refund]"] == refund.number
    assert OutboxEvent.objects.filter(topic="refund.succeeded", subject_id=refund.pk).count() == 1
    assert AuditEntry.objects.filter(action="refund.succeeded", subject_id=paid_order.pk).exists()
    assert refund_execute(refund.pk) == "busy"  # done is done
    assert len(stripe.performed_for("pi_ORDER1")) == 1


@pytest.mark.django_db
def test_a_timeout_after_the_gateway_refunded_is_retried_into_the_same_refund(paid_order, stripe,
                                                                              monkeypatch):
    monkeypatch.setattr("rebox.refunds.gateways.stripe.TIMEOUT_SECONDS", 0.5)
    stripe.mode, stripe.slow_seconds = "slow_after_performing", 1.5
    refund = _create(paid_order, 2_500)

    assert refund_execute(refund.pk) == "retry"
    stripe.mode = "ok"
    _due_now(refund)
    assert refund_execute(refund.pk) == "succeeded"

    assert len(stripe.performed_for("pi_ORDER1")) == 1
    refund.refresh_from_db()
    assert refund.gateway_reference == stripe.refunds[0]["id"] and refund.attempts == 2


@pytest.mark.django_db
def test_a_refusal_fails_the_refund_with_the_gateways_message_and_an_agent_can_retry(
        paid_order, stripe, django_capture_on_commit_callbacks):
    stripe.mode = "refuse"
    refund = _create(paid_order, 1_000)

    assert refund_execute(refund.pk) == "failed"
    refund.refresh_from_db()
    assert refund.status == "failed" and "already been refunded" in refund.last_error
    assert OutboxEvent.objects.filter(topic="refund.failed", subject_id=refund.pk).count() == 1

    stripe.mode = "ok"
    with django_capture_on_commit_callbacks(execute=False) as queued:
        retried = refund_retry(refund=refund, actor=AGENT)
    assert retried.status == "pending" and retried.idempotency_key != refund.idempotency_key
    assert len(queued) == 1  # the job is queued once the retry is committed
    assert refund_execute(refund.pk) == "succeeded"
    assert len(stripe.performed_for("pi_ORDER1")) == 1
    with pytest.raises(Conflict, match="succeeded"):
        refund_retry(refund=refund, actor=AGENT)


@pytest.mark.django_db
def test_a_failed_refund_can_be_recorded_as_paid_another_way(paid_order, stripe):
    stripe.mode = "refuse"
    refund = _create(paid_order, 1_000)
    refund_execute(refund.pk)

    with pytest.raises(ValidationFailed):
        refund_record_manual(refund=refund, reference="  ", actor=AGENT)
    done = refund_record_manual(refund=refund, reference="bank transfer 2026-11-23 #881", actor=AGENT)

    assert (done.status, done.gateway, done.gateway_reference) == ("succeeded", "manual",
                                                                   "bank transfer 2026-11-23 #881")
    assert AuditEntry.objects.get(action="refund.succeeded").actor_label == "agent@shop.example"


@pytest.mark.django_db
def test_gateway_errors_are_retried_with_the_same_key(paid_order, stripe):
    stripe.mode = "error500"
    refund = _create(paid_order, 1_000)

    assert refund_execute(refund.pk) == "retry"
    stripe.mode = "ok"
    _due_now(refund)
    assert refund_execute(refund.pk) == "succeeded"

    keys = {r[2].get("metadata[rebox_refund]") for r in stripe.requests if r[0] == "POST"}
    assert keys == {refund.number} and len(stripe.performed_for("pi_ORDER1")) == 1


@pytest.mark.django_db
def test_a_payment_is_never_refunded_beyond_what_it_captured(paid_order):
    _create(paid_order, 7_000)

    with pytest.raises(ValidationFailed) as refused:
        _create(paid_order, 3_001)
    assert refused.value.errors[0].field == "amount_minor"
    assert "at most 3000 EUR is left" in refused.value.errors[0].message
    assert refundable_minor(paid_order.payments.get()) == 3_000
    assert Refund.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_for_one_refund_make_one_gateway_refund(paid_order, stripe):
    stripe.latency = 0.3
    refund = _create(paid_order, 5_000)

    outcomes = run_at_once([lambda: refund_execute(refund.pk) for _ in range(4)])

    assert sorted(outcomes) == ["busy", "busy", "busy", "succeeded"]
    assert len(stripe.performed_for("pi_ORDER1")) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_refund_decisions_cannot_exceed_the_capture(paid_order):
    results = run_at_once([lambda: _try_create(paid_order, 6_000) for _ in range(3)])

    assert sorted(results) == ["created", "refused", "refused"]
    assert refundable_minor(paid_order.payments.get()) == 4_000


def _try_create(order, amount):
    try:
        _create(order, amount)
        return "created"
    except ValidationFailed:
        return "refused"


WORKER = """
import sys, django
django.setup()
from rebox.refunds.services import refund_execute
print(refund_execute(int(sys.argv[1])), flush=True)
"""


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_call_leaves_one_refund_after_another_worker_takes_over(paid_order, stripe):
    from django.db import connection

    stripe.mode, stripe.slow_seconds = "slow_after_performing", 30
    refund = _create(paid_order, 6_000)
    db = connection.settings_dict
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "rebox.settings",
           "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"}
    worker = subprocess.Popen([sys.executable, "-c", WORKER, str(refund.pk)], env=env,
                              cwd=Path(__file__).resolve().parents[3], stdout=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while not stripe.refunds and time.monotonic() < deadline:
        time.sleep(0.05)
    assert stripe.refunds, "the worker never reached the gateway"
    os.kill(worker.pid, signal.SIGKILL)  # after the gateway refunded, before Rebox heard of it
    worker.wait(timeout=10)

    refund.refresh_from_db()
    assert refund.status == "processing"
    assert refund_execute(refund.pk) == "busy"  # its lease has not run out yet
    stripe.mode = "ok"
    _due_now(refund)  # the lease ran out
    assert refund_execute(refund.pk) == "succeeded"

    assert len(stripe.performed_for("pi_ORDER1")) == 1
    refund.refresh_from_db()
    assert refund.gateway_reference == stripe.refunds[0]["id"]


@pytest.mark.django_db
def test_a_success_heard_twice_is_recorded_and_published_once(paid_order, stripe):
    from rebox.refunds.services import _succeeded

    refund = _create(paid_order, 1_000)
    assert refund_execute(refund.pk) == "succeeded"
    _succeeded(Refund.objects.get(pk=refund.pk), "re_late_answer", actor=AGENT)  # a slow worker hears Done

    assert OutboxEvent.objects.filter(topic="refund.succeeded", subject_id=refund.pk).count() == 1
    assert Refund.objects.get(pk=refund.pk).gateway_reference == stripe.refunds[0]["id"]
