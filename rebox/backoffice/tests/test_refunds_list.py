"""The refunds page: what needs an agent stands out in words (failed, late, due soon), the
filters and the search narrow the list, another store's refunds never show, and the day's
report downloads as CSV."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from rebox.backoffice.tests.conftest import make_staff
from rebox.backoffice.tests.page import Page
from rebox.core.models import Role
from rebox.refunds.tests.owed import asked_return, delivered_order, refund_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def refunds(store):
    """A failed refund past its deadline (March), one due in two days, one paid back, and a
    goodwill refund without a return (no deadline)."""
    late_ret = asked_return(delivered_order(store, "LATE-1"), status="inspected")
    now = timezone.now()
    soon_order = delivered_order(store, "SOON-1", delivered=now - timedelta(days=13))
    soon_ret = asked_return(soon_order, status="received", asked=now - timedelta(days=12))
    paid_ret = asked_return(delivered_order(store, "PAID-1"), status="resolved")
    return {
        "late": refund_of(late_ret.order, ret=late_ret, status="failed",
                          error="Your card's expiration date is incorrect."),
        "soon": refund_of(soon_order, ret=soon_ret, status="pending"),
        "paid": refund_of(paid_ret.order, ret=paid_ret, status="succeeded",
                          created=datetime(2026, 3, 6, 10, 0, tzinfo=UTC)),
        "goodwill": refund_of(delivered_order(store, "GOOD-1"), status="pending"),
    }


def _rows(response) -> dict[str, str]:
    """Refund number -> the text of its row."""
    page = Page(response.content.decode())
    table = next((e for e in page.root.walk() if e.tag == "table" and "refunds-table" in e.classes), None)
    if table is None:
        return {}
    rows = [e for e in table.walk() if e.tag == "tr" and e.parent.tag == "tbody"]
    return {row.text().split()[0]: row.text() for row in rows}


def test_refunds_near_or_past_the_deadline_say_so_in_words(staff_client, refunds):
    response = staff_client.get("/refunds/")

    assert response.status_code == 200
    rows = _rows(response)
    assert set(rows) == {r.number for r in refunds.values()}
    late = rows[refunds["late"].number]
    assert "Late" in late and "Was due by Mar 19, 2026" in late
    assert "Failed" in rows[refunds["late"].number] and "Needs an agent" in rows[refunds["late"].number]
    assert "Due soon" in rows[refunds["soon"].number]
    assert "Late" not in rows[refunds["paid"].number] and "Due soon" not in rows[refunds["paid"].number]
    text = Page(response.content.decode()).root.text()
    assert "Failed: 1" in text and "Past the legal deadline: 1" in text and "Due within 3 days: 1" in text


def test_the_filters_narrow_the_list(staff_client, refunds):
    assert set(_rows(staff_client.get("/refunds/?status=failed"))) == {refunds["late"].number}
    assert set(_rows(staff_client.get("/refunds/?deadline=due_soon"))) == {refunds["soon"].number}
    assert set(_rows(staff_client.get("/refunds/?deadline=attention"))) == {refunds["late"].number,
                                                                         refunds["soon"].number}
    assert set(_rows(staff_client.get("/refunds/?gateway=stripe&day_from=2026-03-06&day_to=2026-03-06"))) \
        == {refunds["paid"].number}


def test_search_finds_a_refund_by_its_number_its_order_or_its_return(staff_client, refunds):
    late = refunds["late"]

    assert set(_rows(staff_client.get(f"/refunds/?q={late.number.lower()}"))) == {late.number}
    assert set(_rows(staff_client.get("/refunds/?q=late-1"))) == {late.number}
    assert set(_rows(staff_client.get(f"/refunds/?q={late.ret.number}"))) == {late.number}
    response = staff_client.get("/refunds/?q=nothing-like-this")
    assert "No refunds match these filters." in response.content.decode()


def test_a_bad_date_filter_is_explained_beside_its_field_and_the_rest_still_applies(staff_client, refunds):
    response = staff_client.get("/refunds/?status=failed&day_from=2026-03-10&day_to=2026-03-01")

    assert "Must not be before the first day." in Page(response.content.decode()).around("day_to")
    assert set(_rows(response)) == {refunds["late"].number}


def test_another_stores_refunds_are_not_listed_nor_reachable(staff_client, refunds, other_store):
    theirs = refund_of(delivered_order(other_store, "THEIRS-1"), status="failed")

    assert theirs.number not in _rows(staff_client.get("/refunds/"))
    assert staff_client.get(f"/refunds/{theirs.number}/").status_code == 404
    assert staff_client.post(f"/refunds/{theirs.number}/retry/").status_code == 404


def test_the_daily_report_downloads_as_csv_for_the_chosen_day(staff_client, refunds):
    response = staff_client.get("/refunds/report.csv?report-day=2026-03-06")

    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="refunds-shop-2026-03-06.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["number"], r["status"], r["amount"]) for r in rows] == [(refunds["paid"].number, "succeeded",
                                                                       "100.00")]


def test_a_report_without_a_valid_day_says_why_beside_the_field(staff_client, refunds):
    response = staff_client.get("/refunds/report.csv?report-day=yesterday")

    assert response.status_code == 422
    assert "Enter a date like 2026-03-19." in Page(response.content.decode()).around("report-day")


def test_analysts_see_refunds_warehouse_staff_do_not(client, store, refunds):
    client.force_login(make_staff("analyst@shop.example", (store, Role.ANALYST)))
    assert client.get("/refunds/").status_code == 200
    assert client.get("/refunds/report.csv?report-day=2026-03-06").status_code == 200

    client.force_login(make_staff("picker@shop.example", (store, Role.WAREHOUSE)))
    assert client.get("/refunds/").status_code == 403


def test_the_menu_links_to_refunds(staff_client, refunds):
    html = staff_client.get("/refunds/").content.decode()

    assert '<a href="/refunds/" aria-current="page">Refunds</a>' in html
