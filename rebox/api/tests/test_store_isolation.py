"""Every API endpoint is scoped by the caller's store: another store's key gets 404 for
anything that belongs to this store. The table below must name every operation in the
OpenAPI document, so a new endpoint cannot slip in without an isolation check.

Areas add their own rows beside this file: a module ``isolation_<area>.py`` with a
``CALLS`` dict shaped like FOREIGN_CALLS and, when its calls need rows of their own, a
``prepare(api, store, owned) -> dict`` whose keys are added to ``owned`` for the paths and
a ``unchanged(store, owned)`` that asserts those rows survived the intruder."""

import importlib
import pkgutil
import uuid
from pathlib import Path

import pytest
from django.utils import timezone

from rebox.notifications.models import WebhookDelivery
from rebox.orders.models import Order
from rebox.returns.models import Return
from rebox.testing import api_client_for, make_variant, order_payload

pytestmark = pytest.mark.django_db


AREAS = [importlib.import_module(f"rebox.api.tests.{m.name}")
         for m in pkgutil.iter_modules([str(Path(__file__).parent)])
         if m.name.startswith("isolation_")]


@pytest.fixture
def owned(api, store):
    base = _owned(api, store)
    for area in AREAS:
        if hasattr(area, "prepare"):
            base.update(area.prepare(api, store, base))
    return base


def _owned(api, store):
    """One of everything, owned by ``store``."""
    make_variant(store, "OWNED-1", price_minor=1_000, stock=5)
    order = api.post("/orders", order_payload(("OWNED-1", 1, 1_000), number="OWN-1")).json()
    shipped = api.post("/orders/OWN-1/shipments", {"carrier": "dhl", "tracking_number": "OWN"})
    webhook = api.post("/webhooks", {"url": "https://own.example/hooks"}).json()
    failed = WebhookDelivery.objects.create(
        store=store, endpoint_id=webhook["id"], event_id=uuid.uuid4(), topic="order.placed",
        body="{}", status="failed", next_attempt_at=timezone.now(), created_at=timezone.now())
    # A second order, delivered (imported history: no parcels), with a return asked for.
    delivered = api.post("/orders", order_payload(("OWNED-1", 1, 1_000), number="OWN-2")).json()
    Order.objects.filter(store=store, number="OWN-2").update(status="delivered", delivered_at=timezone.now())
    ret = api.post("/returns", {"order": "OWN-2", "resolution": "refund", "method": "mail_label", "lines": [
        {"order_line_id": delivered["lines"][0]["id"], "quantity": 1, "reason": "changed_mind"}]})
    assert ret.status_code == 201, ret.content
    return {"order": order, "shipment_id": shipped.json()["shipments"][0]["id"],
            "handle": "p-owned-1", "sku": "OWNED-1", "webhook_id": webhook["id"],
            "delivery_id": failed.pk, "return_number": ret.json()["number"],
            "return_status": ret.json()["status"], "delivered_line_id": delivered["lines"][0]["id"]}


