"""A store with two warehouses, a dropship supplier and a delivered order to return."""

import pytest

from rebox.catalog.models import Supplier
from rebox.core.models import Address
from rebox.returns.models import Return
from rebox.returns.tests.helpers import delivered_order, return_body
from rebox.shipping.models import Destination, DestinationKind
from rebox.testing import make_variant

SUPPLIER_ADDRESS = {
    "name": "Acme Returns",
    "line1": "Fabriksvej 9",
    "city": "Odense",
    "postal_code": "5000",
    "country": "DK",
}


@pytest.fixture
def world(store, api):
    """TEE (tops) restocked by the DK warehouse, MUG (home) by nobody, LAMP dropshipped by Acme."""
    Address.objects.create(
        store=store,
        label="HQ",
        name="Shop HQ",
        line1="Hovedgade 1",
        city="Aarhus",
        postal_code="8000",
        country="DK",
        is_default=True,
    )
    se = Destination.objects.create(
        store=store,
        code="se",
        name="Malmö DC",
        kind=DestinationKind.WAREHOUSE,
        country="SE",
        restocks=["tops"],
        position=0,
        address={
            "name": "Malmö DC",
            "line1": "Lagergatan 2",
            "city": "Malmö",
            "postal_code": "21120",
            "country": "SE",
        },
    )
    dk = Destination.objects.create(
        store=store,
        code="dk",
        name="Køge DC",
        kind=DestinationKind.WAREHOUSE,
        country="DK",
        restocks=["tops"],
        position=1,
        address={
            "name": "Køge DC",
            "line1": "Lagervej 5",
            "city": "Køge",
            "postal_code": "4600",
            "country": "DK",
        },
    )
    acme = Supplier.objects.create(
        store=store, code="acme", name="Acme", email="returns@acme.example", return_address=SUPPLIER_ADDRESS
    )
    lines = delivered_order(api, store, number="R1")
    make_variant(store, "LAMP", price_minor=30_000, stock=5, category="lighting", supplier=acme)
    return {"se": se, "dk": dk, "acme": acme, "lines": lines}


def request_return(api, order: str, *lines, method: str = "mail_label") -> str:
    response = api.post("/returns", return_body(order, *lines, method=method))
    assert response.status_code == 201, response.content
    return response.json()["number"]


def approve(api, number: str, capture) -> Return:
    """Approve, then hand the ``return.approved`` event to the shipping handler alone (other
    apps' handlers are not under test here), running the label jobs it queues."""
    from rebox.core.models import OutboxEvent
    from rebox.shipping.handlers import plan_parcels

    ret = Return.objects.get(number=number)
    if ret.status == "requested":
        assert api.post(f"/returns/{number}/approve", {}).status_code == 200
    event = OutboxEvent.objects.get(topic="return.approved", subject_id=ret.pk)
    with capture(execute=True):
        plan_parcels(event)
    return Return.objects.get(number=number)


def dropship_order(api, store, number: str = "D1") -> dict:
    """An order with a TEE and a LAMP (Acme dropship), delivered."""
    from datetime import timedelta

    from django.utils import timezone

    from rebox.testing import order_payload

    body = order_payload(("TEE", 1, 20_000), ("LAMP", 1, 30_000), number=number)
    body["placed_at"] = (timezone.now() - timedelta(days=5)).isoformat()
    assert api.post("/orders", body).status_code == 201
    shipment = api.post(f"/orders/{number}/shipments", {"carrier": "dhl", "tracking_number": number})
    api.post(
        f"/orders/{number}/shipments/{shipment.json()['shipments'][0]['id']}/events",
        {
            "id": f"d-{number}",
            "status": "delivered",
            "occurred_at": (timezone.now() - timedelta(days=3)).isoformat(),
        },
    )
    return {line["sku"]: line["id"] for line in api.get(f"/orders/{number}").json()["lines"]}
