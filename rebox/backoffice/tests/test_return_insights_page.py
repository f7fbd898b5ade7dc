"""/returns/insights/: which products come back and why over a period, for owners, agents and
analysts; rates in the page's language, reasons in the store's words, a bad period explained
beside its field, the same table as CSV, and only this store's figures."""

import csv
import io
from datetime import date

import pytest
from django.conf import settings

from rebox.backoffice.tests.conftest import make_staff, place_order
from rebox.backoffice.tests.page import Page
from rebox.core.models import Role
from rebox.returns.tests.test_insights import asked_in_march
from rebox.testing import api_client_for, make_location, make_store

pytestmark = pytest.mark.django_db
MARCH = "since=2026-03-01&until=2026-03-31"


@pytest.fixture
def asked(api, store):
    """2 March: TEE 4 sold, 3 asked back (2 too small, 1 defective); MUG 2 sold, 1 asked back
    as defective and found as new: a mismatch."""
    asked_in_march(api, store)


@pytest.fixture
def analyst_client(client, store):
    client.force_login(make_staff("analyst@shop.example", (store, Role.ANALYST)))
    return client


def _table(page: Page, css_class: str):
    found = (e for e in page.root.walk() if e.tag in ("table", "ul", "dl") and css_class in e.classes)
    return next(found, None)


def _rows(response, css_class: str = "insights-table") -> list[str]:
    """The text of each body row of the products table (or of each item of a list)."""
    table = _table(Page(response.content.decode()), css_class)
    if table is None:
        return []
    if table.tag in ("ul", "dl"):
        return [item.text() for item in table.children if not isinstance(item, str)]
    return [row.text() for row in table.walk() if row.tag == "tr" and row.parent.tag == "tbody"]


def test_an_analyst_sees_each_product_asked_back_with_its_rate_reasons_fault_and_mismatches(
        analyst_client, asked):
    response = analyst_client.get(f"/returns/insights/?{MARCH}")

    assert response.status_code == 200
    tee, mug = _rows(response)
    assert tee == "Item TEE TEE 4 3 75.0% Too small : 2 Defective or damaged : 1 33.3% 0"
    assert mug == "Item MUG MUG 2 1 50.0% Defective or damaged : 1 100.0% 1"
    assert _rows(response, "insight-totals") == [
        "Sold 6", "Asked back 4", "Returns 2", "Return rate 66.7%", "Store's fault 50.0%",
        "Inspection mismatches 1"]


def test_the_reasons_breakdown_and_the_weeks_are_drawn_as_bars(analyst_client, asked):
    response = analyst_client.get(f"/returns/insights/?{MARCH}")

    html = response.content.decode()
    assert _rows(response, "reasons-breakdown") == ["Defective or damaged 2 · 50.0%", "Too small 2 · 50.0%"]
    assert html.count('<span style="inline-size: 50.0%"></span>') == 2
    weeks = _rows(response, "weeks-table")
    assert weeks[0].startswith("2026-W09 Feb 23, 2026 0 0")
    assert weeks[1].startswith("2026-W10 Mar 2, 2026 2 4")  # the busiest week: the longest bar
    assert len(weeks) == 6
    assert '<span style="inline-size: 100.0%"></span>' in html
    assert html.count('<span style="inline-size: 0.0%"></span>') == 5


def test_rates_and_words_follow_the_page_language(analyst_client, asked):
    analyst_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"

    response = analyst_client.get(f"/returns/insights/?{MARCH}")

    tee = _rows(response)[0]
    # (the page reader folds the no-break space Babel puts before % into a space)
    assert "4 3 75,0 % For lille : 2 Defekt eller beskadiget : 1 33,3 %" in tee
    assert '<span style="inline-size: 50.0%"></span>' in response.content.decode()  # CSS keeps its dot


def test_the_page_speaks_hebrew_right_to_left(analyst_client, asked):
    analyst_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "he"

    response = analyst_client.get(f"/returns/insights/?{MARCH}")

    html = response.content.decode()
    assert '<html lang="he" dir="rtl">' in html
    assert "תובנות החזרות" in html and "שיעור החזרה" in html
    assert "קטן מדי : 2" in _rows(response)[0]