# (method, OpenAPI path) -> (path filled from ``owned``, body or None, expected status)
FOREIGN_CALLS = {
    ("get", "/api/v1/orders"): ("/orders", None, "empty"),
    ("post", "/api/v1/orders"): (
        "/orders", order_payload(("OWNED-1", 1, 1_000), currency="GBP"), 422),
    ("get", "/api/v1/orders/{number}"): ("/orders/OWN-1", None, 404),
    ("get", "/api/v1/orders/{number}/eligibility"): ("/orders/OWN-1/eligibility", None, 404),
    ("post", "/api/v1/orders/{number}/shipments"): (
        "/orders/OWN-1/shipments", {"carrier": "dhl", "tracking_number": "X"}, 404),
    ("post", "/api/v1/orders/{number}/shipments/{shipment_id}/events"): (
        "/orders/OWN-1/shipments/{shipment_id}/events",
        {"id": "e", "status": "delivered", "occurred_at": "2026-11-01T10:00:00Z"}, 404),
    ("get", "/api/v1/returns"): ("/returns", None, "empty"),
    ("post", "/api/v1/returns"): (
        "/returns", {"order": "OWN-2", "resolution": "refund", "method": "mail_label",
                     "lines": [{"order_line_id": 1, "quantity": 1, "reason": "changed_mind"}]}, 404),
    ("get", "/api/v1/returns/{number}"): ("/returns/{return_number}", None, 404),
    ("post", "/api/v1/returns/{number}/approve"): ("/returns/{return_number}/approve", {}, 404),
    ("post", "/api/v1/returns/{number}/decline"): (
        "/returns/{return_number}/decline", {"reason": "no"}, 404),
    ("post", "/api/v1/returns/{number}/cancel"): ("/returns/{return_number}/cancel", {}, 404),
    ("get", "/api/v1/categories"): ("/categories", None, "empty"),
    ("post", "/api/v1/categories"): ("/categories", {"slug": "tops", "name": "Own tops"}, 201),
    ("get", "/api/v1/suppliers"): ("/suppliers", None, "empty"),
    ("put", "/api/v1/suppliers/{code}"): (
        "/suppliers/acme", {"name": "Own", "email": "own@example.com"}, 200),
    ("get", "/api/v1/products"): ("/products", None, "empty"),
    ("post", "/api/v1/products"): (
        "/products", {"handle": "p-owned-1", "title": "Own",
                      "variants": [{"sku": "OWNED-1", "price_minor": 5}]}, 201),
    ("get", "/api/v1/products/{handle}"): ("/products/p-owned-1", None, 404),
    ("patch", "/api/v1/products/{handle}"): ("/products/p-owned-1", {"title": "Mine"}, 404),
    ("delete", "/api/v1/products/{handle}"): ("/products/p-owned-1", None, 404),
    ("post", "/api/v1/stock/movements"): (
        "/stock/movements", {"sku": "OWNED-1", "location": "main", "kind": "received",
                             "quantity": 1}, 422),
    ("get", "/api/v1/stock/{sku}"): ("/stock/OWNED-1", None, 404),
    ("get", "/api/v1/webhooks"): ("/webhooks", None, "empty"),
    ("post", "/api/v1/webhooks"): ("/webhooks", {"url": "https://intruder.example/hooks"}, 201),
    ("delete", "/api/v1/webhooks/{webhook_id}"): ("/webhooks/{webhook_id}", None, 404),
    ("get", "/api/v1/webhooks/{webhook_id}/deliveries"): (
        "/webhooks/{webhook_id}/deliveries", None, 404),
    ("post", "/api/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/retry"): (
        "/webhooks/{webhook_id}/deliveries/{delivery_id}/retry", {}, 404),
}
for _area in AREAS:
    assert not set(_area.CALLS) & set(FOREIGN_CALLS), f"{_area.__name__} repeats an operation"
    FOREIGN_CALLS.update(_area.CALLS)


def test_the_isolation_table_covers_every_api_operation(client):
    spec = client.get("/api/v1/openapi.json").json()
    operations = {(method, path) for path, item in spec["paths"].items() for method in item}

    assert operations == set(FOREIGN_CALLS)


@pytest.mark.parametrize("operation", sorted(FOREIGN_CALLS))
def test_another_stores_key_cannot_reach_this_stores_rows(operation, owned, other_store, store):
    path, body, expected = FOREIGN_CALLS[operation]
    path = path.format(**owned)
    intruder = api_client_for(other_store)
    method = operation[0]

    if method == "get":
        response = intruder.get(path)
    elif method == "post":
        response = intruder.post(path, body)
    elif method == "patch":
        response = intruder.patch(path, body)
    elif method == "delete":
        response = intruder.delete(path)
    else:
        response = intruder.client.put(f"/api/v1{path}", body, content_type="application/json",
                                       HTTP_AUTHORIZATION=f"Bearer {intruder.key}")

    if expected == "empty":
        assert response.status_code == 200
        listed = response.json()
        assert (listed["items"] if isinstance(listed, dict) else listed) == []
    else:
        assert response.status_code == expected, response.content
    # whatever the intruder did, this store's own rows are unchanged
    from rebox.catalog.models import Product

    mine = Order.objects.get(store=store, number="OWN-1")
    assert mine.status == "shipped" and mine.delivered_at is None
    assert Product.objects.get(store=store, handle="p-owned-1").title == "Item OWNED-1"
    assert WebhookDelivery.objects.get(pk=owned["delivery_id"], store=store).status == "failed"
    assert Return.objects.get(store=store, number=owned["return_number"]).status == owned["return_status"]
    for area in AREAS:
        if hasattr(area, "unchanged"):
            area.unchanged(store, owned)
