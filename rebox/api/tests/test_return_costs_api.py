"""GET /api/v1/reports/return-costs: the cost of returns per product over a period, as JSON,
for the key's own store only; a bad period is a problem+json naming the field."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from rebox.returns.costs import store_zone
from rebox.returns.tests.test_costs import disposed_return
from rebox.testing import api_client_for, make_location, make_store

pytestmark = pytest.mark.django_db
MARCH = {"since": "2026-03-01", "until": "2026-03-31"}


def test_the_report_lists_products_by_loss_with_totals_in_minor_units(api, store):
    disposed_return(api, store)

    response = api.get("/reports/return-costs", **MARCH)

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["since"], body["until"]) == ("2026-03-01", "2026-03-31")
    assert body["time_zone"] == "Europe/Copenhagen"
    tee, mug = body["items"]
    assert {k: tee[k] for k in ("sku", "title", "currency", "units", "value_minor", "recovered_minor",
                                "loss_minor", "recovery_rate")} == {
        "sku": "TEE", "title": "Item TEE", "currency": "EUR", "units": 2, "value_minor": 40_000,
        "recovered_minor": 23_000, "loss_minor": 17_000, "recovery_rate": 0.575}
    assert tee["dispositions"]["restock"] == tee["dispositions"]["liquidate"] == 1
    assert sum(tee["dispositions"].values()) == 2 and len(tee["dispositions"]) == 8
    assert (mug["sku"], mug["loss_minor"], mug["dispositions"]["recycle"]) == ("MUG", 15_000, 1)
    assert body["totals"] == [{
        "currency": "EUR", "units": 3, "dispositions": {**dict.fromkeys(tee["dispositions"], 0),
                                                        "restock": 1, "liquidate": 1, "recycle": 1},
        "value_minor": 55_000, "recovered_minor": 23_000, "loss_minor": 32_000, "recovery_rate": 0.4182}]


def test_without_dates_it_covers_the_last_30_days_up_to_today_in_the_store(api, store):
    disposed_return(api, store, at=timezone.now())
    disposed_return(api, store, number="R2", at=timezone.now() - timedelta(days=40))

    body = api.get("/reports/return-costs").json()

    today = timezone.now().astimezone(store_zone(store)).date()
    assert (body["since"], body["until"]) == ((today - timedelta(days=29)).isoformat(), today.isoformat())
    assert body["totals"][0]["units"] == 3


@pytest.mark.parametrize(("query", "field"), [
    ({"since": "2026-13-01", "until": "2026-03-31"}, "since"),
    ({"since": "2026-03-01", "until": "next tuesday"}, "until"),
    ({"since": "2026-03-02", "until": "2026-03-01"}, "until"),
    ({"since": "2025-03-01", "until": "2026-03-02"}, "until"),  # 367 days
    ({"since": "2099-01-01"}, "until"),  # until defaults to today: before the start
])
@pytest.mark.parametrize("report", ["return-costs", "return-insights"])  # one set of period rules
def test_a_bad_period_is_a_problem_naming_the_field(api, store, query, field, report):
    response = api.get(f"/reports/{report}", **query)

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_a_whole_leap_year_is_allowed(api, store):
    assert api.get("/reports/return-costs", since="2028-01-01", until="2028-12-31").status_code == 200


def test_each_key_sees_its_own_stores_figures_only(api, store):
    elsewhere = make_store("elsewhere")
    make_location(elsewhere)
    theirs = api_client_for(elsewhere)
    disposed_return(api, store)
    disposed_return(theirs, elsewhere, number="E1", tee=(("donate", 0),), mug=(("donate", 0),))

    mine = api.get("/reports/return-costs", **MARCH).json()
    their = theirs.get("/reports/return-costs", **MARCH).json()

    assert mine["totals"][0]["units"] == 3 and mine["totals"][0]["recovered_minor"] == 23_000
    assert their["totals"][0]["units"] == 2 and their["totals"][0]["dispositions"]["donate"] == 2
    assert api_client_for(make_store("empty")).get("/reports/return-costs", **MARCH).json()["items"] == []


def test_without_a_key_it_is_401(store):
    response = Client().get("/api/v1/reports/return-costs", MARCH)

    assert response.status_code == 401
