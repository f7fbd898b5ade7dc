"""Receiving, inspection and disposition through /api/v1, as a scanner device would."""

import pytest

from rebox.inventory.models import MovementKind, StockMovement
from rebox.returns.models import ReturnUnit
from rebox.returns.tests.test_receiving import barcode, return_on_its_way

pytestmark = pytest.mark.django_db


def test_a_parcel_is_scanned_completed_inspected_and_restocked_through_the_api(api, store):
    ret = return_on_its_way(api, store, tee=2, mug=0)
    path = f"/returns/{ret.number.lower()}"

    scanned = api.post(f"{path}/receive", {"barcode": barcode(store, "TEE"), "quantity": 2},
                       idempotency_key="scan-1")
    assert scanned.status_code == 200, scanned.content
    assert scanned.json()["scan"]["counted"] == 2
    completed = api.post(f"{path}/receiving/complete", {}, idempotency_key="done-1").json()
    assert completed["status"] == "received"
    first, second = completed["lines"][0]["units"]
    for unit in (first, second):
        inspected = api.post(f"{path}/units/{unit['id']}/inspect",
                             {"grade": "A", "acceptance": "accepted", "checklist": {"tags_attached": True}})
        assert inspected.status_code == 200, inspected.content
    assert inspected.json()["status"] == "inspected"
    assert inspected.json()["lines"][0]["acceptance"] == "accepted"

    disposed = api.post(f"{path}/units/{first['id']}/dispose",
                        {"disposition": "restock", "value_recovered_minor": 20_000}, idempotency_key="d-1")
    assert disposed.status_code == 200
    assert disposed.json()["lines"][0]["units"][0]["location"] == "main"
    again = api.post(f"{path}/units/{first['id']}/dispose",
                     {"disposition": "restock", "value_recovered_minor": 20_000})
    assert again.status_code == 409
    assert StockMovement.objects.filter(kind=MovementKind.RETURNED_TO_STOCK).count() == 1


def test_a_resent_scan_with_the_same_idempotency_key_counts_once(api, store):
    ret = return_on_its_way(api, store)
    path = f"/returns/{ret.number}/receive"

    first = api.post(path, {"barcode": "TEE"}, idempotency_key="scan-7")
    replay = api.post(path, {"barcode": "TEE"}, idempotency_key="scan-7")

    assert first.json() == replay.json()
    assert ReturnUnit.objects.filter(line__ret=ret).count() == 1
    reused = api.post(path, {"barcode": "MUG"}, idempotency_key="scan-7")
    assert reused.status_code == 409


def test_exceptions_are_visible_on_the_parcel(api, store):
    ret = return_on_its_way(api, store, tee=1, mug=0)
    api.post(f"/returns/{ret.number}/receive", {"barcode": "TEE", "quantity": 2})
    api.post(f"/returns/{ret.number}/receive", {"barcode": "NO-SUCH-THING"})

    body = api.get(f"/returns/{ret.number}/receiving").json()

    assert [(e["kind"], e["barcode"]) for e in body["exceptions"]] == [
        ("unexpected", "TEE"), ("unexpected", "NO-SUCH-THING")]


def test_bad_input_is_a_problem_with_field_errors(api, store):
    ret = return_on_its_way(api, store)
    path = f"/returns/{ret.number}"

    too_many = api.post(f"{path}/receive", {"barcode": "TEE", "quantity": 0})
    early = api.post(f"{path}/receiving/complete", {})
    api.post(f"{path}/receive", {"barcode": "TEE"})
    api.post(f"{path}/receiving/complete", {})
    unit = ReturnUnit.objects.get(line__ret=ret)
    rejected = api.post(f"{path}/units/{unit.pk}/inspect", {"grade": "B", "acceptance": "rejected"})
    unknown = api.post(f"{path}/units/999999/inspect", {"grade": "B", "acceptance": "accepted"})

    assert too_many.status_code == 422 and too_many.json()["errors"][0]["field"] == "quantity"
    assert early.status_code == 409 and "Nothing was scanned" in early.json()["detail"]
    assert rejected.status_code == 422
    assert rejected.headers["Content-Type"] == "application/problem+json"
    assert [e["field"] for e in rejected.json()["errors"]] == ["rejection_reason"]
    assert unknown.status_code == 404
