"""Approving a selection from the queue: each on its own, the failures named with their status."""

import pytest

from rebox.backoffice.tests.conftest import make_staff
from rebox.backoffice.tests.page import Page
from rebox.backoffice.tests.returns_setup import requested_return
from rebox.core.actors import Actor
from rebox.core.models import Role
from rebox.returns.models import Return
from rebox.returns.services import return_cancel

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(api, store):
    return [requested_return(api, store, f"O{i}") for i in range(3)]


def test_the_selection_is_approved_and_the_one_moved_meanwhile_is_reported(staff_client, three):
    a, b, c = three
    queue = Page(staff_client.get("/returns/").content.decode())
    assert {e.attrs["value"] for e in queue.root.walk() if e.attrs.get("name") == "numbers"} == \
        {a.number, b.number, c.number}
    return_cancel(ret=b, actor=Actor("customer", b.email))  # the customer cancels meanwhile

    response = staff_client.post("/returns/approve/", {"numbers": [a.number, b.number, c.number]})

    assert response.status_code == 200
    statuses = dict(Return.objects.values_list("number", "status"))
    assert statuses == {a.number: "approved", b.number: "cancelled", c.number: "approved"}
    text = Page(response.content.decode()).root.text()
    assert "Approved: 2" in text
    assert "Could not be approved: 1" in text and f"{b.number} : it is now Cancelled" in text


def test_nothing_selected_says_so(staff_client, three):
    response = staff_client.post("/returns/approve/", {}, follow=True)

    assert "Select at least one return to approve" in response.content.decode()
    assert set(Return.objects.values_list("status", flat=True)) == {"requested"}


def test_an_analyst_cannot_bulk_approve(client, store, three):
    client.force_login(make_staff("analyst@shop.example", (store, Role.ANALYST)))

    response = client.post("/returns/approve/", {"numbers": [three[0].number]})

    assert response.status_code == 403
    assert Return.objects.get(pk=three[0].pk).status == "requested"


def test_another_stores_returns_cannot_be_approved_from_here(client, other_store, three):
    client.force_login(make_staff("elsewhere@example.com", (other_store, Role.OWNER)))

    response = client.post("/returns/approve/", {"numbers": [three[0].number]})

    assert "Approved: 0" in response.content.decode()
    assert "no such return in this store" in response.content.decode()
    assert Return.objects.get(pk=three[0].pk).status == "requested"
