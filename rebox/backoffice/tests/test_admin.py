"""The Django admin beside the back office: superusers only, and read-only where services own
the writes (orders, stock)."""

import pytest

from rebox.backoffice.tests.conftest import PASSWORD, place_order
from rebox.catalog.models import Variant

pytestmark = pytest.mark.django_db


@pytest.fixture
def root_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", password=PASSWORD))
    return client


def test_staff_who_are_not_superusers_cannot_use_the_admin(client, agent):
    agent.is_staff = True
    agent.save()
    client.force_login(agent)

    assert client.get("/admin/").status_code == 302


def test_superusers_read_orders_stock_and_keys(root_client, store):
    order = place_order(store, "T1")
    for path in ["/admin/", f"/admin/orders/order/{order.pk}/change/", "/admin/orders/customer/",
                 "/admin/inventory/stocklevel/", "/admin/inventory/stockmovement/",
                 "/admin/core/apikey/", "/admin/core/membership/", "/admin/catalog/product/add/"]:
        assert root_client.get(path).status_code == 200, path
    assert root_client.get("/admin/orders/order/add/").status_code == 403
    assert root_client.get("/admin/inventory/stocklevel/add/").status_code == 403


def test_a_variant_added_in_the_admin_belongs_to_its_products_store(root_client, store):
    response = root_client.post("/admin/catalog/product/add/", {
        "store": store.pk, "handle": "scarf", "title": "Scarf", "description": "",
        "policy_tags": "[]",
        "variants-TOTAL_FORMS": "1", "variants-INITIAL_FORMS": "0",
        "variants-MIN_NUM_FORMS": "0", "variants-MAX_NUM_FORMS": "1000",
        "variants-0-sku": "SCARF-1", "variants-0-price_minor": "2500", "variants-0-currency": "EUR",
        "variants-0-is_active": "on",
    })

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Variant.objects.get(sku="SCARF-1").store == store
