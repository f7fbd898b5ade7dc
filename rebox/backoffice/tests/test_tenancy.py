"""A staff member sees the stores they belong to, one at a time, and nothing else."""

import pytest
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from rebox.backoffice.tenancy import SESSION_KEY, store_required
from rebox.backoffice.tests.conftest import make_staff, place_order
from rebox.core.models import Role

pytestmark = pytest.mark.django_db


def test_another_stores_order_is_not_found(staff_client, other_store):
    place_order(other_store, "GB-1", email="oliver@example.co.uk")

    response = staff_client.get("/orders/GB-1/")

    assert response.status_code == 404
    assert "oliver@example.co.uk" not in response.content.decode()


def test_the_list_shows_only_the_current_stores_orders(staff_client, store, other_store):
    place_order(store, "DK-1")
    place_order(other_store, "GB-1")

    response = staff_client.get("/orders/")

    assert [o.number for o in response.context["orders"]] == ["DK-1"]


def test_a_member_of_two_stores_switches_and_the_choice_is_remembered(client, store, other_store):
    user = make_staff("both@example.com", (store, Role.OWNER), (other_store, Role.AGENT))
    place_order(store, "DK-1")
    place_order(other_store, "GB-1")
    client.force_login(user)
    first = client.get("/orders/")
    assert 'id="store-switch"' in first.content.decode()

    response = client.post("/store/", {"store": other_store.pk}, follow=True)

    assert client.session[SESSION_KEY] == other_store.pk
    assert [o.number for o in response.context["orders"]] == ["GB-1"]
    assert client.get("/orders/GB-1/").status_code == 200
    assert client.get("/orders/DK-1/").status_code == 404


def test_nobody_can_switch_to_a_store_they_do_not_belong_to(staff_client, store, other_store):
    response = staff_client.post("/store/", {"store": other_store.pk})

    assert response.status_code == 404
    assert staff_client.get("/orders/").context["request"].store == store


def test_a_single_store_member_gets_no_switcher(staff_client):
    assert 'id="store-switch"' not in staff_client.get("/orders/").content.decode()


def _request(user):
    request = RequestFactory().get("/somewhere/")
    SessionMiddleware(lambda r: None).process_request(request)
    request.user = user
    return request


def test_store_required_sets_the_store_and_membership_and_the_stores_time_zone(store, agent):
    seen = {}

    @store_required
    def view(request):
        seen.update(store=request.store, role=request.membership.role,
                    zone=str(timezone.get_current_timezone()))
        return HttpResponse("ok")

    view(_request(agent))

    assert seen == {"store": store, "role": Role.AGENT, "zone": "Europe/Copenhagen"}


def test_store_required_turns_away_a_role_the_page_is_not_for(store):
    warehouse = make_staff("picker@example.com", (store, Role.WAREHOUSE))

    @store_required(roles={Role.OWNER, Role.AGENT})
    def refunds(request):
        return HttpResponse("ok")

    assert refunds(_request(warehouse)).status_code == 403
