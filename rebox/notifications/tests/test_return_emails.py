"""The return journey's emails reach customers (and buyers, and suppliers) through a real SMTP
server, in their language, once per event."""

import re
from datetime import UTC, date, datetime

import pytest

from rebox.catalog.models import Supplier
from rebox.core.actors import Actor
from rebox.core.models import OutboxEvent
from rebox.core.money import Money
from rebox.core.outbox import outbox_deliver_event
from rebox.notifications.models import Notification
from rebox.notifications.tests.conftest import parts
from rebox.notifications.tests.returns_fixtures import Journey
from rebox.returns.links import return_for_status_token
from rebox.returns.models import ReceivingException, Return
from rebox.returns.services import return_approve, return_decline
from rebox.testing import make_location, make_store

pytestmark = pytest.mark.django_db
AGENT = Actor("staff", "agent@dune.example")


def links_to_status_page(part: str, ret: Return, *, before: str = "") -> bool:
    """The part links (after ``before``) to the signed status page of exactly this return."""
    found = re.search(re.escape(before) + rf"\s*https?://\S+/s/{ret.store.slug}/r/([^\s\"<&]+)", part)
    return bool(found) and return_for_status_token(store_id=ret.store_id, token=found[1]) == ret


@pytest.fixture
def nordic(db):
    store = make_store("nordic", name="Nordisk Sko", currency="EUR", country="DK",
                       languages=("da", "en", "he", "uk"), time_zone="Europe/Copenhagen",
                       support_email="hjaelp@nordisk.example", branding={"primary_color": "#0f766e"})
    make_location(store)
    return store


@pytest.fixture
def journey(shop, django_capture_on_commit_callbacks):
    return Journey(shop, django_capture_on_commit_callbacks)


@pytest.fixture
def nordic_journey(nordic, django_capture_on_commit_callbacks):
    return Journey(nordic, django_capture_on_commit_callbacks)


def test_withdrawal_is_acknowledged_in_danish_with_its_content_and_when_it_arrived(nordic_journey,
                                                                                  smtp_server):
    declared = datetime(2026, 11, 24, 13, 5, tzinfo=UTC)  # 14.05 in Copenhagen (winter time)

    ret = nordic_journey.request(language="da", withdrawal=True, declared_at=declared, channel="withdrawal")

    [message] = smtp_server.messages  # the acknowledgement replaces the ordinary "we got it"
    text, html = parts(message)
    assert message["To"] == "ana@example.com"
    assert "fortrydelse" in message["Subject"] and ret.order.number in message["Subject"]
    for part in (text, html):
        assert "Jeg meddeler herved, at jeg gør fortrydelsesretten gældende" in part
        assert ret.order.number in part and ret.number in part and "ana@example.com" in part
        assert "Item TEE" in part and "Item MUG" in part
        assert "24. november 2026" in part and "14.05" in part
        assert "Europe/Copenhagen, UTC+01:00" in part
        assert "varigt medium" in part
    assert 'lang="da"' in html and "Nordisk Sko" in html and "#0f766e" in html
    assert links_to_status_page(text, ret) and links_to_status_page(html, ret)
    assert Notification.objects.get().kind == "withdrawal_received"


def test_approval_in_hebrew_is_right_to_left_and_says_how_to_send(journey, smtp_server):
    ret = journey.request(language="he")

    journey.run(return_approve, ret=ret, actor=AGENT)

    requested, approved = smtp_server.messages
    text, html = parts(approved)
    assert "אושרה" in approved["Subject"] and ret.number in approved["Subject"]
    assert 'dir="rtl"' in html and 'lang="he"' in html
    assert f'<strong dir="ltr">{ret.number}</strong>' in html
    assert "הדביקו על החבילה את תווית המשלוח" in html and "הדביקו על החבילה את תווית המשלוח" in text
    ret.refresh_from_db()
    assert "יש לשלוח את החבילה עד" in text
    assert links_to_status_page(html, ret, before='href="')
    assert approved["Content-Language"] == "he"


def test_courier_pickup_approval_names_the_pickup_day(journey, smtp_server):
    ret = journey.request(language="en")
    Return.objects.filter(pk=ret.pk).update(method="courier_pickup", pickup_date=date(2026, 12, 3))

    journey.run(return_approve, ret=ret, actor=AGENT)

    text, _html = parts(smtp_server.messages[-1])
    assert "a courier will collect the parcel from you on December 3, 2026." in text


