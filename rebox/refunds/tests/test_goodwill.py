"""Goodwill: a discount code announced for the resolution email, a full refund beyond what
inspection left (never beyond what was captured), a free replacement order; each with who
granted it and why."""

import pytest

from rebox.catalog.models import Variant
from rebox.core.actors import Actor
from rebox.core.errors import Conflict, ValidationFailed
from rebox.core.models import AuditEntry, OutboxEvent
from rebox.orders.models import Order
from rebox.refunds.goodwill import goodwill_discount_grant, goodwill_free_replacement, goodwill_full_refund
from rebox.refunds.models import Goodwill, Refund
from rebox.refunds.resolution import return_resolve
from rebox.refunds.services import refundable_minor
from rebox.refunds.tests.test_exchanges import approve, inspect
from rebox.returns.models import Acceptance, Return
from rebox.returns.tests.helpers import delivered_order, return_body

pytestmark = pytest.mark.django_db
AGENT = Actor("staff", "lead@shop.example")


def _return(api, order, *lines):
    response = api.post("/returns", return_body(order, *lines))
    assert response.status_code == 201, response.content
    return Return.objects.get(number=response.json()["number"])


def test_a_discount_code_is_recorded_and_announced_for_the_email(api, store):
    lines = delivered_order(api, store, number="R1")
    ret = _return(api, "R1", (lines["MUG"], 1))
    order = Order.objects.get(number="R1")

    grant = goodwill_discount_grant(order=order, ret=ret, percent=15, valid_days=60, actor=AGENT,
                                    why="second late delivery this year")

    event = OutboxEvent.objects.get(topic="goodwill.granted")
    assert event.payload["code"] == grant.code and event.payload["percent"] == 15
    assert event.payload["return"] == ret.number and event.payload["expiry"]
    assert (grant.granted_by, grant.why) == ("lead@shop.example", "second late delivery this year")
    assert AuditEntry.objects.filter(action="goodwill.discount_code",
                                     actor_label="lead@shop.example").exists()


def test_a_discount_needs_one_value_and_a_reason(api, store):
    delivered_order(api, store, number="R1")
    order = Order.objects.get(number="R1")

    with pytest.raises(ValidationFailed) as both:
        goodwill_discount_grant(order=order, amount_minor=500, percent=10, actor=AGENT, why="sorry")
    with pytest.raises(ValidationFailed) as no_reason:
        goodwill_discount_grant(order=order, amount_minor=500, actor=AGENT, why="  ")

    assert both.value.errors and no_reason.value.errors[0].field == "why"
    assert not Goodwill.objects.exists()


def test_a_full_refund_pays_back_what_inspection_kept_and_no_more(api, store):
    lines = delivered_order(api, store, number="R1")  # TEE 200.00 × 2, MUG 150.00; card 550.00
    ret = inspect(approve(_return(api, "R1", (lines["TEE"], 2))), Acceptance.ACCEPTED, Acceptance.REJECTED)
    return_resolve(ret=ret)
    assert sum(r.amount_minor for r in Refund.objects.filter(ret=ret)) == 20_000

    grant = goodwill_full_refund(ret=ret, actor=AGENT, why="third faulty tee from the same batch")

    assert grant.amount_minor == 20_000
    assert sum(r.amount_minor for r in Refund.objects.filter(ret=ret)) == 40_000
    assert refundable_minor(Order.objects.get(number="R1").payments.get()) == 15_000
    with pytest.raises(Conflict):
        goodwill_full_refund(ret=ret, actor=AGENT, why="again")


def test_a_free_replacement_is_a_paid_order_at_price_zero(api, store):
    delivered_order(api, store, number="R1")
    order = Order.objects.get(number="R1")
    mug = Variant.objects.get(store=store, sku="MUG")

    grant = goodwill_free_replacement(order=order, variant=mug, quantity=1, actor=AGENT,
                                      why="mug arrived broken twice")

    replacement = grant.replacement
    assert (replacement.status, replacement.total_minor, replacement.source) == ("paid", 0, "exchange")
    assert replacement.lines.get().sku == "MUG"
    assert AuditEntry.objects.filter(action="goodwill.free_replacement",
                                     why="mug arrived broken twice").exists()
    assert OutboxEvent.objects.get(topic="goodwill.granted").payload["replacement"] == replacement.number
