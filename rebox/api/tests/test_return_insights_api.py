"""GET /api/v1/reports/return-insights: which products come back and why over a period, as
JSON, for the key's own store only; a bad period is a problem+json naming the field."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from rebox.returns.costs import store_zone
from rebox.returns.models import Return
from rebox.returns.tests.helpers import delivered_order
from rebox.returns.tests.test_insights import ask, asked_in_march
from rebox.testing import api_client_for, make_location, make_store

pytestmark = pytest.mark.django_db
MARCH = {"since": "2026-03-01", "until": "2026-03-31"}


def test_the_report_lists_products_by_units_asked_back_with_reasons_and_store_totals(api, store):
    asked_in_march(api, store)

    response = api.get("/reports/return-insights", **MARCH)

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["since"], body["until"]) == ("2026-03-01", "2026-03-31")
    assert body["time_zone"] == "Europe/Copenhagen"
    tee, mug = body["items"]
    assert tee == {"sku": "TEE", "title": "Item TEE", "sold": 4, "asked_back": 3, "return_rate": 0.75,
                   "store_fault": 1, "store_fault_share": 0.3333, "mismatches": 0,
                   "reasons": [{"code": "too_small", "label": "Too small", "units": 2},
                               {"code": "defective", "label": "Defective or damaged", "units": 1}]}
    assert (mug["sku"], mug["return_rate"], mug["store_fault_share"]) == ("MUG", 0.5, 1.0)
    assert mug["mismatches"] == 1
    assert body["totals"] == {
        "sold": 6, "asked_back": 4, "returns": 2, "return_rate": 0.6667, "store_fault": 2,
        "store_fault_share": 0.5, "mismatches": 1,
        "reasons": [{"code": "defective", "label": "Defective or damaged", "units": 2},
                    {"code": "too_small", "label": "Too small", "units": 2}]}
    assert [(w["week"], w["monday"], w["returns"], w["units"]) for w in body["weeks"]] == [
        ("2026-W09", "2026-02-23", 0, 0), ("2026-W10", "2026-03-02", 2, 4), ("2026-W11", "2026-03-09", 0, 0),
        ("2026-W12", "2026-03-16", 0, 0), ("2026-W13", "2026-03-23", 0, 0), ("2026-W14", "2026-03-30", 0, 0)]


def test_without_dates_it_covers_the_last_30_days_up_to_today_in_the_store(api, store):
    lines = delivered_order(api, store, number="O1", tee=2, mug=1)
    ask(api, store, "O1", (lines["TEE"], 1, "too_small"))
    old = ask(api, store, "O1", (lines["TEE"], 1, "too_large"))
    Return.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))

    body = api.get("/reports/return-insights").json()

    today = timezone.now().astimezone(store_zone(store)).date()
    assert (body["since"], body["until"]) == ((today - timedelta(days=29)).isoformat(), today.isoformat())
    assert (body["totals"]["sold"], body["totals"]["asked_back"]) == (3, 1)
    assert [r["code"] for r in body["totals"]["reasons"]] == ["too_small"]


def test_a_whole_year_is_allowed_and_2026_has_53_iso_weeks(api, store):
    response = api.get("/reports/return-insights", since="2026-01-01", until="2026-12-31")

    assert response.status_code == 200
    weeks = response.json()["weeks"]
    assert (weeks[0]["week"], weeks[-1]["week"], len(weeks)) == ("2026-W01", "2026-W53", 53)
    assert api.get("/reports/return-insights", since="2028-01-01", until="2028-12-31").status_code == 200


def test_each_key_sees_its_own_stores_figures_only(api, store):
    elsewhere = make_store("elsewhere")
    make_location(elsewhere)
    theirs = api_client_for(elsewhere)
    asked_in_march(api, store)
    asked_in_march(theirs, elsewhere)
    Return.objects.filter(store=elsewhere).update(status="declined")

    mine = api.get("/reports/return-insights", **MARCH).json()
    their = theirs.get("/reports/return-insights", **MARCH).json()

    assert (mine["totals"]["asked_back"], mine["totals"]["returns"]) == (4, 2)
    assert (their["totals"]["sold"], their["totals"]["asked_back"], their["totals"]["returns"]) == (6, 0, 0)
    assert api_client_for(make_store("empty")).get("/reports/return-insights", **MARCH).json()["items"] == []


def test_without_a_key_it_is_401(store):
    response = Client().get("/api/v1/reports/return-insights", MARCH)

    assert response.status_code == 401
