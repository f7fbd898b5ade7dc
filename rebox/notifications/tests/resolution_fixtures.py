"""Money back and other resolutions made through the real services, for the email tests."""

from unittest import mock

from django.db import transaction

from rebox.core.actors import Actor
from rebox.core.outbox import outbox_publish
from rebox.notifications.tests.returns_fixtures import Journey
from rebox.refunds.models import GatewayAccount, Refund
from rebox.refunds.services import refund_create, refund_execute
from rebox.returns.models import Return

AGENT = Actor("staff", "agent@dune.example")


def pay_through(stripe, store) -> None:
    """The store refunds card payments through the Stripe stand-in."""
    GatewayAccount.objects.get_or_create(store=store, payment_gateway="stripe", defaults={
        "gateway": "stripe", "secret_key": stripe.secret_key, "api_base": stripe.url})


def refund_paid(journey: Journey, stripe, *, ret: Return | None = None, order=None,
                amount_minor: int) -> Refund:
    """A refund decided by ``refund_create`` and paid by the job ``refund_execute`` against
    the stand-in, with what follows each commit run (the outbox, the emails)."""
    order = order or ret.order
    payment = order.payments.get()
    stripe.captured[payment.reference] = payment.amount_minor
    stripe.currencies[payment.reference] = payment.currency.lower()
    with mock.patch("rebox.refunds.services._enqueue"):  # the job runs when the test says so
        refund = journey.run(refund_create, order=order, payment=payment, amount_minor=amount_minor,
                             actor=AGENT, ret=ret, reason="returned")
    assert journey.run(refund_execute, refund_id=refund.pk) == "succeeded"
    refund.refresh_from_db()
    return refund


def publish(journey: Journey, topic: str, *, subject_type: str, subject_id: int, payload: dict):
    """An event the exchange or goodwill flow publishes, as it would."""
    with journey.capture(execute=True), transaction.atomic():
        return outbox_publish(store=journey.store.pk, topic=topic, subject_type=subject_type,
                              subject_id=subject_id, payload=payload)
