"""From an inspected return to money back: the amount per line and per payment, once, at
the store's trigger; store credit with its bonus; keep-the-item returns pay on approval."""

import pytest

from rebox.core.actors import SYSTEM
from rebox.orders.models import Order
from rebox.refunds.credit import credit_balance
from rebox.refunds.models import CreditAccount, Refund, ResolutionSettings
from rebox.refunds.resolution import return_pay, return_refund_plan, return_resolve
from rebox.returns.models import Acceptance, Return, ReturnUnit
from rebox.returns.services import return_transition
from rebox.returns.tests.helpers import delivered_order, return_body

pytestmark = pytest.mark.django_db


def _request(api, order, *lines, resolution="refund"):
    response = api.post("/returns", return_body(order, *lines, resolution=resolution))
    assert response.status_code == 201, response.content
    return Return.objects.get(number=response.json()["number"])


def _inspect(ret, *acceptances):
    """Walk the return to inspected; ``acceptances`` per unit, in line order."""
    for status in ("approved", "in_transit", "received"):
        if Return.objects.get(pk=ret.pk).status != status:
            return_transition(ret=ret, to=status, actor=SYSTEM)
    verdicts = iter(acceptances)
    for line in ret.lines.all():
        for index in range(1, line.quantity + 1):
            acceptance, deduction = next(verdicts, (Acceptance.ACCEPTED, 0))
            ReturnUnit.objects.create(line=line, index=index, grade="B", acceptance=acceptance,
                                      deduction_percent=deduction)
    return return_transition(ret=ret, to="inspected", actor=SYSTEM)


def test_an_inspected_return_refunds_what_was_accepted_to_the_card(api, store):
    lines = delivered_order(api, store, number="R1")  # 2 × TEE 200.00, 1 × MUG 150.00, card
    ret = _request(api, "R1", (lines["TEE"], 2), (lines["MUG"], 1))
    ret = _inspect(ret, (Acceptance.ACCEPTED, 0), (Acceptance.PARTLY, 25), (Acceptance.REJECTED, 0))

    plan = return_refund_plan(ret)
    resolved = return_resolve(ret=ret)

    assert [(line.value_minor, line.deduction_minor, line.refund_minor) for line in plan.lines] == [
        (40_000, 5_000, 35_000), (15_000, 15_000, 0)]
    refund = Refund.objects.get(ret=ret)
    assert (refund.amount_minor, refund.currency, refund.payment.reference) == (35_000, "EUR", "ch_1")
    assert [(rl.order_line_id, rl.amount_minor) for rl in refund.lines.all()] == [(lines["TEE"], 35_000)]
    assert resolved.status == "resolved"


def test_paying_twice_pays_once(api, store):
    lines = delivered_order(api, store, number="R1")
    ret = _inspect(_request(api, "R1", (lines["MUG"], 1)))

    assert return_pay(ret=ret) == "refunded"
    assert return_pay(ret=ret) == "already_paid"
    assert Refund.objects.filter(ret=ret).count() == 1


def test_store_credit_is_issued_with_the_stores_bonus_instead_of_a_refund(api, store):
    ResolutionSettings.objects.create(store=store, credit_bonus_percent=10)
    lines = delivered_order(api, store, number="R1")
    ret = _inspect(_request(api, "R1", (lines["MUG"], 1), resolution="store_credit"))

    return_resolve(ret=ret)

    account = CreditAccount.objects.get(store=store)
    assert credit_balance(account) == 15_000 + 1_500
    assert not Refund.objects.filter(ret=ret).exists()


def test_a_store_that_refunds_on_approval_pays_then_and_not_again_after_inspection(
        api, store, django_capture_on_commit_callbacks):
    ResolutionSettings.objects.create(store=store, refund_trigger="approved")
    lines = delivered_order(api, store, number="R1")
    ret = _request(api, "R1", (lines["MUG"], 1))

    with django_capture_on_commit_callbacks(execute=True):
        api.post(f"/returns/{ret.number}/approve", {})
    assert Refund.objects.filter(ret=ret).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        _inspect(ret)

    assert Return.objects.get(pk=ret.pk).status == "resolved"
    assert Refund.objects.filter(ret=ret).count() == 1


