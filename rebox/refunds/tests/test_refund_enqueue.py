"""A refund decided while the broker is down is paid by the sweep, and nothing else queued
after the same commit is lost."""

import pytest
from django.db import transaction

from rebox.refunds import services
from rebox.refunds.models import Refund
from rebox.refunds.services import refunds_sweep
from rebox.refunds.tasks import refund_execute_task
from rebox.refunds.tests.test_refund_once import _create, paid_order, stripe  # noqa: F401 - fixtures

REAL_ENQUEUE = services._enqueue
pytestmark = pytest.mark.django_db


def test_a_broker_that_is_down_loses_no_refund_and_stops_no_other_job(
        paid_order, stripe, monkeypatch, caplog, django_capture_on_commit_callbacks):  # noqa: F811
    monkeypatch.setattr(services, "_enqueue", REAL_ENQUEUE)  # the fixture stubs it

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(refund_execute_task, "delay", broker_down)
    after = []

    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            refund = _create(paid_order, 3_000)
            transaction.on_commit(lambda: after.append("the next job"))

    assert after == ["the next job"]
    assert f"refund {refund.pk} not enqueued" in caplog.text
    assert Refund.objects.get(pk=refund.pk).status == "pending"
    assert refunds_sweep() == 1
    assert Refund.objects.get(pk=refund.pk).status == "succeeded"
    assert [r["amount"] for r in stripe.performed_for("pi_ORDER1")] == [3_000]
