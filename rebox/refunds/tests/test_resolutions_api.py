"""The money side of returns through the API, as an integrator or a helpdesk tool uses it:
what a return pays back, resolving it, following and repairing its refunds, goodwill, an
exchange's difference paid by hand, store credit given with a reason."""

import pytest

from rebox.core.actors import Actor
from rebox.core.models import AuditEntry
from rebox.orders.models import Customer
from rebox.refunds.exchanges import Wanted, exchange_choose
from rebox.refunds.models import Goodwill, Refund
from rebox.refunds.services import refund_execute
from rebox.refunds.tests.test_exchanges import approve, exchange_request
from rebox.refunds.tests.test_resolution import _inspect, _request
from rebox.returns.models import Acceptance, Return
from rebox.returns.tests.helpers import delivered_order
from rebox.testing import make_variant

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspected(api, store):
    """R1 (2 × TEE 200.00, 1 × MUG 150.00, card ch_1): both TEEs back, one accepted, one
    accepted with a 25 % deduction; inspected, not yet paid."""
    lines = delivered_order(api, store, number="R1")
    ret = _request(api, "R1", (lines["TEE"], 2))
    return _inspect(ret, (Acceptance.ACCEPTED, 0), (Acceptance.PARTLY, 25))


def _failed_refund(api, inspected) -> Refund:
    """Resolve through the API; the store has no gateway account, so paying it fails."""
    assert api.post(f"/returns/{inspected.number}/resolve", {}).status_code == 200
    refund = Refund.objects.get(ret=inspected)
    assert refund_execute(refund.pk) == "failed"
    return refund


def test_the_refund_plan_shows_value_deduction_fees_and_refund_per_line(api, inspected):
    plan = api.get(f"/returns/{inspected.number}/refund-plan")

    assert plan.status_code == 200
    body = plan.json()
    [line] = body["lines"]
    assert (line["sku"], line["quantity"], line["value_minor"], line["deduction_minor"],
            line["refund_minor"]) == ("TEE", 2, 40_000, 5_000, 35_000 - line["fees_minor"])
    assert body["total_minor"] == line["refund_minor"] + body["delivery_minor"]
    assert [(t["method"], t["amount_minor"]) for t in body["tenders"]] == [("card", body["total_minor"])]
    assert body["currency"] == "EUR" and body["resolution"] == "refund"


def test_resolving_an_inspected_return_creates_its_refund_once(api, inspected):
    first = api.post(f"/returns/{inspected.number}/resolve", {}, idempotency_key="resolve-1")
    again = api.post(f"/returns/{inspected.number}/resolve", {}, idempotency_key="resolve-1")

    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert first.json()["status"] == "resolved"
    [refund] = first.json()["refunds"]
    assert (refund["amount_minor"], refund["currency"], refund["status"]) == (35_000, "EUR", "pending")
    assert refund["lines"][0]["sku"] == "TEE" and refund["lines"][0]["amount_minor"] == 35_000
    assert Refund.objects.filter(ret=inspected).count() == 1


def test_a_return_not_yet_inspected_cannot_be_resolved_and_nothing_is_paid(api, store):
    lines = delivered_order(api, store, number="R1")
    ret = _request(api, "R1", (lines["MUG"], 1))

    response = api.post(f"/returns/{ret.number}/resolve", {})

    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert not Refund.objects.filter(ret=ret).exists()
    assert Return.objects.get(pk=ret.pk).status == ret.status


def test_one_refund_shows_its_gateway_attempts_and_error(api, inspected):
    refund = _failed_refund(api, inspected)

    body = api.get(f"/refunds/{refund.number}").json()

    assert (body["number"], body["order"], body["return"]) == (refund.number, "R1", inspected.number)
    assert (body["status"], body["attempts"], body["gateway"]) == ("failed", 1, "stripe")
    assert "no gateway account" in body["last_error"]
    assert body["payment_method"] == "card" and body["reference"] == ""


