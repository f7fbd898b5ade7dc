"""The storefront's view of store credit through the API."""

import pytest

from rebox.core.actors import SYSTEM
from rebox.orders.models import Customer
from rebox.refunds.credit import credit_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def code(store):
    customer = Customer.objects.create(store=store, email="ana@example.com", name="Ana")
    return credit_issue(store=store, customer=customer, currency="EUR", amount_minor=2_500,
                        actor=SYSTEM, key="r1").code


def test_the_storefront_checks_and_spends_credit_once_per_key(api, code):
    assert api.get(f"/credits/{code}").json() == {"code": code, "currency": "EUR", "balance_minor": 2_500}

    first = api.post(f"/credits/{code}/redeem", {"amount_minor": 1_000, "reference": "web-7"},
                     idempotency_key="checkout-7")
    again = api.post(f"/credits/{code}/redeem", {"amount_minor": 1_000, "reference": "web-7"},
                     idempotency_key="checkout-7")

    assert first.status_code == again.status_code == 200
    assert first.json()["balance_minor"] == again.json()["balance_minor"] == 1_500
    assert api.get(f"/credits/{code}").json()["balance_minor"] == 1_500


def test_spending_more_than_the_balance_or_without_a_key_is_refused_clearly(api, code):
    too_much = api.post(f"/credits/{code}/redeem", {"amount_minor": 2_501},
                        idempotency_key="c1")
    no_key = api.post(f"/credits/{code}/redeem", {"amount_minor": 1})

    assert too_much.status_code == 409 and "2500 EUR" in too_much.json()["detail"]
    assert no_key.status_code == 422 and no_key.json()["errors"][0]["field"] == "Idempotency-Key"
    assert api.get(f"/credits/{code}").json()["balance_minor"] == 2_500
