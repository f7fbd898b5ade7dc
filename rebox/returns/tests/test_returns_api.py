"""Returns through /api/v1/returns: asked for, checked against the ledger, moved by the table."""

import pytest

from rebox.core.models import AuditEntry, OutboxEvent
from rebox.returns.models import Return, ReturnLine
from rebox.returns.tests.helpers import delivered_order, return_body
from rebox.testing import api_client_for

pytestmark = pytest.mark.django_db


def test_a_return_is_requested_with_an_unguessable_number_and_published(api, store):
    lines = delivered_order(api, store)

    response = api.post("/returns", return_body("R1", (lines["TEE"], 1)))

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "requested"
    assert len(body["number"]) == 10 and body["number"].isalnum()
    assert body["lines"][0]["basis"] == "change_of_mind"
    assert (body["lines"][0]["reception"], body["lines"][0]["acceptance"]) == ("awaiting", "pending")
    assert body["policy_version"] == 1
    ret = Return.objects.get(number=body["number"])
    assert OutboxEvent.objects.filter(topic="return.requested", subject_id=ret.pk).count() == 1
    assert AuditEntry.objects.filter(subject_type="return", subject_id=ret.pk).count() == 1


def test_a_defect_reason_gives_the_defect_basis(api, store):
    lines = delivered_order(api, store)

    body = api.post("/returns", return_body("R1", (lines["MUG"], 1), reason="defective")).json()

    assert body["lines"][0]["basis"] == "defect"


def test_refuses_more_than_delivered_minus_earlier_returns_and_stores_nothing(api, store):
    lines = delivered_order(api, store, tee=2)
    assert api.post("/returns", return_body("R1", (lines["TEE"], 1))).status_code == 201

    response = api.post("/returns", return_body("R1", (lines["MUG"], 1), (lines["TEE"], 2)))

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["lines[1].quantity"]
    assert Return.objects.count() == 1 and ReturnLine.objects.count() == 1


def test_a_cancelled_return_gives_its_units_back(api, store):
    lines = delivered_order(api, store, tee=1)
    first = api.post("/returns", return_body("R1", (lines["TEE"], 1))).json()
    assert api.post("/returns", return_body("R1", (lines["TEE"], 1))).status_code == 422

    assert api.post(f"/returns/{first['number']}/cancel", {}).status_code == 200

    assert api.post("/returns", return_body("R1", (lines["TEE"], 1))).status_code == 201


def test_rejects_line_outside_return_window(api, store):
    lines = delivered_order(api, store, days_ago=60)

    response = api.post("/returns", return_body("R1", (lines["TEE"], 1)))

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "lines[0]"
    assert not Return.objects.exists()


def test_rejects_a_resolution_or_method_the_policy_does_not_offer(api, store):
    lines = delivered_order(api, store)

    response = api.post("/returns", return_body("R1", (lines["TEE"], 1), method="courier_pickup"))

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "method"


def test_another_stores_order_is_not_found(api, store, other_store):
    lines = delivered_order(api, store)
    intruder = api_client_for(other_store)

    response = intruder.post("/returns", return_body("R1", (lines["TEE"], 1)))

    assert response.status_code == 404
    assert not Return.objects.exists()


def test_the_same_idempotency_key_creates_one_return(api, store):
    lines = delivered_order(api, store)
    body = return_body("R1", (lines["TEE"], 1))

    first = api.post("/returns", body, idempotency_key="ret-1")
    again = api.post("/returns", body, idempotency_key="ret-1")
    other = api.post("/returns", return_body("R1", (lines["MUG"], 1)), idempotency_key="ret-1")

    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    assert other.status_code == 409
    assert Return.objects.count() == 1


def test_approve_then_decline_is_a_409_naming_the_current_status(api, store):
    lines = delivered_order(api, store)
    number = api.post("/returns", return_body("R1", (lines["TEE"], 1))).json()["number"]

    approved = api.post(f"/returns/{number}/approve", {}, idempotency_key="a-1")
    declined = api.post(f"/returns/{number}/decline", {"reason": "worn"})

    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert declined.status_code == 409
    assert "is approved" in declined.json()["detail"]
    assert Return.objects.get(number=number).status == "approved"
    assert OutboxEvent.objects.filter(topic="return.approved").count() == 1


def test_a_declined_return_carries_the_reason_the_customer_sees(api, store):
    lines = delivered_order(api, store)
    number = api.post("/returns", return_body("R1", (lines["TEE"], 1))).json()["number"]

    body = api.post(f"/returns/{number}/decline", {"reason": "Worn and washed"}).json()

    assert (body["status"], body["decline_reason"]) == ("declined", "Worn and washed")
    assert api.post(f"/returns/{number}/cancel", {}).status_code == 409


def test_lists_filter_by_status_and_order_and_page_by_cursor(api, store):
    lines = delivered_order(api, store, tee=3)
    numbers = [api.post("/returns", return_body("R1", (lines["TEE"], 1))).json()["number"]
               for _ in range(3)]
    api.post(f"/returns/{numbers[0]}/approve", {})

    first = api.get("/returns", limit=2).json()
    second = api.get("/returns", limit=2, cursor=first["next_cursor"]).json()

    assert [r["number"] for r in first["items"] + second["items"]] == numbers[::-1]
    assert second["next_cursor"] is None
    assert [r["number"] for r in api.get("/returns", status="approved").json()["items"]] == [numbers[0]]
    assert api.get("/returns", order="NOPE").json()["items"] == []
    assert api.get(f"/returns/{numbers[1].lower()}").json()["number"] == numbers[1]
