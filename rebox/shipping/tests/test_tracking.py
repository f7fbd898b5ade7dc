"""Tracking of return parcels: signed carrier webhooks and staff scans."""

import json

import pytest

from rebox.core.models import AuditEntry, OutboxEvent
from rebox.core.signatures import hmac_sha256_hex
from rebox.returns.models import Return
from rebox.shipping.models import Parcel, ParcelEvent
from rebox.shipping.tests.conftest import approve, request_return

pytestmark = pytest.mark.django_db
SECRET = "s3cret"


@pytest.fixture
def two_parcels(world, store, api, django_capture_on_commit_callbacks):
    store.webhook_secrets = {"return_tracking": SECRET}
    store.save()
    number = request_return(api, "R1", (world["lines"]["TEE"], 1), (world["lines"]["MUG"], 1))
    ret = approve(api, number, django_capture_on_commit_callbacks)
    return ret, list(Parcel.objects.filter(ret=ret))


def hook(client, body: dict, *, secret: str = SECRET, slug: str = "shop"):
    raw = json.dumps(body).encode()
    return client.post(
        f"/shipping/hooks/{slug}/tracking",
        raw,
        content_type="application/json",
        HTTP_X_REBOX_SIGNATURE="sha256=" + hmac_sha256_hex(secret, raw),
    )


def event(parcel, id_: str, status: str = "in_transit", at: str = "2026-11-02T09:00:00Z") -> dict:
    return {
        "id": id_,
        "tracking_number": parcel.tracking_number,
        "status": status,
        "occurred_at": at,
        "location": "Odense",
        "carrier": "gls",
    }


def test_the_first_carrier_scan_puts_the_return_in_transit(client, two_parcels):
    ret, (first, second) = two_parcels

    assert hook(client, event(first, "e1")).json() == {"recorded": True}

    assert Return.objects.get(pk=ret.pk).status == "in_transit"
    assert Parcel.objects.get(pk=first.pk).status == "in_transit"
    assert Parcel.objects.get(pk=second.pk).status == "created"
    moved = AuditEntry.objects.get(subject_id=ret.pk, action="return.in_transit")
    assert (moved.actor_type, moved.actor_label) == ("carrier", "gls")
    assert OutboxEvent.objects.filter(topic="parcel.in_transit", payload__parcel_id=first.pk).count() == 1

    assert hook(client, event(second, "e2")).status_code == 200  # the second parcel moves too
    assert Parcel.objects.get(pk=second.pk).status == "in_transit"
    assert AuditEntry.objects.filter(subject_id=ret.pk, action="return.in_transit").count() == 1


def test_a_repeated_event_is_recorded_once(client, two_parcels):
    _ret, (first, _second) = two_parcels
    hook(client, event(first, "e1"))
    assert hook(client, event(first, "e1")).json() == {"recorded": False}
    assert ParcelEvent.objects.filter(parcel=first).count() == 1
    assert OutboxEvent.objects.filter(topic="parcel.in_transit").count() == 1


def test_delivery_is_recorded_on_the_parcel_and_a_late_in_transit_does_not_undo_it(client, two_parcels):
    ret, (first, _second) = two_parcels
    hook(client, event(first, "e1", "delivered", "2026-11-03T09:00:00Z"))
    hook(client, event(first, "e0", "in_transit", "2026-11-02T09:00:00Z"))

    parcel = Parcel.objects.get(pk=first.pk)
    assert parcel.status == "delivered" and parcel.delivered_at.isoformat().startswith("2026-11-03")
    assert Return.objects.get(pk=ret.pk).status == "in_transit"  # received is the warehouse's scan
    assert OutboxEvent.objects.filter(topic="parcel.delivered").count() == 1


def test_an_unsigned_or_wrongly_signed_hook_changes_nothing(client, two_parcels):
    ret, (first, _second) = two_parcels
    assert hook(client, event(first, "e1"), secret="wrong").status_code == 401
    raw = json.dumps(event(first, "e1")).encode()
    assert (
        client.post("/shipping/hooks/shop/tracking", raw, content_type="application/json").status_code == 401
    )
    assert hook(client, event(first, "e1"), slug="other").status_code == 404
    assert not ParcelEvent.objects.exists() and Return.objects.get(pk=ret.pk).status == "approved"


def test_a_bad_event_names_its_fields(client, two_parcels):
    _ret, (first, _second) = two_parcels
    response = hook(
        client, {"tracking_number": first.tracking_number, "status": "lost", "occurred_at": "soon"}
    )
    fields = {e["field"] for e in response.json()["errors"]}
    assert response.status_code == 422 and fields == {"id", "status", "occurred_at"}


def test_staff_scan_through_the_api(api, two_parcels):
    ret, (first, _second) = two_parcels
    path = f"/returns/{ret.number}/parcels/{first.pk}/events"
    body = {
        "id": "scan-1",
        "status": "in_transit",
        "occurred_at": "2026-11-02T09:00:00+01:00",
        "location": "Shop counter",
    }

    response = api.post(path, body, idempotency_key="scan-1")
    assert response.status_code == 200 and response.json()["recorded"] is True
    assert response.json()["parcel"]["status"] == "in_transit"
    assert Return.objects.get(pk=ret.pk).status == "in_transit"
    assert api.post(path, {**body, "id": "scan-1"}).json()["recorded"] is False
    assert api.post(f"/returns/{ret.number}/parcels/999999/events", body).status_code == 404
