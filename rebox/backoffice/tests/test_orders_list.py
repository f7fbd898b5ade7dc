"""The orders list: newest first, searchable, filterable, paged, amounts in the UI language."""

from datetime import UTC, datetime

import pytest

from rebox.backoffice import views
from rebox.backoffice.tests.conftest import place_order
from rebox.core.actors import SYSTEM
from rebox.orders.services import order_transition

pytestmark = pytest.mark.django_db


def _numbers(response):
    return [order.number for order in response.context["orders"]]


@pytest.fixture
def three_orders(store):
    place_order(store, "A-1", email="ana@example.com", placed_at=datetime(2026, 3, 1, 9, tzinfo=UTC))
    place_order(store, "B-2", email="bo@example.com", placed_at=datetime(2026, 3, 5, 9, tzinfo=UTC))
    cancelled = place_order(store, "C-3", email="cy@example.com", paid=False,
                            placed_at=datetime(2026, 3, 9, 9, tzinfo=UTC))
    order_transition(order=cancelled, to="cancelled", actor=SYSTEM)


def test_the_list_shows_newest_first_with_number_date_customer_status_and_total(
        staff_client, three_orders):
    response = staff_client.get("/orders/")

    html = response.content.decode()
    assert _numbers(response) == ["C-3", "B-2", "A-1"]
    assert 'href="/orders/B-2/"' in html
    assert "bo@example.com" in html and "Ana Jensen" in html
    assert "Mar 5, 2026, 10:00" in html  # 09:00 UTC is 10:00 in Copenhagen
    assert "€500.00" in html
    assert 'class="badge badge--cancelled">Cancelled<' in html


def test_home_is_the_orders_list(staff_client):
    response = staff_client.get("/")

    assert response.status_code == 302 and response["Location"] == "/orders/"


@pytest.mark.parametrize("term", ["B-2", "b-2", "BO@example.com"])
def test_search_finds_an_order_by_number_or_email(staff_client, three_orders, term):
    assert _numbers(staff_client.get("/orders/", {"q": term})) == ["B-2"]


def test_filter_by_status(staff_client, three_orders):
    assert _numbers(staff_client.get("/orders/", {"status": "cancelled"})) == ["C-3"]
    assert _numbers(staff_client.get("/orders/", {"status": "paid"})) == ["B-2", "A-1"]


def test_placed_dates_are_whole_days_in_the_stores_time_zone(staff_client, store):
    # 23:30 UTC on 1 March is already 2 March in Copenhagen.
    place_order(store, "LATE", placed_at=datetime(2026, 3, 1, 23, 30, tzinfo=UTC))
    place_order(store, "NEXT", placed_at=datetime(2026, 3, 2, 23, 30, tzinfo=UTC))

    on_the_2nd = staff_client.get("/orders/", {"placed_from": "2026-03-02", "placed_to": "2026-03-02"})
    until_the_1st = staff_client.get("/orders/", {"placed_to": "2026-03-01"})

    assert _numbers(on_the_2nd) == ["LATE"]
    assert _numbers(until_the_1st) == []


def test_an_end_date_before_the_start_is_an_error_beside_the_field(staff_client, three_orders):
    response = staff_client.get("/orders/", {"placed_from": "2026-03-05", "placed_to": "2026-03-01"})

    assert response.context["form"].errors["placed_to"]
    assert 'id="id_placed_to_error"' in response.content.decode()
    assert _numbers(response) == ["C-3", "B-2"]  # the valid start date still applies


def test_pages_follow_each_other_newest_first_and_keep_the_filters(staff_client, store, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for day in range(1, 6):
        place_order(store, f"N-{day}", placed_at=datetime(2026, 3, day, 12, tzinfo=UTC))

    first = staff_client.get("/orders/", {"status": "paid"})
    second = staff_client.get("/orders/?" + first.context["next_query"])
    third = staff_client.get("/orders/?" + second.context["next_query"])

    assert [_numbers(first), _numbers(second), _numbers(third)] == [
        ["N-5", "N-4"], ["N-3", "N-2"], ["N-1"]]
    assert "status=paid" in second.context["next_query"]
    assert third.context["next_query"] is None
    assert third.context["first_query"] == "status=paid"


def test_a_mangled_page_link_starts_again_from_the_newest(staff_client, three_orders):
    assert _numbers(staff_client.get("/orders/", {"after": "not-a-cursor"})) == ["C-3", "B-2", "A-1"]


def test_nothing_found_says_so(staff_client, three_orders):
    response = staff_client.get("/orders/", {"q": "nope"})

    assert "No orders match these filters." in response.content.decode()
