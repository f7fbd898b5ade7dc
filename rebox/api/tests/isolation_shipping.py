"""Store isolation rows for the shipping operations (see test_store_isolation.py)."""

from rebox.returns.models import Return
from rebox.shipping.models import Label, Parcel, ParcelEvent
from rebox.shipping.services import parcels_plan

SCAN = {"id": "intruder-1", "status": "in_transit", "occurred_at": "2026-11-01T10:00:00Z"}

CALLS = {
    ("get", "/api/v1/returns/{number}/parcels"): ("/returns/{return_number}/parcels", None, 404),
    ("get", "/api/v1/returns/{number}/parcels/{parcel_id}/label"): (
        "/returns/{return_number}/parcels/{parcel_id}/label",
        None,
        404,
    ),
    ("post", "/api/v1/returns/{number}/parcels/{parcel_id}/retry-label"): (
        "/returns/{return_number}/parcels/{parcel_id}/retry-label",
        {},
        404,
    ),
    ("post", "/api/v1/returns/{number}/parcels/{parcel_id}/events"): (
        "/returns/{return_number}/parcels/{parcel_id}/events",
        SCAN,
        404,
    ),
}


def prepare(api, store, owned) -> dict:
    ret = Return.objects.get(store=store, number=owned["return_number"])
    (parcel,) = parcels_plan(ret=ret)
    Label.objects.filter(parcel=parcel).update(status="failed", last_error="kept for the test")
    return {"parcel_id": parcel.pk}


def unchanged(store, owned) -> None:
    parcel = Parcel.objects.get(pk=owned["parcel_id"], store=store)
    assert parcel.status == "created" and not ParcelEvent.objects.filter(parcel=parcel).exists()
    assert Label.objects.get(parcel=parcel).status == "failed"
