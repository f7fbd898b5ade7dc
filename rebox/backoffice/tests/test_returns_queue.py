"""The returns queue: most urgent first, overdue rows stand out in words, filters, pages, roles."""

from datetime import timedelta

import pytest
from django.utils import timezone

from rebox.backoffice.returns import views
from rebox.backoffice.tests.conftest import make_staff
from rebox.backoffice.tests.page import Page
from rebox.backoffice.tests.returns_setup import requested_return
from rebox.core.models import Role
from rebox.returns.models import Return

pytestmark = pytest.mark.django_db


def _numbers(response):
    return [ret.number for ret in response.context["returns"]]


@pytest.fixture
def two(api, store):
    fresh = requested_return(api, store, "OA")
    late = requested_return(api, store, "OB", sku="MUG", reason="defective")
    Return.objects.filter(pk=late.pk).update(respond_by=timezone.now() - timedelta(hours=2))
    return fresh, late


def test_the_queue_lists_the_overdue_request_first_and_says_it_is_overdue(staff_client, two):
    fresh, late = two

    response = staff_client.get("/returns/")

    assert response.status_code == 200
    assert _numbers(response) == [late.number, fresh.number]
    page = Page(response.content.decode())
    overdue_row = page.find(href=f"/returns/{late.number}/").parent.parent
    fresh_row = page.find(href=f"/returns/{fresh.number}/").parent.parent
    assert "row--overdue" in overdue_row.classes and "Overdue" in overdue_row.text()
    assert "Overdue" not in fresh_row.text() and "Answer by" in fresh_row.text()
    assert "Waiting for a decision: 2" in page.root.text() and "Overdue: 1" in page.root.text()
    assert "€200.00" in fresh_row.text() and "Requested" in fresh_row.text()


def test_the_nav_links_to_the_returns(staff_client, two):
    html = staff_client.get("/returns/").content.decode()

    assert '<a href="/returns/" aria-current="page">Returns</a>' in html


@pytest.mark.parametrize(("query", "expected"), [
    ({"age": "overdue"}, ["late"]),
    ({"reason": "defective"}, ["late"]),
    ({"store_fault": "no"}, ["fresh"]),
    ({"value_min": "160", "value_max": "250.00"}, ["fresh"]),
    ({"value_max": "150"}, ["late"]),
    ({"status": "approved"}, []),
    ({"channel": "api"}, ["late", "fresh"]),
    ({"q": "oa"}, ["fresh"]),
])
def test_filters_narrow_the_queue(staff_client, two, query, expected):
    fresh, late = two
    names = {"fresh": fresh.number, "late": late.number}

    assert _numbers(staff_client.get("/returns/", query)) == [names[n] for n in expected]


def test_a_bad_value_filter_is_an_error_beside_its_field_and_the_rest_still_applies(staff_client, two):
    fresh, late = two

    response = staff_client.get("/returns/", {"value_min": "10.555", "reason": "defective"})

    page = Page(response.content.decode())
    assert "Too many decimals for EUR" in page.around("value_min")
    assert _numbers(response) == [late.number]


def test_pages_follow_each_other_and_keep_the_filters(staff_client, api, store, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    made = [requested_return(api, store, f"P{i}") for i in range(3)]

    first = staff_client.get("/returns/", {"status": "requested"})
    html = first.content.decode()
    second = staff_client.get("/returns/", {"status": "requested", "page": 2})

    assert 'href="?status=requested&amp;page=2"' in html and "Page 1 of 2" in html
    assert sorted(_numbers(first) + _numbers(second)) == sorted(r.number for r in made)


def test_another_stores_returns_are_not_listed(client, api, store, other_store):
    requested_return(api, store)
    client.force_login(make_staff("elsewhere@example.com", (other_store, Role.OWNER)))

    response = client.get("/returns/")

    assert _numbers(response) == [] and "No returns yet." in response.content.decode()


def test_an_analyst_sees_the_queue_without_the_means_to_act(client, store, two):
    client.force_login(make_staff("analyst@shop.example", (store, Role.ANALYST)))

    response = client.get("/returns/")

    html = response.content.decode()
    assert len(_numbers(response)) == 2
    assert 'name="numbers"' not in html and "Approve selected" not in html
    assert "New return for a customer" not in html
