"""A refund's page: the gateway's message, the attempts, the split over the lines, the trail;
and the agent's two answers to a failed refund, role-checked, with errors beside the field
and a clear page when someone else acted first."""

import pytest

from rebox.backoffice.tests.conftest import make_staff
from rebox.backoffice.tests.page import Page
from rebox.core.actors import SYSTEM
from rebox.core.audit import audit_record
from rebox.core.models import AuditEntry, Role
from rebox.refunds.models import Refund
from rebox.refunds.tests.owed import asked_return, delivered_order, refund_of

pytestmark = pytest.mark.django_db
MESSAGE = "Your card's expiration date is incorrect."


@pytest.fixture
def failed(store):
    ret = asked_return(delivered_order(store, "F-100", lines=(("COAT", 1, 10_000), ("HAT", 1, 2_500))),
                       status="inspected")
    refund = refund_of(ret.order, ret=ret, amount=8_000, status="failed", error=MESSAGE)
    audit_record(store=store, actor=SYSTEM, action="refund.failed", subject_type="order",
                 subject_id=refund.order_id, why=MESSAGE, details={"refund": refund.number})
    return refund


def _text(response) -> str:
    return Page(response.content.decode()).root.text()


def test_the_page_shows_the_gateways_message_attempts_split_and_trail(staff_client, failed):
    response = staff_client.get(f"/refunds/{failed.number}/")

    assert response.status_code == 200
    page = Page(response.content.decode())
    assert page.find(id="gateway-message").text() == MESSAGE
    assert page.find(id="refund-status").text() == "Failed"
    assert page.find(id="refund-attempts").text() == "1"
    text = page.root.text()
    assert "COAT" in text and "€80.00" in text
    assert "Refund decided" in text and "Refund failed" in text
    assert "Late" in text and "Mar 19, 2026 (14 days from the request)" in text
    assert "Retry the refund" in text and "Record as paid another way" in text


def test_an_agent_retries_a_failed_refund(staff_client, agent, failed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = staff_client.post(f"/refunds/{failed.number}/retry/", follow=True)

    assert Refund.objects.get(pk=failed.pk).status == "pending" and len(queued) == 1
    assert f"Refund {failed.number} is being paid again." in _text(response)
    entry = AuditEntry.objects.get(action="refund.retried")
    assert entry.actor_label == agent.get_username() and entry.details["refund"] == failed.number
    assert "Refund retried by staff" in _text(response)


def test_retrying_a_refund_someone_else_already_settled_is_a_clear_conflict(staff_client, failed):
    Refund.objects.filter(pk=failed.pk).update(status="succeeded", gateway_reference="re_123")

    response = staff_client.post(f"/refunds/{failed.number}/retry/")

    assert response.status_code == 409
    assert "This refund is Paid back now" in _text(response) and "Nothing was changed." in _text(response)
    assert not AuditEntry.objects.filter(action="refund.retried").exists()


def test_recording_a_manual_refund_needs_a_reference_beside_the_field(staff_client, failed):
    response = staff_client.post(f"/refunds/{failed.number}/manual/", {"manual-reference": "   "})

    assert response.status_code == 422
    assert "Say how the money was paid back." in Page(response.content.decode()).around("manual-reference")
    assert Refund.objects.get(pk=failed.pk).status == "failed"


def test_an_agent_records_a_refund_paid_another_way(staff_client, agent, failed):
    response = staff_client.post(f"/refunds/{failed.number}/manual/",
                                 {"manual-reference": "bank transfer #881"}, follow=True)

    refund = Refund.objects.get(pk=failed.pk)
    assert (refund.status, refund.gateway, refund.gateway_reference) == ("succeeded", "manual",
                                                                         "bank transfer #881")
    text = _text(response)
    assert f"Refund {failed.number} is recorded as paid another way." in text
    assert "Paid another way" in text and "bank transfer #881" in text
    assert AuditEntry.objects.get(action="refund.succeeded").actor_label == agent.get_username()
    # paid now: no more actions, and a second try is a conflict
    assert "Retry the refund" not in text
    assert staff_client.post(f"/refunds/{failed.number}/manual/",
                             {"manual-reference": "again"}).status_code == 409


def test_an_analyst_sees_the_refund_but_cannot_act(client, store, failed):
    client.force_login(make_staff("analyst@shop.example", (store, Role.ANALYST)))

    page = client.get(f"/refunds/{failed.number}/")
    assert page.status_code == 200 and "Your role can view refunds but not act on them." in _text(page)
    assert "Retry the refund" not in _text(page)
    assert client.post(f"/refunds/{failed.number}/retry/").status_code == 403
    assert client.post(f"/refunds/{failed.number}/manual/", {"manual-reference": "x"}).status_code == 403
    assert Refund.objects.get(pk=failed.pk).status == "failed"


def test_an_unknown_refund_is_not_found(staff_client, failed):
    assert staff_client.get("/refunds/NOPE/").status_code == 404