def test_a_whole_order_returned_in_two_returns_refunds_exactly_what_was_paid(api, store):
    lines = delivered_order(api, store, number="R1", tee=3)  # 3 × 200.00 + 150.00
    first = _inspect(_request(api, "R1", (lines["TEE"], 1)))
    return_resolve(ret=first)
    second = _inspect(_request(api, "R1", (lines["TEE"], 2), (lines["MUG"], 1)))
    return_resolve(ret=second)

    order = Order.objects.get(store=store, number="R1")
    refunded = sum(r.amount_minor for r in Refund.objects.filter(order=order))
    assert refunded == order.total_minor == sum(p.amount_minor for p in order.payments.all())


def test_a_gift_recipients_store_credit_is_theirs_not_the_buyers(store):
    from rebox.orders.models import Customer
    from rebox.refunds.resolution import credit_owner

    buyer = Customer.objects.create(store=store, email="buyer@example.com")
    order = Order(store=store, customer=buyer, email="buyer@example.com")
    gift = Return(store=store, order=order, gift=True, email="Friend@Example.com", language="da")

    owner = credit_owner(gift)

    assert (owner.email, owner.language) == ("friend@example.com", "da")
    assert credit_owner(Return(store=store, order=order, gift=False, email="x@example.com")) == buyer


def test_the_plan_of_a_paid_return_is_the_plan_it_was_paid_by(api, store):
    lines = delivered_order(api, store, number="R1")
    ret = _inspect(_request(api, "R1", (lines["TEE"], 2), (lines["MUG"], 1)))
    before = return_refund_plan(ret)

    return_pay(ret=ret)

    assert return_refund_plan(ret) == before
    assert before.total_minor == 55_000


def test_return_postage_is_charged_once_and_never_on_a_defective_line(api, store):
    from rebox.policies.models import StoredPolicyVersion
    from rebox.policies.services import policy_seed

    version = policy_seed(store=store)
    StoredPolicyVersion.objects.filter(pk=version.pk).update(
        default_rule={**version.default_rule, "return_shipping_fee_minor": 500})
    lines = delivered_order(api, store, number="R1")  # TEE 2 × 200.00 is worth more than MUG
    body = return_body("R1", (lines["MUG"], 1))
    body["lines"].append({"order_line_id": lines["TEE"], "quantity": 2, "reason": "defective"})
    response = api.post("/returns", body)
    assert response.status_code == 201, response.content
    ret = _inspect(Return.objects.get(number=response.json()["number"]))

    plan = return_refund_plan(ret)

    fees = {line.line_id: line.fees_minor for line in plan.lines}
    assert fees == {lines["MUG"]: 500, lines["TEE"]: 0}


def test_an_eu_customer_withdrawing_the_whole_order_gets_the_delivery_back_too(api, store):
    from datetime import timedelta

    from django.utils import timezone

    from rebox.testing import make_variant, order_payload

    make_variant(store, "SCARF", price_minor=5_000, stock=5)
    body = order_payload(("SCARF", 2, 5_000), number="W1", shipping_minor=4_95, country="DK")
    body["placed_at"] = (timezone.now() - timedelta(days=5)).isoformat()
    assert api.post("/orders", body).status_code == 201
    Order.objects.filter(store=store, number="W1").update(status="delivered",
                                                          delivered_at=timezone.now() - timedelta(days=3))
    line = Order.objects.get(store=store, number="W1").lines.get().pk
    first = _inspect(_request(api, "W1", (line, 1)))  # part of the order: no delivery yet
    assert return_refund_plan(first).delivery_minor == 0
    return_resolve(ret=first)

    last = _inspect(_request(api, "W1", (line, 1)))  # the rest: the whole order is back

    plan = return_refund_plan(last)
    assert (plan.delivery_minor, plan.total_minor) == (4_95, 5_000 + 4_95)
