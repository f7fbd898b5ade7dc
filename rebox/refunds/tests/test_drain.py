"""Draining many due refunds with threads: each paid once, outcomes recorded as a single
worker would, a worker's claimed batch invisible to the others (PostgreSQL)."""

import threading
from unittest import mock

import pytest
from django.utils import timezone

from rebox.core.actors import SYSTEM
from rebox.core.models import OutboxEvent
from rebox.orders.models import Order
from rebox.refunds.drain import refunds_drain
from rebox.refunds.models import GatewayAccount, Refund
from rebox.refunds.services import refund_create, refunds_claim
from rebox.refunds.tests.stripe_standin import StripeStandIn
from rebox.testing import make_variant, order_payload


@pytest.fixture
def stripe():
    with StripeStandIn(latency=0.01) as standin:
        standin.default_currency = "eur"
        yield standin


@pytest.fixture
def refunds(api, store, stripe, settings):
    """30 pending refunds of 1.00 EUR, one per order."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    GatewayAccount.objects.create(store=store, payment_gateway="stripe", gateway="stripe",
                                  secret_key=stripe.secret_key, api_base=stripe.url)
    make_variant(store, "SOCK", price_minor=1_000, stock=100)
    made = []
    for n in range(30):
        body = order_payload(("SOCK", 1, 1_000), number=f"D-{n}")
        body["payments"][0]["reference"] = f"pi_D{n}"
        assert api.post("/orders", body).status_code == 201
        order = Order.objects.get(store=store, number=f"D-{n}")
        with mock.patch("rebox.refunds.services._enqueue"):
            made.append(refund_create(order=order, payment=order.payments.get(), amount_minor=100,
                                      actor=SYSTEM))
    return made


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_drains_side_by_side_pay_every_refund_once(refunds, stripe):
    results = []
    drains = [threading.Thread(target=lambda: results.append(refunds_drain(threads=4, batch=3)))
              for _ in range(2)]
    for drain in drains:
        drain.start()
    for drain in drains:
        drain.join(timeout=60)

    assert sum(r.get("succeeded", 0) for r in results) == 30
    assert set(Refund.objects.values_list("status", flat=True)) == {"succeeded"}
    per_number = stripe.per_number()
    assert sorted(per_number) == sorted(r.number for r in refunds) and set(per_number.values()) == {1}
    assert OutboxEvent.objects.filter(topic="refund.succeeded").count() == 30


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_claimed_batch_is_not_claimed_again_until_its_lease_runs_out(refunds):
    first = refunds_claim(limit=20)
    second = refunds_claim(limit=20)
    third = refunds_claim(limit=20)

    assert (len(first), len(second), len(third)) == (20, 10, 0)
    assert not {r.pk for r in first} & {r.pk for r in second}
    assert {r.status for r in first} == {"processing"} and {r.attempts for r in first} == {1}
    Refund.objects.filter(pk=first[0].pk).update(next_attempt_at=timezone.now())  # its lease ran out
    assert [r.pk for r in refunds_claim(limit=20)] == [first[0].pk]


@pytest.mark.django_db(transaction=True)
def test_a_refused_refund_fails_in_a_drain_as_it_would_alone(refunds, stripe):
    stripe.mode = "refuse"

    counts = refunds_drain(threads=1, batch=50)

    assert counts == {"failed": 30}
    assert OutboxEvent.objects.filter(topic="refund.failed").count() == 30
    assert "already been refunded" in Refund.objects.first().last_error
