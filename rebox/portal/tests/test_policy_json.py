"""GET /s/<store>/returns-policy.json: the policy for one product and the shopper's country,
for storefronts (public, CORS, cacheable); 404 problem+json for what the store does not sell."""

import pytest

from rebox.portal.tests.conftest import (
    DEFAULT_DAYS,
    KNIT_DAYS,
    KNIT_RESTOCKING_CAP,
    KNIT_RESTOCKING_PERCENT,
    POLICY_NOTE,
    RETURN_SHIPPING,
    SCARF_PRICE,
    SHOE_DAYS,
    SUPPLIER_CODE,
    SWEATER_PRICE,
)

pytestmark = pytest.mark.django_db

URL = "/s/nordlys/returns-policy.json"


def restocking(price: int) -> int:
    """The supplier rule's fee, computed here from the rule as written: 10 %, at most 10 EUR."""
    return min(round(price * KNIT_RESTOCKING_PERCENT / 100), KNIT_RESTOCKING_CAP)


def euros(minor: int) -> dict:
    return {"amount": minor, "currency": "EUR"}


def test_a_supplier_product_bought_from_the_us_has_the_supplier_window_and_fees(client, shop):
    response = client.get(URL, {"product": "p-sweater-m", "country": "US", "lang": "en"})

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "max-age=300" in response["Cache-Control"] and "public" in response["Cache-Control"]
    body = response.json()
    terms = body["change_of_mind"]
    assert body["product"] == {"handle": "p-sweater-m", "title": "Alpaca sweater", "sku": None}
    assert body["country"] == "US" and body["language"] == "en"
    assert terms["returnable"] is True
    assert terms["period"] == {"unit": "days", "amount": KNIT_DAYS} and terms["starts"] == "delivery"
    assert terms["methods"] == ["mail_label"]
    assert terms["return_shipping"] == euros(RETURN_SHIPPING)
    assert terms["restocking"] == euros(restocking(SWEATER_PRICE)) == euros(KNIT_RESTOCKING_CAP)
    assert terms["short"] == f"Returnable within {KNIT_DAYS} days of delivery"
    assert body["legal"]["jurisdiction"] == "US" and body["legal"]["withdrawal_days"] == 0


def test_below_the_cap_the_restocking_fee_is_the_percentage(client, shop):
    body = client.get(URL, {"sku": "SCARF-KNIT", "country": "US"}).json()

    assert body["product"]["sku"] == "SCARF-KNIT"
    assert body["change_of_mind"]["restocking"] == euros(restocking(SCARF_PRICE)) == euros(6_00)


def test_danish_law_lets_no_restocking_fee_be_charged_in_the_withdrawal_period(client, shop):
    # Forbrugeraftaleloven: no fee beyond the direct cost of return in the 14 days.
    body = client.get(URL, {"product": "p-sweater-m", "country": "DK", "lang": "da"}).json()
    terms = body["change_of_mind"]

    assert terms["restocking"] == euros(0)
    assert terms["return_shipping"] == euros(RETURN_SHIPPING)
    assert body["legal"]["withdrawal_days"] == 14 and body["legal"]["law"] == "dansk lov"
    assert terms["short"].startswith(f"Kan returneres inden for {KNIT_DAYS} dage fra levering")


def test_a_shoe_has_the_shoe_window_and_an_ordinary_item_the_default(client, shop):
    shoe = client.get(URL, {"product": "p-sneaker-40", "country": "DK"}).json()
    dress = client.get(URL, {"product": "p-dress-m", "country": "DK"}).json()

    assert shoe["change_of_mind"]["period"] == {"unit": "days", "amount": SHOE_DAYS}
    assert dress["change_of_mind"]["period"] == {"unit": "days", "amount": DEFAULT_DAYS}
    assert dress["change_of_mind"]["restocking"] == euros(0)


def test_a_personalised_item_is_not_returnable_but_a_defect_still_is(client, shop):
    body = client.get(URL, {"product": "p-mug-ab", "country": "DK", "lang": "en"}).json()

    assert body["change_of_mind"]["returnable"] is False
    assert body["change_of_mind"]["why_not"] == "personalised"
    assert body["change_of_mind"]["short"] == "Personalised — not returnable except for defects"
    # Købeloven § 83: two years to complain about a defect, free of charge.
    assert body["defect"]["returnable"] is True
    assert body["defect"]["period"] == {"unit": "months", "amount": 24}
    assert body["defect"]["return_postage"] == "store"


def test_a_fragile_item_asks_for_a_photo_when_it_arrived_broken(client, shop):
    body = client.get(URL, {"product": "p-plate-1", "country": "GB"}).json()

    assert body["defect"]["evidence"] == ["photo"]
    assert body["rule"]["evidence"] == {"defective": ["photo"]}


def test_without_a_product_the_answer_is_the_general_policy_and_its_rules(client, shop):
    body = client.get(URL, {"country": "DK", "lang": "en"}).json()

    assert body["product"] is None
    assert body["change_of_mind"]["period"] == {"unit": "days", "amount": DEFAULT_DAYS}
    assert body["rule"]["return_shipping"] == euros(RETURN_SHIPPING)
    applies_to = [rule["applies_to"] for rule in body["rules"]]
    assert applies_to[:3] == ["Shoes", "Items shipped directly by a partner supplier",
                              "Personalised or made-to-order goods"]
    assert {r["code"] for r in body["reasons"]} >= {"too_small", "defective", "changed_mind"}


def test_the_answer_holds_nothing_but_the_public_policy(client, shop):
    text = client.get(URL, {"product": "p-sweater-m"}).content.decode()

    for secret in (SUPPLIER_CODE, "Atelier Nord", POLICY_NOTE, "astrid@", "supplier-rule"):
        assert secret not in text


@pytest.mark.parametrize("query", [{"product": "no-such-thing"}, {"sku": "NOPE"},
                                   {"product": "p-dress-m", "sku": "SNEAKER-40"}])
def test_unknown_product_is_404_problem_json(client, shop, query):
    response = client.get(URL, query)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json()["code"] == "not_found"


def test_unknown_store_is_404_problem_json(client, db):
    response = client.get("/s/nowhere/returns-policy.json")

    assert response.status_code == 404 and response.json()["status"] == 404


def test_a_malformed_country_is_422(client, shop):
    response = client.get(URL, {"country": "Denmark"})

    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "country", "message": "an ISO 3166 code such as DK"}]


def test_only_reading_is_allowed(client, shop):
    assert client.post(URL).status_code == 405