def test_an_agent_retries_a_failed_refund_but_not_one_already_waiting(api, inspected):
    refund = _failed_refund(api, inspected)

    retried = api.post(f"/refunds/{refund.number}/retry", {})
    twice = api.post(f"/refunds/{refund.number}/retry", {})

    assert retried.status_code == 200 and retried.json()["status"] == "pending"
    assert twice.status_code == 409 and "only a failed refund" in twice.json()["detail"]
    assert AuditEntry.objects.filter(action="refund.retried", actor_label__contains="tests").count() == 1


def test_a_failed_refund_paid_another_way_needs_a_reference(api, inspected):
    refund = _failed_refund(api, inspected)

    blank = api.post(f"/refunds/{refund.number}/manual", {"reference": " "})
    paid = api.post(f"/refunds/{refund.number}/manual", {"reference": "bank transfer 2026-11-03"})

    assert blank.status_code == 422 and blank.json()["errors"][0]["field"] == "reference"
    assert paid.status_code == 200
    assert (paid.json()["status"], paid.json()["gateway"], paid.json()["reference"]) == (
        "succeeded", "manual", "bank transfer 2026-11-03")


def test_refunds_are_listed_newest_first_filtered_and_a_page_at_a_time(api, store, inspected):
    api.post(f"/returns/{inspected.number}/resolve", {})
    lines = delivered_order(api, store, number="R2")
    other = _inspect(_request(api, "R2", (lines["MUG"], 1)))
    api.post(f"/returns/{other.number}/resolve", {})
    refund_execute(Refund.objects.get(ret=other).pk)  # fails: no gateway account

    first = api.get("/refunds", limit=1).json()
    second = api.get("/refunds", limit=1, cursor=first["next_cursor"]).json()
    failed = api.get("/refunds", status="failed").json()["items"]
    by_return = api.get("/refunds", **{"return": inspected.number}).json()["items"]
    by_order = api.get("/refunds", order="R2").json()["items"]

    assert [first["items"][0]["return"], second["items"][0]["return"]] == [other.number, inspected.number]
    assert second["next_cursor"] is None
    assert [r["return"] for r in failed] == [other.number]
    assert [r["return"] for r in by_return] == [inspected.number]
    assert [r["order"] for r in by_order] == ["R2"]


def test_the_order_money_view_adds_up_after_a_refund(api, inspected):
    api.post(f"/returns/{inspected.number}/resolve", {})

    money = api.get("/orders/R1/money").json()

    assert (money["paid_minor"], money["pending_minor"], money["kept_minor"]) == (55_000, 35_000, 5_000)
    assert money["difference_minor"] == 0 and money["reconciles"] is True
    assert money["returns"][0]["number"] == inspected.number


def test_goodwill_discount_code_is_granted_once_per_idempotency_key(api, inspected):
    body = {"kind": "discount_code", "percent": 15, "why": "second late parcel this year"}

    first = api.post(f"/returns/{inspected.number}/goodwill", body, idempotency_key="gw-1")
    again = api.post(f"/returns/{inspected.number}/goodwill", body, idempotency_key="gw-1")

    assert first.status_code == again.status_code == 201
    assert first.json()["code"].startswith("GW") and first.json() == again.json()
    assert first.json()["granted_by"] == "API key tests" and first.json()["percent"] == 15
    assert Goodwill.objects.count() == 1


def test_goodwill_is_refused_field_by_field_without_a_reason_or_a_known_kind(api, inspected):
    no_why = api.post(f"/returns/{inspected.number}/goodwill", {"kind": "discount_code", "percent": 10,
                                                                "why": " "})
    no_kind = api.post(f"/returns/{inspected.number}/goodwill", {"kind": "voucher", "why": "sorry"})

    assert no_why.status_code == 422 and [e["field"] for e in no_why.json()["errors"]] == ["why"]
    assert no_kind.status_code == 422 and no_kind.json()["errors"][0]["field"] == "kind"
    assert not Goodwill.objects.exists()