@pytest.mark.parametrize("role", [Role.OWNER, Role.AGENT, Role.ANALYST])
def test_owners_agents_and_analysts_may_read_it_and_find_it_from_the_queue(client, store, asked, role):
    client.force_login(make_staff("someone@shop.example", (store, role)))

    assert client.get("/returns/insights/").status_code == 200
    assert client.get(f"/returns/insights.csv?{MARCH}").status_code == 200
    assert 'href="/returns/insights/"' in client.get("/returns/").content.decode()


def test_warehouse_staff_are_turned_away_and_not_shown_the_link(client, store, asked):
    client.force_login(make_staff("picker@shop.example", (store, Role.WAREHOUSE)))

    assert client.get("/returns/insights/").status_code == 403
    assert client.get(f"/returns/insights.csv?{MARCH}").status_code == 403
    assert 'href="/returns/insights/"' not in client.get("/returns/").content.decode()


def test_the_insights_and_cost_pages_link_to_each_other(analyst_client, store):
    assert 'href="/returns/costs/"' in analyst_client.get("/returns/insights/").content.decode()
    assert 'href="/returns/insights/"' in analyst_client.get("/returns/costs/").content.decode()


def test_without_dates_the_form_shows_the_last_30_days(analyst_client, store):
    page = Page(analyst_client.get("/returns/insights/").content.decode())

    since, until = page.find(name="since").attrs["value"], page.find(name="until").attrs["value"]
    assert (date.fromisoformat(until) - date.fromisoformat(since)).days == 29
    assert "Nothing was asked back in this period." in page.root.text()


@pytest.mark.parametrize(("query", "field", "message"), [
    ("since=someday&until=2026-03-31", "since", "Enter a date like 2026-03-19."),
    ("since=2026-03-31&until=2026-03-01", "until", "Must not be before the first day."),
    ("since=2025-01-01&until=2026-03-01", "until", "Choose a period of at most 366 days."),
])
def test_a_bad_period_is_explained_beside_its_field(analyst_client, asked, query, field, message):
    for path in ("/returns/insights/", "/returns/insights.csv"):
        response = analyst_client.get(f"{path}?{query}")

        assert response.status_code == 422
        assert message in Page(response.content.decode()).around(field)
        assert _rows(response) == [] and _rows(response, "insight-totals") == []


def test_products_sold_but_not_asked_back_are_counted_on_the_page_and_listed_in_the_csv(
        analyst_client, store, asked):
    place_order(store, "S1", lines=(("SOCK", 2, 5_000),))

    page = analyst_client.get(f"/returns/insights/?{MARCH}")
    response = analyst_client.get(f"/returns/insights.csv?{MARCH}")

    assert len(_rows(page)) == 2
    assert "sold but not asked back in this period: 1 (they are in the CSV)." in page.content.decode()
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == \
        'attachment; filename="return-insights-shop-2026-03-01-2026-03-31.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["row"], r["sku"], r["sold"], r["asked_back"], r["return_rate"], r["store_fault"],
             r["store_fault_share"], r["mismatches"], r["top_reasons"]) for r in rows] == [
        ("product", "TEE", "4", "3", "0.7500", "1", "0.3333", "0", "Too small: 2; Defective or damaged: 1"),
        ("product", "MUG", "2", "1", "0.5000", "1", "1.0000", "1", "Defective or damaged: 1"),
        ("product", "SOCK", "2", "0", "0.0000", "0", "", "0", ""),
        ("total", "", "8", "4", "0.5000", "2", "0.5000", "1", "Defective or damaged: 2; Too small: 2")]


def test_text_that_looks_like_a_formula_stays_text_in_the_csv(analyst_client, store, asked):
    store.products.filter(handle="p-tee").update(title="=HYPERLINK(\"x\")")
    store.return_reasons.filter(code="too_small").update(labels={"en": "-2 sizes off"})

    response = analyst_client.get(f"/returns/insights.csv?{MARCH}")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))

    assert rows[0]["title"] == "'=HYPERLINK(\"x\")"
    assert rows[0]["top_reasons"] == "'-2 sizes off: 2; Defective or damaged: 1"


def test_another_stores_returns_do_not_show(analyst_client, store, asked):
    elsewhere = make_store("elsewhere")
    make_location(elsewhere)
    asked_in_march(api_client_for(elsewhere), elsewhere)

    response = analyst_client.get(f"/returns/insights/?{MARCH}")

    assert len(_rows(response)) == 2
    assert _rows(response, "insight-totals")[:3] == ["Sold 6", "Asked back 4", "Returns 2"]