def test_a_gift_return_shows_no_price_to_the_recipient_or_the_buyer(journey, smtp_server):
    journey.store.gift_returns_notify_buyer = True
    journey.store.save()

    ret = journey.request(language="en", order_language="da", gift=True, resolution="store_credit",
                          email="friend@example.com")

    by_recipient = {m["To"]: m for m in smtp_server.messages}
    assert set(by_recipient) == {"friend@example.com", "ana@example.com"}
    prices = [Money(minor, ret.currency).format(lang) for minor in (20_000, 15_000, 40_000, 55_000)
              for lang in ("en", "da")]
    for message in smtp_server.messages:
        text, html = parts(message)
        assert "Item TEE" in text
        assert not [price for price in prices if price in text or price in html]
        assert "₪" not in text + html and "€" not in text + html
    buyer_text, _ = parts(by_recipient["ana@example.com"])
    assert "gave fra din ordre" in buyer_text and "et tilgodehavende" in buyer_text


def test_an_ordinary_request_shows_what_the_items_are_worth(journey, smtp_server):
    ret = journey.request(language="en")

    text, html = parts(smtp_server.messages[0])
    value = Money(ret.value_minor, ret.currency).format("en")
    assert f"Value of the items: {value}" in text and value in html


def test_decline_tells_the_reason_staff_wrote(journey, smtp_server):
    ret = journey.request(language="uk")

    journey.run(return_decline, ret=ret, actor=AGENT, reason="Товар мав сліди носіння.")

    text, html = parts(smtp_server.messages[-1])
    assert "відхилено" in smtp_server.messages[-1]["Subject"]
    assert "Причина: Товар мав сліди носіння." in text and "Товар мав сліди носіння." in html


def test_the_customer_gets_one_email_when_the_event_is_delivered_twice(journey, smtp_server):
    ret = journey.request(language="en")
    event = OutboxEvent.objects.get(topic="return.requested", subject_id=ret.pk)

    OutboxEvent.objects.filter(pk=event.pk).update(processed_at=None)  # a crash before it was marked
    with journey.capture(execute=True):
        assert outbox_deliver_event(event.pk)

    assert len(smtp_server.messages) == 1
    assert Notification.objects.filter(event_id=event.pk).count() == 1


def test_received_email_tells_exceptions_in_plain_words(journey, smtp_server):
    ret = journey.request(language="da")
    tee = ret.lines.get(order_line__sku="TEE")
    ReceivingException.objects.create(store=ret.store, ret=ret, line=tee, kind="short", quantity=1,
                                      recorded_by="warehouse")
    ReceivingException.objects.create(store=ret.store, ret=ret, kind="unexpected", recorded_by="warehouse")

    journey.publish("return.received", ret, status="received")

    text, html = parts(smtp_server.messages[-1])
    assert "Der kom færre varer end anmeldt: Item TEE, 1 mangler." in text
    assert "Der lå en ekstra vare i pakken" in html


def test_inspection_result_names_no_amount(journey, smtp_server):
    ret = journey.request(language="en")
    ret.lines.filter(order_line__sku="TEE").update(acceptance="accepted")
    ret.lines.filter(order_line__sku="MUG").update(acceptance="rejected")

    journey.publish("return.inspected", ret, status="inspected")

    text, html = parts(smtp_server.messages[-1])
    assert "2 × Item TEE (TEE): accepted" in text and "1 × Item MUG (MUG): not accepted" in text
    assert "Next we prepare your refund" in text
    assert Money(ret.value_minor, ret.currency).format("en") not in text + html


def test_info_request_asks_the_question_with_a_link_to_add_photos(journey, smtp_server):
    ret = journey.request(language="en")

    journey.publish("return.info_requested", ret, question="Could you send a photo of the sole?")

    text, html = parts(smtp_server.messages[-1])
    assert "Our question: Could you send a photo of the sole?" in text
    assert links_to_status_page(text, ret, before="Add photos or an answer here:")
    assert "Add photos or an answer</a>" in html


