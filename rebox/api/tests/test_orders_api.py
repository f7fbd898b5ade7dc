import pytest

from rebox.inventory.models import StockLevel
from rebox.orders.models import Order
from rebox.testing import api_client_for, make_variant, order_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def shirt(store):
    return make_variant(store, "SHIRT-M-BLUE", price_minor=25_000, stock=5)


def test_creates_an_order_and_reserves_its_stock(api, shirt):
    response = api.post("/orders", order_payload(("SHIRT-M-BLUE", 2, 25_000), number="1001"))

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] == "1001"
    assert body["status"] == "paid"
    assert body["total_minor"] == 50_000
    assert [line["sku"] for line in body["lines"]] == ["SHIRT-M-BLUE"]
    level = StockLevel.objects.get(variant=shirt)
    assert (level.on_hand, level.reserved, level.available) == (5, 2, 3)


def test_order_without_payments_waits_for_payment(api, shirt):
    response = api.post("/orders", order_payload(("SHIRT-M-BLUE", 1, 25_000), paid=False))

    assert response.status_code == 201
    assert response.json()["status"] == "pending"


def test_refuses_missing_fields_with_one_error_per_field(api, shirt):
    body = order_payload(("SHIRT-M-BLUE", 1, 25_000))
    del body["customer"]["email"]
    body["lines"][0]["quantity"] = 0

    response = api.post("/orders", body)

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"customer.email", "lines[0].quantity"} <= fields
    assert Order.objects.count() == 0


def test_refuses_unknown_sku_and_totals_that_do_not_add_up(api, shirt):
    body = order_payload(("SHIRT-M-BLUE", 1, 25_000), ("NOPE", 1, 100))
    body["total_minor"] = 1

    response = api.post("/orders", body)

    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert "unknown SKU" in errors["lines[1].sku"]
    assert Order.objects.count() == 0
    assert StockLevel.objects.get(variant=shirt).reserved == 0


def test_refuses_payments_that_do_not_cover_the_total(api, shirt):
    body = order_payload(("SHIRT-M-BLUE", 1, 25_000))
    body["payments"][0]["amount_minor"] = 24_999

    response = api.post("/orders", body)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "payments"


def test_out_of_stock_is_a_conflict_and_reserves_nothing(api, shirt, store):
    make_variant(store, "SOCKS", price_minor=500, stock=10)
    body = order_payload(("SOCKS", 2, 500), ("SHIRT-M-BLUE", 6, 25_000))

    response = api.post("/orders", body)

    assert response.status_code == 409
    problem = response.json()
    assert problem["code"] == "out_of_stock"
    assert problem["errors"][0]["field"] == "lines[1].quantity"
    assert Order.objects.count() == 0
    assert sum(level.reserved for level in StockLevel.objects.all()) == 0


def test_retry_with_the_same_idempotency_key_returns_the_first_order(api, shirt):
    body = order_payload(("SHIRT-M-BLUE", 1, 25_000))

    first = api.post("/orders", body, idempotency_key="k-1")
    second = api.post("/orders", body, idempotency_key="k-1")

    assert first.status_code == second.status_code == 201
    assert first.json()["number"] == second.json()["number"]
    assert Order.objects.count() == 1
    assert StockLevel.objects.get(variant=shirt).reserved == 1


def test_same_idempotency_key_with_another_body_is_refused(api, shirt):
    api.post("/orders", order_payload(("SHIRT-M-BLUE", 1, 25_000)), idempotency_key="k-2")

    response = api.post("/orders", order_payload(("SHIRT-M-BLUE", 2, 25_000)),
                        idempotency_key="k-2")

    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"
    assert Order.objects.count() == 1


def test_duplicate_order_number_is_a_conflict(api, shirt):
    api.post("/orders", order_payload(("SHIRT-M-BLUE", 1, 25_000), number="A1"))

    response = api.post("/orders", order_payload(("SHIRT-M-BLUE", 1, 25_000), number="A1"))

    assert response.status_code == 409
    assert Order.objects.count() == 1


def test_requests_without_a_valid_key_are_refused(client, shirt):
    missing = client.get("/api/v1/orders")
    forged = client.get("/api/v1/orders", HTTP_AUTHORIZATION="Bearer rbx_abc_def")

    assert missing.status_code == forged.status_code == 401
    assert missing["Content-Type"] == "application/problem+json"


def test_another_stores_key_sees_nothing_of_this_store(api, shirt, other_store):
    api.post("/orders", order_payload(("SHIRT-M-BLUE", 1, 25_000), number="X1"))
    intruder = api_client_for(other_store)

    assert intruder.get("/orders/X1").status_code == 404
    assert intruder.get("/orders").json()["items"] == []
    assert intruder.post("/orders/X1/shipments",
                         {"carrier": "dhl", "tracking_number": "1"}).status_code == 404
    # and its own catalog does not know this store's SKU
    foreign = intruder.post("/orders", order_payload(("SHIRT-M-BLUE", 1, 25_000),
                                                     currency="GBP"))
    assert foreign.status_code == 422


def test_lists_orders_newest_first_one_page_at_a_time(api, store):
    make_variant(store, "CAP", price_minor=1_000, stock=100)
    for n in range(5):
        body = order_payload(("CAP", 1, 1_000), number=f"N{n}")
        body["placed_at"] = f"2026-01-0{n + 1}T10:00:00Z"
        assert api.post("/orders", body).status_code == 201

    first = api.get("/orders", limit=2).json()
    second = api.get("/orders", limit=2, cursor=first["next_cursor"]).json()
    third = api.get("/orders", limit=2, cursor=second["next_cursor"]).json()

    numbers = [o["number"] for page in (first, second, third) for o in page["items"]]
    assert numbers == ["N4", "N3", "N2", "N1", "N0"]
    assert third["next_cursor"] is None


def test_filters_orders_by_status_and_email(api, store):
    make_variant(store, "CAP", price_minor=1_000, stock=100)
    api.post("/orders", order_payload(("CAP", 1, 1_000), number="P1", email="a@example.com"))
    api.post("/orders", order_payload(("CAP", 1, 1_000), number="P2", email="b@example.com",
                                      paid=False))

    by_status = api.get("/orders", status="pending").json()["items"]
    by_email = api.get("/orders", email="A@example.com").json()["items"]

    assert [o["number"] for o in by_status] == ["P2"]
    assert [o["number"] for o in by_email] == ["P1"]


def test_a_bad_cursor_is_a_field_error(api):
    response = api.get("/orders", cursor="not-a-cursor")

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "cursor"


def test_openapi_document_describes_the_order_endpoints(client):
    spec = client.get("/api/v1/openapi.json").json()

    assert "/api/v1/orders" in spec["paths"]
    assert "/api/v1/orders/{number}" in spec["paths"]
