"""/returns/costs/: what returns cost per product over a period, for owners, agents and
analysts; money in the page's language, a bad period explained beside its field, the same
table as CSV, and only this store's units."""

import csv
import io
from datetime import date

import pytest
from django.conf import settings

from rebox.backoffice.tests.conftest import make_staff
from rebox.backoffice.tests.page import Page
from rebox.core.models import Role
from rebox.returns.tests.test_costs import disposed_return
from rebox.testing import api_client_for, make_location, make_store

pytestmark = pytest.mark.django_db
MARCH = "since=2026-03-01&until=2026-03-31"


@pytest.fixture
def disposed(api, store):
    """TEE: one restocked (180.00 back), one liquidated (50.00); MUG: recycled; in March."""
    return disposed_return(api, store)


@pytest.fixture
def analyst_client(client, store):
    client.force_login(make_staff("analyst@shop.example", (store, Role.ANALYST)))
    return client


def _rows(response) -> list[str]:
    """The text of each body row, then of each total row."""
    page = Page(response.content.decode())
    table = next((e for e in page.root.walk() if e.tag == "table" and "costs-table" in e.classes), None)
    if table is None:
        return []
    return [row.text() for row in table.walk() if row.tag == "tr" and row.parent.tag in ("tbody", "tfoot")]


def test_an_analyst_sees_each_product_by_loss_and_the_total(analyst_client, disposed):
    response = analyst_client.get(f"/returns/costs/?{MARCH}")

    assert response.status_code == 200
    tee, mug, total = _rows(response)
    assert tee.startswith("Item TEE TEE 2")
    assert "Restock: 1" in tee and "Liquidate: 1" in tee
    assert "€400.00 €230.00 €170.00 57.5%" in tee
    assert "Recycle: 1" in mug and "€150.00 €0.00 €150.00 0.0%" in mug
    assert total.startswith("Total (EUR) 3") and "€550.00 €230.00 €320.00 41.8%" in total


def test_money_and_words_follow_the_page_language(analyst_client, disposed):
    analyst_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"

    tee = _rows(analyst_client.get(f"/returns/costs/?{MARCH}"))[0]

    # (the page reader folds the no-break spaces Babel puts before € and % into spaces)
    assert "400,00 € 230,00 € 170,00 € 57,5 %" in tee and "Tilbage på lager: 1" in tee


@pytest.mark.parametrize("role", [Role.OWNER, Role.AGENT, Role.ANALYST])
def test_owners_agents_and_analysts_may_read_it(client, store, disposed, role):
    client.force_login(make_staff("someone@shop.example", (store, role)))

    assert client.get("/returns/costs/").status_code == 200
    assert client.get(f"/returns/costs.csv?{MARCH}").status_code == 200
    assert 'href="/returns/costs/"' in client.get("/returns/").content.decode()


def test_warehouse_staff_are_turned_away_and_not_shown_the_link(client, store, disposed):
    client.force_login(make_staff("picker@shop.example", (store, Role.WAREHOUSE)))

    assert client.get("/returns/costs/").status_code == 403
    assert client.get(f"/returns/costs.csv?{MARCH}").status_code == 403
    assert 'href="/returns/costs/"' not in client.get("/returns/").content.decode()


def test_without_dates_the_form_shows_the_last_30_days(analyst_client, store):
    page = Page(analyst_client.get("/returns/costs/").content.decode())

    since, until = page.find(name="since").attrs["value"], page.find(name="until").attrs["value"]
    assert (date.fromisoformat(until) - date.fromisoformat(since)).days == 29
    assert "No units were disposed of in this period." in page.root.text()


@pytest.mark.parametrize(("query", "field", "message"), [
    ("since=someday&until=2026-03-31", "since", "Enter a date like 2026-03-19."),
    ("since=2026-03-31&until=2026-03-01", "until", "Must not be before the first day."),
    ("since=2025-01-01&until=2026-03-01", "until", "Choose a period of at most 366 days."),
    ("until=9999-12-31", "until", "Choose a day from 1970 to 9998."),
    ("until=0001-01-05", "until", "Choose a day from 1970 to 9998."),
])
def test_a_bad_period_is_explained_beside_its_field(analyst_client, disposed, query, field, message):
    for path in ("/returns/costs/", "/returns/costs.csv"):
        response = analyst_client.get(f"{path}?{query}")

        assert response.status_code == 422
        assert message in Page(response.content.decode()).around(field)
        assert _rows(response) == []


def test_the_csv_has_the_same_figures_in_major_units(analyst_client, disposed):
    response = analyst_client.get(f"/returns/costs.csv?{MARCH}")

    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == \
        'attachment; filename="return-costs-shop-2026-03-01-2026-03-31.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["row"], r["sku"], r["currency"], r["units"], r["paid"], r["recovered"], r["loss"],
             r["recovery_rate"]) for r in rows] == [
        ("product", "TEE", "EUR", "2", "400.00", "230.00", "170.00", "0.5750"),
        ("product", "MUG", "EUR", "1", "150.00", "0.00", "150.00", "0.0000"),
        ("total", "", "EUR", "3", "550.00", "230.00", "320.00", "0.4182")]
    assert (rows[0]["restock"], rows[0]["liquidate"], rows[0]["recycle"]) == ("1", "1", "0")
    assert rows[2]["recycle"] == "1"


def test_a_title_that_looks_like_a_formula_stays_text_in_the_csv(analyst_client, store, disposed):
    store.products.filter(handle="p-tee").update(title="=HYPERLINK(\"x\")")
    response = analyst_client.get(f"/returns/costs.csv?{MARCH}")

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))

    assert rows[0]["title"] == "'=HYPERLINK(\"x\")"


def test_another_stores_units_do_not_show(analyst_client, store, disposed):
    elsewhere = make_store("elsewhere")
    make_location(elsewhere)
    disposed_return(api_client_for(elsewhere), elsewhere, number="E1", tee=(("donate", 0),) * 3, mug=())

    rows = _rows(analyst_client.get(f"/returns/costs/?{MARCH}"))

    assert len(rows) == 3 and rows[-1].startswith("Total (EUR) 3")


def test_the_page_speaks_hebrew_right_to_left(analyst_client, disposed):
    analyst_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "he"

    response = analyst_client.get(f"/returns/costs/?{MARCH}")

    html = response.content.decode()
    assert 'dir="rtl"' in html and "עלות ההחזרות" in html and "הפסד" in html
    assert "החזרה למלאי: 1" in _rows(response)[0]
