"""The one-statement JSON of an order is the same document as the ORM serializer's."""

import json

import pytest
from django.utils import timezone

from rebox.orders import detail_sql
from rebox.orders.selectors import order_get
from rebox.orders.serializers import order_detail
from rebox.testing import make_variant, order_payload

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_the_sql_document_equals_the_serializer_for_an_order_with_everything(api, store):
    make_variant(store, "A", price_minor=1_000, stock=5)
    make_variant(store, "B", price_minor=250, stock=5)
    body = order_payload(("A", 2, 1_000), ("B", 3, 250), number="FULL", shipping_minor=490)
    body["payments"] = [{"method": "card", "amount_minor": 2_000, "gateway": "stripe", "reference": "c"},
                        {"method": "gift_card", "amount_minor": 1_240}]
    assert api.post("/orders", body).status_code == 201
    order = order_get(store=store, number="FULL")
    b_line = order.lines.get(sku="B")
    first = api.post("/orders/FULL/shipments", {"carrier": "dhl", "tracking_number": "P1",
                                                "lines": {str(b_line.pk): 1}}).json()["shipments"][0]
    api.post("/orders/FULL/shipments", {"carrier": "gls", "tracking_number": "P2"})
    for i, status in enumerate(("in_transit", "delivered")):
        api.post(f"/orders/FULL/shipments/{first['id']}/events",
                 {"id": f"e{i}", "status": status, "occurred_at": timezone.now().isoformat(),
                  "location": "Hub", "description": f"step {i}"})

    from_sql = json.loads(detail_sql.order_detail_json(store_id=store.pk, number="FULL"))
    from_orm = order_detail(order_get(store=store, number="FULL"))

    assert from_sql == from_orm
    assert len(from_sql["shipments"]) == 2 and len(from_sql["shipments"][0]["events"]) == 2


def test_an_order_of_another_store_is_not_found(store, other_store, api):
    make_variant(store, "A", price_minor=1_000, stock=5)
    api.post("/orders", order_payload(("A", 1, 1_000), number="MINE"))

    assert detail_sql.order_detail_json(store_id=other_store.pk, number="MINE") is None
