"""The whole return journey through /api/v1 alone, as an integrator (storefront, helpdesk,
warehouse scanner) would drive it: order, delivery, return of two lines, a photo, approval,
the label, the carrier's scan, receiving, inspection, restocking, and the refund.

Every POST carries an Idempotency-Key; resending one request with its key changes nothing
and answers the same. Transactional, so events reach their handlers after each commit (the
label is bought on approval, the refund is decided after inspection), as in production.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from rebox.portal.tests.journey import policy_governs_past_orders
from rebox.refunds.models import Refund
from rebox.returns.models import Evidence, Return, ReturnUnit
from rebox.returns.tests.journeys.shop import (
    DRESS_PRICE,
    SNEAKER_PRICE,
    available,
    jpeg_bytes,
    ok,
    order_delivered,
    pdf_text,
    return_requested,
)
from rebox.testing import api_client_for

pytestmark = pytest.mark.django_db(transaction=True)


def photo_posted(api, number: str, line_id: int, *, key: str):
    return api.client.post(
        f"/api/v1/returns/{number}/evidence",
        {"file": SimpleUploadedFile("sole.jpg", jpeg_bytes(), content_type="image/jpeg"), "line_id": line_id},
        HTTP_AUTHORIZATION=f"Bearer {api.key}", HTTP_IDEMPOTENCY_KEY=key)


def label_downloaded(api, number: str) -> dict:
    """The return's one parcel, once its label is ready; its label is a PDF."""
    parcels = ok(api.get(f"/returns/{number}/parcels"))["items"]
    assert [(p["label_status"], p["label_document"]) for p in parcels] == [("ready", "label")]
    assert sorted(line["sku"] for line in parcels[0]["lines"]) == ["DRESS-M", "SNEAKER-40"]
    label = api.get(f"/returns/{number}/parcels/{parcels[0]['id']}/label")
    assert label.status_code == 200 and label["Content-Type"] == "application/pdf"
    words = pdf_text(b"".join(label.streaming_content))
    assert f"RETURN {number}" in words and "DRESS-M" in words and "SNEAKER-40" in words
    return parcels[0]


def received(api, number: str, barcodes: list[str]) -> dict:
    for index, code in enumerate(barcodes):
        scan = ok(api.post(f"/returns/{number}/receive", {"barcode": code}, idempotency_key=f"scan-{index}"))
        assert scan["scan"]["counted"] == 1
    return ok(api.post(f"/returns/{number}/receiving/complete", {"why": "both items in the box"},
                       idempotency_key="complete"))


def test_a_return_goes_from_order_to_refund_through_the_api_alone(lumen, settings):
    api = api_client_for(lumen)
    policy_governs_past_orders(lumen)
    lines = order_delivered(api, "A100")

    created = return_requested(api, "A100", lines, key="return-A100")
    number = created["number"]
    assert created["status"] == "requested" and len(created["lines"]) == 2
    replayed = api.post("/returns", {"order": "A100", "resolution": "refund", "method": "mail_label",
                                     "lines": [{"order_line_id": lines["DRESS-M"], "quantity": 1,
                                                "reason": "too_small"},
                                               {"order_line_id": lines["SNEAKER-40"], "quantity": 1,
                                                "reason": "defective",
                                                "comment": "the sole came loose after a week"}]},
                        idempotency_key="return-A100")
    assert (replayed.status_code, replayed.json()) == (201, created)
    assert Return.objects.filter(store=lumen).count() == 1

    sneaker_line = next(line["id"] for line in created["lines"] if line["sku"] == "SNEAKER-40")
    photo = ok(photo_posted(api, number, sneaker_line, key="photo-1"), 201)
    assert (photo["content_type"], photo["width"], photo["height"]) == ("image/jpeg", 320, 240)
    ok(photo_posted(api, number, sneaker_line, key="photo-1"), 201)
    assert Evidence.objects.filter(ret__number=number).count() == 1

    approved = ok(api.post(f"/returns/{number}/approve", {"why": "defect photo is clear"},
                           idempotency_key="approve"))
    assert approved["status"] == "approved"
    parcel = label_downloaded(api, number)

    scanned = ok(api.post(f"/returns/{number}/parcels/{parcel['id']}/events",
                          {"id": "gls-ret-1", "status": "in_transit", "location": "GLS Pakkeshop Nørreport",
                           "occurred_at": timezone.now().isoformat()}, idempotency_key="carrier-1"))
    assert scanned["recorded"] and scanned["parcel"]["status"] == "in_transit"
    assert ok(api.get(f"/returns/{number}"))["status"] == "in_transit"

    barcodes = [line["barcode"] for line in ok(api.get(f"/returns/{number}/receiving"))["lines"]]
    completed = received(api, number, barcodes)
    assert completed["status"] == "received"
    assert [line["quantity_received"] for line in completed["lines"]] == [1, 1]
    assert not Refund.objects.exists()  # receiving pays nobody

    dress_before = available(api, "DRESS-M")
    units = {line["sku"]: line["units"][0]["id"] for line in completed["lines"]}
    for sku, unit in units.items():
        inspected = ok(api.post(f"/returns/{number}/units/{unit}/inspect",
                                {"grade": "A", "acceptance": "accepted"}, idempotency_key=f"inspect-{sku}"))
    assert [line["acceptance"] for line in inspected["lines"]] == ["accepted", "accepted"]
    disposed = ok(api.post(f"/returns/{number}/units/{units['DRESS-M']}/dispose",
                           {"disposition": "restock", "value_recovered_minor": DRESS_PRICE},
                           idempotency_key="restock-dress"))
    assert disposed["lines"][0]["units"][0]["disposition"] == "restock"
    assert available(api, "DRESS-M") == dress_before + 1

    final = ok(api.get(f"/returns/{number}"))
    assert final["status"] == "resolved"  # the store pays back after inspection (the default)
    refund = Refund.objects.get(ret__number=number)
    assert refund.amount_minor == DRESS_PRICE + SNEAKER_PRICE
    assert ReturnUnit.objects.filter(line__ret__number=number, mismatch__gt="").count() == 1


def test_a_replayed_action_changes_nothing_and_a_reused_key_is_a_conflict(lumen):
    api = api_client_for(lumen)
    policy_governs_past_orders(lumen)
    lines = order_delivered(api, "A200")
    number = return_requested(api, "A200", lines, key="return-A200")["number"]

    first = ok(api.post(f"/returns/{number}/approve", {}, idempotency_key="approve-A200"))
    again = ok(api.post(f"/returns/{number}/approve", {}, idempotency_key="approve-A200"))
    reused = api.post(f"/returns/{number}/cancel", {"why": "changed my mind"}, idempotency_key="approve-A200")
    twice = api.post(f"/returns/{number}/approve", {}, idempotency_key="approve-A200-bis")

    assert first == again
    assert reused.status_code == 409 and Return.objects.get(number=number).status == "approved"
    assert twice.status_code == 409 and "approved" in twice.json()["detail"]
