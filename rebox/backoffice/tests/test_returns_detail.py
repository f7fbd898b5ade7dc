"""A return's page: what was asked and why, and the agent's three answers with their errors."""

import pytest

from rebox.backoffice.tests.conftest import make_staff
from rebox.backoffice.tests.page import Page
from rebox.backoffice.tests.returns_setup import requested_return
from rebox.core.actors import Actor
from rebox.core.models import AuditEntry, OutboxEvent, Role
from rebox.returns.models import Return, ReturnLine
from rebox.returns.services import return_decline

pytestmark = pytest.mark.django_db


@pytest.fixture
def ret(api, store):
    ret = requested_return(api, store, "OA", reason="defective")
    ReturnLine.objects.filter(ret=ret).update(comment="The seam came apart")
    return ret


def test_the_page_shows_lines_policy_and_timeline(staff_client, ret):
    response = staff_client.get(f"/returns/{ret.number}/")

    assert response.status_code == 200
    text = Page(response.content.decode()).root.text()
    assert ret.number in text and "Requested" in text
    assert "TEE" in text and "Defective or damaged" in text and "The seam came apart" in text
    assert "Defect" in text and "Awaiting" in text and "Not decided yet" in text
    assert "What the policy decided" in text and "Policy version 1" in text
    assert "Return requested" in text and "Needs a staff decision" in text
    assert "Refund" in text and "Prepaid mail label" in text and "Answer by" in text


def test_approving_moves_the_return_and_says_so(staff_client, agent, ret):
    response = staff_client.post(f"/returns/{ret.number}/approve/", follow=True)

    assert Return.objects.get(pk=ret.pk).status == "approved"
    assert f"Return {ret.number} approved." in response.content.decode()
    entry = AuditEntry.objects.get(action="return.approved", subject_id=ret.pk)
    assert entry.actor_type == "staff" and entry.actor_label == agent.get_username()


def test_declining_needs_a_reason_shown_beside_the_field(staff_client, ret):
    response = staff_client.post(f"/returns/{ret.number}/decline/", {"decline-reason": "  "})

    assert response.status_code == 422
    assert "Write why, in words the customer understands." in Page(response.content.decode()).around(
        "decline-reason")
    assert Return.objects.get(pk=ret.pk).status == "requested"


def test_declining_keeps_the_reason_the_customer_sees(staff_client, ret):
    staff_client.post(f"/returns/{ret.number}/decline/", {"decline-reason": "Worn outside."})

    ret.refresh_from_db()
    assert ret.status == "declined" and ret.decline_reason == "Worn outside."
    page = staff_client.get(f"/returns/{ret.number}/").content.decode()
    assert "Why it was declined (the customer sees this)" in page and "Worn outside." in page


def test_asking_for_more_keeps_the_status_and_shows_the_question(staff_client, ret):
    response = staff_client.post(f"/returns/{ret.number}/request-info/",
                                 {"info-question": "A photo of the seam, please."}, follow=True)

    ret.refresh_from_db()
    assert ret.status == "requested" and ret.info_requested == "A photo of the seam, please."
    assert OutboxEvent.objects.filter(topic="return.info_requested", subject_id=ret.pk).exists()
    html = response.content.decode()
    assert "The customer is asked for more information." in html and "More information asked for" in html


def test_an_empty_question_is_an_error_beside_the_field(staff_client, ret):
    response = staff_client.post(f"/returns/{ret.number}/request-info/", {"info-question": ""})

    assert response.status_code == 422
    assert "Write what the customer should add." in Page(response.content.decode()).around("info-question")
    assert not OutboxEvent.objects.filter(topic="return.info_requested").exists()


def test_acting_on_a_return_someone_else_moved_names_its_current_status(staff_client, ret):
    return_decline(ret=ret, actor=Actor("staff", "colleague"), reason="Too late")

    response = staff_client.post(f"/returns/{ret.number}/approve/")

    assert response.status_code == 409
    alert = Page(response.content.decode()).find(role="alert").text()
    assert "it is now Declined" in alert and "Nothing was changed" in alert
    assert Return.objects.get(pk=ret.pk).status == "declined"


def test_an_analyst_can_read_the_return_but_not_decide(client, store, ret):
    client.force_login(make_staff("analyst@shop.example", (store, Role.ANALYST)))

    page = client.get(f"/returns/{ret.number}/").content.decode()
    refused = client.post(f"/returns/{ret.number}/approve/")

    assert "can view returns but not decide" in page and "approve-form" not in page
    assert refused.status_code == 403
    assert Return.objects.get(pk=ret.pk).status == "requested"


def test_another_stores_return_is_not_found(client, other_store, ret):
    client.force_login(make_staff("elsewhere@example.com", (other_store, Role.OWNER)))

    assert client.get(f"/returns/{ret.number}/").status_code == 404
    assert client.post(f"/returns/{ret.number}/approve/").status_code == 404
    assert client.post(f"/returns/{ret.number}/decline/", {"decline-reason": "x"}).status_code == 404
    assert Return.objects.get(pk=ret.pk).status == "requested"


def test_parcels_show_when_the_shipping_app_has_them(staff_client, ret, monkeypatch):
    from types import SimpleNamespace

    from rebox.backoffice.returns import detail

    parcel = SimpleNamespace(id=1, destination_name="Main warehouse", label_status="ready",
                             label_url="https://x.example/label.pdf", tracking_number="TRK1",
                             tracking_url="https://track.example/TRK1", status="in_transit")
    monkeypatch.setattr(detail, "parcels_of", lambda r: [parcel])

    html = staff_client.get(f"/returns/{ret.number}/").content.decode()

    assert "Main warehouse" in html and 'href="https://x.example/label.pdf"' in html and "TRK1" in html


def test_the_customers_photo_shows_as_a_thumbnail_served_to_staff_of_this_store_only(
        staff_client, client, other_store, ret):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from rebox.returns.evidence import evidence_add
    from rebox.returns.tests.test_evidence_files import image_bytes

    png = image_bytes("PNG")
    photo = evidence_add(ret=ret, upload=SimpleUploadedFile("seam.png", png, "image/png"),
                         actor=Actor("customer", ret.email))
    url = f"/returns/{ret.number}/evidence/{photo.pk}/"

    html = staff_client.get(f"/returns/{ret.number}/").content.decode()
    served = staff_client.get(url)
    client.force_login(make_staff("elsewhere@example.com", (other_store, Role.OWNER)))

    assert f'<img src="{url}"' in html
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content if served.streaming else [served.content]) == png
    assert served["X-Content-Type-Options"] == "nosniff"
    assert client.get(url).status_code == 404
