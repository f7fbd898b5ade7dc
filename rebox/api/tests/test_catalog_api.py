import pytest

from rebox.testing import api_client_for

pytestmark = pytest.mark.django_db

DRESS = {
    "handle": "linen-dress", "title": "Linen dress", "category": "dresses",
    "policy_tags": ["apparel"],
    "variants": [
        {"sku": "DRESS-S-SAND", "price_minor": 59_900, "size": "S", "colour": "Sand",
         "barcode": "5701234000011"},
        {"sku": "DRESS-M-SAND", "price_minor": 59_900, "size": "M", "colour": "Sand"},
    ],
}


@pytest.fixture
def dresses(api):
    assert api.post("/categories", {"slug": "dresses", "name": "Dresses"}).status_code == 201


def test_creates_a_product_with_its_variants_in_the_store_currency(api, dresses):
    response = api.post("/products", DRESS)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["category"] == "dresses"
    assert [(v["sku"], v["size"], v["currency"]) for v in body["variants"]] == [
        ("DRESS-S-SAND", "S", "EUR"), ("DRESS-M-SAND", "M", "EUR")]


def test_refuses_a_sku_already_used_in_the_store(api, dresses):
    api.post("/products", DRESS)
    copy = {**DRESS, "handle": "linen-dress-2"}

    response = api.post("/products", copy)

    assert response.status_code == 409
    assert {e["field"] for e in response.json()["errors"]} == {"variants[0].sku", "variants[1].sku"}


def test_refuses_an_unknown_category_with_a_field_error(api):
    response = api.post("/products", {**DRESS, "category": "nope"})

    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "category", "message": "no category 'nope'"}]


def test_patch_changes_fields_and_adds_a_variant(api, dresses):
    api.post("/products", DRESS)

    response = api.patch("/products/linen-dress", {
        "final_sale": True,
        "variants": [{"sku": "DRESS-L-SAND", "price_minor": 61_900, "size": "L"}]})

    assert response.status_code == 200
    body = response.json()
    assert body["final_sale"] is True
    assert {v["sku"] for v in body["variants"]} == {"DRESS-S-SAND", "DRESS-M-SAND", "DRESS-L-SAND"}


def test_delete_deactivates_variants_so_history_stays(api, dresses):
    api.post("/products", DRESS)

    assert api.delete("/products/linen-dress").status_code == 204

    variants = api.get("/products/linen-dress").json()["variants"]
    assert variants and not any(v["is_active"] for v in variants)


def test_stock_receipt_and_adjustment_show_in_levels(api, dresses):
    api.post("/products", DRESS)

    received = api.post("/stock/movements", {"sku": "DRESS-S-SAND", "location": "main",
                                             "kind": "received", "quantity": 7})
    adjusted = api.post("/stock/movements", {"sku": "DRESS-S-SAND", "location": "main",
                                             "kind": "adjusted", "quantity": -2,
                                             "why": "cycle count"})

    assert received.status_code == adjusted.status_code == 201
    assert api.get("/stock/DRESS-S-SAND").json() == [
        {"sku": "DRESS-S-SAND", "location": "main", "on_hand": 5, "reserved": 0, "available": 5}]


def test_stock_cannot_be_written_off_below_zero(api, dresses):
    api.post("/products", DRESS)

    response = api.post("/stock/movements", {"sku": "DRESS-S-SAND", "location": "main",
                                             "kind": "written_off", "quantity": 1})

    assert response.status_code == 409
    assert response.json()["code"] == "out_of_stock"


def test_suppliers_are_upserted_by_code(api):
    first = api.client.put("/api/v1/suppliers/nordic-knit", {
        "name": "Nordic Knit", "email": "returns@knit.example",
        "return_address": {"line1": "Vej 1", "city": "Aarhus", "country": "DK"}},
        content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {api.key}")

    assert first.status_code == 200
    assert [s["code"] for s in api.get("/suppliers").json()] == ["nordic-knit"]


def test_another_store_cannot_read_or_change_this_catalog(api, dresses, other_store):
    api.post("/products", DRESS)
    intruder = api_client_for(other_store)

    assert intruder.get("/products/linen-dress").status_code == 404
    assert intruder.patch("/products/linen-dress", {"title": "x"}).status_code == 404
    assert intruder.delete("/products/linen-dress").status_code == 404
    assert intruder.get("/stock/DRESS-S-SAND").status_code == 404
    assert intruder.get("/products").json() == []
    assert intruder.get("/categories").json() == []