def test_expiry_reminder_and_expiry_name_the_date(journey, smtp_server):
    ret = journey.request(language="en")
    journey.run(return_approve, ret=ret, actor=AGENT)
    Return.objects.filter(pk=ret.pk).update(send_by=datetime(2026, 12, 1, 22, 30, tzinfo=UTC))

    journey.publish("return.expiry_reminder", ret, send_by="2026-12-01T22:30:00+00:00")
    journey.publish("return.expired", ret, status="expired")

    reminder, expired = smtp_server.messages[-2:]
    # 22:30 UTC is already 2 December in Jerusalem, the store's zone
    assert reminder["Subject"] == f"Reminder: send your return {ret.number} by December 2, 2026"
    assert "has expired" in expired["Subject"]


def test_supplier_is_asked_to_decide_in_the_stores_language(journey, smtp_server):
    ret = journey.request(language="en")
    Supplier.objects.create(store=journey.store, code="acme", name="Acme Ltd", email="returns@acme.example")

    journey.publish("supplier.return_routed", ret, subject_type="parcel", subject_id=77, parcel_id=77,
                    supplier="acme", decision_url="https://rebox.example/s/decide/abc")

    message = smtp_server.messages[-1]
    text, html = parts(message)
    assert message["To"] == "returns@acme.example"
    assert 'lang="he"' in html and "ספקים של" in html  # the shop writes Hebrew first
    decision = "https://rebox.example/s/decide/abc"
    assert decision in text and f'href="{decision}"' in html
    assert "77" in text


def test_label_email_without_a_parcel_points_to_the_status_page(journey, smtp_server):
    ret = journey.request(language="en")

    journey.publish("parcel.label_ready", ret, subject_type="parcel", subject_id=5, parcel_id=5,
                    document="label")

    message = smtp_server.messages[-1]
    text, _html = parts(message)
    assert message["Subject"] == f"Your return label for {ret.number}"
    assert "You find it on the page of your return." in text and links_to_status_page(text, ret)
    assert not list(message.iter_attachments())


def test_label_bought_by_shipping_reaches_the_customer_with_its_signed_link(journey, smtp_server):
    from rebox.core.models import Address

    Address.objects.create(store=journey.store, label="Warehouse", name="Dune & Sea returns",
                           line1="Ha-Masger 5", city="Tel Aviv", postal_code="6721405", country="IL",
                           is_default=True)
    ret = journey.request(language="en")

    journey.run(return_approve, ret=ret, actor=AGENT)

    [label_email] = [m for m in smtp_server.messages if "return label" in m["Subject"]]
    text, html = parts(label_email)
    assert "Your prepaid return label for return" in text
    event = OutboxEvent.objects.get(topic="parcel.label_ready")
    assert Notification.objects.get(event_id=event.pk).recipient == "ana@example.com"
    attachments = list(label_email.iter_attachments())
    if attachments:  # shipping gives the PDF's bytes
        assert attachments[0].get_content_type() == "application/pdf"
        assert attachments[0].get_content().startswith(b"%PDF")
    else:  # otherwise the signed label address
        assert re.search(r"Download it here: https?://\S+", text)


def test_drop_off_code_is_attached_when_shipping_gives_the_pdf(journey, smtp_server, monkeypatch):
    from rebox.shipping import selectors
    from rebox.shipping.selectors import ParcelView

    ret = journey.request(language="da", method="drop_off")
    view = ParcelView(id=5, destination_name="Lager", destination_kind="warehouse", label_status="ready",
                      label_url="", qr_url="https://rebox.example/l/5", tracking_number="", tracking_url="",
                      status="created")
    monkeypatch.setattr(selectors, "parcels_for_return", lambda r: [view] if r == ret else [])
    monkeypatch.setattr(selectors, "label_pdf", lambda *, ret, parcel_id: b"%PDF-1.4 qr", raising=False)

    journey.publish("parcel.label_ready", ret, subject_type="parcel", subject_id=5, parcel_id=5,
                    document="drop_off_qr")
    journey.publish("parcel.label_ready", ret, subject_type="parcel", subject_id=5, parcel_id=5,
                    document="drop_off_qr")  # another event (a retried purchase): another email

    message = smtp_server.messages[-1]
    text, _html = parts(message)
    assert message["Subject"] == f"Din afleveringskode til returnering {ret.number}"
    assert "Vis QR-koden i butikken eller pakkeshoppen" in text and "vedhæftet" in text
    [attachment] = message.iter_attachments()
    assert attachment.get_filename() == f"drop-off-qr-{ret.number}.pdf"
    assert attachment.get_content() == b"%PDF-1.4 qr"
    assert Notification.objects.filter(kind="return_label_ready").count() == 2
