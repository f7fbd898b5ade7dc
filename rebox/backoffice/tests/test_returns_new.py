"""A return taken on a customer's behalf: the order by number, then lines, checked as anywhere."""

import pytest

from rebox.backoffice.tests.conftest import make_staff
from rebox.backoffice.tests.page import Page
from rebox.core.models import AuditEntry, Role
from rebox.returns.models import Return
from rebox.returns.tests.helpers import delivered_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def lines(api, store):
    return delivered_order(api, store, number="PH-1", tee=2)


def _form(staff_client, order="PH-1"):
    response = staff_client.get("/returns/new/", {"order": order})
    return Page(response.content.decode()).form_data("behalf-form")


def test_an_unknown_order_number_is_an_error_beside_the_field(staff_client, lines):
    response = staff_client.get("/returns/new/", {"order": "NOPE"})

    assert response.status_code == 422
    assert "No order with this number in this store." in Page(response.content.decode()).around("order")


def test_the_agent_creates_a_return_for_the_customer(staff_client, agent, lines):
    data = _form(staff_client)
    data.update({f"quantity_{lines['TEE']}": ["2"], f"reason_{lines['TEE']}": ["too_small"],
                 f"comment_{lines['TEE']}": ["Phoned on Monday"], "resolution": ["refund"],
                 "method": ["drop_off"]})

    response = staff_client.post("/returns/new/", data)

    ret = Return.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/returns/{ret.number}/"
    assert (ret.channel, ret.method, ret.status) == ("backoffice", "drop_off", "requested")
    line = ret.lines.get()
    assert (line.order_line_id, line.quantity, line.reason_code, line.comment) == (
        lines["TEE"], 2, "too_small", "Phoned on Monday")
    entry = AuditEntry.objects.get(action="return.requested", subject_id=ret.pk)
    assert (entry.actor_type, entry.actor_label) == ("staff", agent.get_username())


def test_nothing_chosen_or_no_reason_are_errors_and_nothing_is_stored(staff_client, lines):
    data = _form(staff_client)

    empty = staff_client.post("/returns/new/", data)
    data[f"quantity_{lines['MUG']}"] = ["1"]
    no_reason = staff_client.post("/returns/new/", data)

    assert empty.status_code == 422 and "Choose at least one item to return." in empty.content.decode()
    assert "Choose a reason." in Page(no_reason.content.decode()).around(f"reason_{lines['MUG']}")
    assert not Return.objects.exists()


def test_more_than_can_still_be_returned_is_an_error_beside_that_line(staff_client, api, lines):
    api.post("/returns", {"order": "PH-1", "resolution": "refund", "method": "mail_label", "lines": [
        {"order_line_id": lines["TEE"], "quantity": 1, "reason": "changed_mind"}]})
    data = _form(staff_client)
    data.update({f"quantity_{lines['TEE']}": ["2"], f"reason_{lines['TEE']}": ["changed_mind"]})

    response = staff_client.post("/returns/new/", data)

    assert response.status_code == 422
    assert "Between 1 and 1 can still be returned." in Page(response.content.decode()).around(
        f"quantity_{lines['TEE']}")
    assert Return.objects.count() == 1


def test_a_line_outside_its_window_says_why_beside_it(staff_client, api, store):
    old = delivered_order(api, store, number="OLD", days_ago=90)
    data = _form(staff_client, "OLD")
    data.update({f"quantity_{old['TEE']}": ["1"], f"reason_{old['TEE']}": ["changed_mind"]})

    response = staff_client.post("/returns/new/", data)

    around = Page(response.content.decode()).around(f"quantity_{old['TEE']}")
    assert response.status_code == 422 and "This item cannot be returned." in around
    assert not Return.objects.exists()


def test_an_analyst_cannot_create_returns(client, store, lines):
    client.force_login(make_staff("analyst@shop.example", (store, Role.ANALYST)))

    assert client.get("/returns/new/").status_code == 403
