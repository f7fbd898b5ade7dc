"""The SQL-generated orders read back like orders the API accepted (PostgreSQL only)."""

import pytest

from rebox.bench import dataset
from rebox.orders.selectors import order_get
from rebox.orders.serializers import order_detail

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def small(monkeypatch):
    monkeypatch.setattr(dataset, "SKU_COUNT", 5)
    monkeypatch.setattr(dataset, "CUSTOMER_COUNT", 7)


def test_generated_orders_have_lines_payments_shipments_and_events(small):
    data = dataset.dataset_prepare(orders=20, say=lambda text: None)

    order = order_get(store=dataset.Store.objects.get(pk=data.store_id), number="B0000013")
    body = order_detail(order)

    assert body["total_minor"] == sum(line["total_minor"] for line in body["lines"]) == 4500
    assert [line["position"] for line in body["lines"]] == [0, 1, 2]
    assert all(line["shipped_quantity"] == line["quantity"] for line in body["lines"])
    assert [p["amount_minor"] for p in body["payments"]] == [body["total_minor"]]
    assert [e["status"] for e in body["shipments"][0]["events"]] == ["in_transit", "delivered"]
    assert body["email"] == order.customer.email
    assert order.pk == data.first_order_id + 12


def test_a_second_prepare_keeps_the_stored_orders(small):
    first = dataset.dataset_prepare(orders=20, say=lambda text: None)
    again = dataset.dataset_prepare(orders=20, say=lambda text: None)

    assert again.first_order_id == first.first_order_id
    assert again.api_key != first.api_key