def test_goodwill_full_refund_pays_back_what_inspection_kept(api, inspected):
    api.post(f"/returns/{inspected.number}/resolve", {})

    grant = api.post(f"/returns/{inspected.number}/goodwill", {"kind": "full_refund",
                                                               "why": "seam tore twice"})

    assert grant.status_code == 201 and grant.json()["amount_minor"] == 5_000
    assert sorted(r.amount_minor for r in Refund.objects.filter(ret=inspected)) == [5_000, 35_000]


def test_goodwill_free_replacement_sends_the_returned_item_again(api, inspected):
    grant = api.post(f"/returns/{inspected.number}/goodwill", {"kind": "free_replacement",
                                                               "why": "arrived broken twice"})

    assert grant.status_code == 201
    replacement = Goodwill.objects.get().replacement
    assert grant.json()["replacement"] == replacement.number
    assert [(line.sku, line.total_minor) for line in replacement.lines.all()] == [("TEE", 0)]


def test_an_agent_confirms_an_exchange_difference_paid_by_bank_transfer(api, store):
    lamp = make_variant(store, "LAMP", price_minor=19_000, stock=3, category="home")
    lines = delivered_order(api, store, number="R1")
    ret = approve(exchange_request(api, "R1", lines["MUG"], 1))
    exchange_choose(ret=ret, wanted=[Wanted(lamp.pk, 1)], actor=Actor.customer("ana@example.com"))
    path = f"/returns/{ret.number}/exchange/confirm-payment"

    wrong = api.post(path, {"reference": "bank 991", "amount_minor": 1})
    paid = api.post(path, {"reference": "bank 991", "amount_minor": 4_000})
    told_again = api.post(path, {"reference": "bank 991", "amount_minor": 4_000})

    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "amount_minor"
    assert paid.status_code == told_again.status_code == 200
    assert (paid.json()["status"], paid.json()["paid_reference"]) == ("ready", "bank 991")
    assert AuditEntry.objects.filter(action="exchange.difference_paid").count() == 1


def test_confirming_a_payment_on_a_return_without_exchange_is_not_found(api, inspected):
    response = api.post(f"/returns/{inspected.number}/exchange/confirm-payment",
                        {"reference": "x", "amount_minor": 1})

    assert response.status_code == 404


def test_store_credit_is_given_and_corrected_with_a_reason(api, store):
    Customer.objects.create(store=store, email="ana@example.com", name="Ana")

    given = api.post("/credits", {"email": "Ana@Example.com", "amount_minor": 2_000,
                                  "why": "courier lost the first parcel"}, idempotency_key="c-1")
    replayed = api.post("/credits", {"email": "Ana@Example.com", "amount_minor": 2_000,
                                     "why": "courier lost the first parcel"}, idempotency_key="c-1")
    too_much = api.post("/credits", {"email": "ana@example.com", "amount_minor": -2_001,
                                     "kind": "adjustment", "why": "typo"})
    corrected = api.post("/credits", {"email": "ana@example.com", "amount_minor": -500,
                                      "kind": "adjustment", "why": "typo in the amount"})

    assert given.status_code == 201 and given.json()["balance_minor"] == 2_000
    assert replayed.json() == given.json()
    assert too_much.status_code == 409
    assert corrected.status_code == 201 and corrected.json()["balance_minor"] == 1_500
    assert api.get(f"/credits/{given.json()['code']}").json()["balance_minor"] == 1_500


def test_store_credit_for_an_unknown_customer_or_without_a_reason_is_refused(api, store):
    Customer.objects.create(store=store, email="ana@example.com", name="Ana")

    nobody = api.post("/credits", {"email": "who@example.com", "amount_minor": 100, "why": "sorry"})
    no_why = api.post("/credits", {"email": "ana@example.com", "amount_minor": 100, "why": ""})

    assert nobody.status_code == 404
    assert no_why.status_code == 422 and no_why.json()["errors"][0]["field"] == "why"
