"""Refunds, store credit, exchanges and goodwill reach the customer through a real SMTP
server, in their language, once per event."""

from datetime import UTC, datetime

import pytest

from rebox.core.actors import SYSTEM
from rebox.core.models import OutboxEvent
from rebox.core.money import Money
from rebox.core.outbox import outbox_deliver_event
from rebox.notifications.models import Notification
from rebox.notifications.tests.conftest import parts
from rebox.notifications.tests.resolution_fixtures import AGENT, pay_through, publish, refund_paid
from rebox.notifications.tests.returns_fixtures import Journey
from rebox.notifications.tests.test_return_emails import links_to_status_page
from rebox.refunds.credit import credit_issue
from rebox.refunds.services import refund_create, refund_execute
from rebox.refunds.tests.stripe_standin import StripeStandIn
from rebox.returns.models import Return
from rebox.returns.services import return_transition
from rebox.testing import make_location, make_store

pytestmark = pytest.mark.django_db


@pytest.fixture
def stripe():
    with StripeStandIn() as standin:
        yield standin


@pytest.fixture
def journey(shop, stripe, django_capture_on_commit_callbacks):
    pay_through(stripe, shop)
    return Journey(shop, django_capture_on_commit_callbacks)


@pytest.fixture
def nordic_journey(db, django_capture_on_commit_callbacks):
    store = make_store("nordic", name="Nordisk Sko", currency="EUR", country="DK",
                       languages=("da", "en", "he", "uk"), time_zone="Europe/Copenhagen",
                       support_email="hjaelp@nordisk.example", branding={"primary_color": "#0f766e"})
    make_location(store)
    return Journey(store, django_capture_on_commit_callbacks)


def resolve(journey: Journey, ret: Return) -> None:
    """The return reaches ``resolved`` the way the refunds app moves it (after inspection)."""
    Return.objects.filter(pk=ret.pk).update(status="inspected")
    journey.run(return_transition, ret=ret, to="resolved", actor=SYSTEM, why="paid back")


def test_refund_email_in_hebrew_is_right_to_left_with_the_amount_written_for_hebrew(journey, stripe,
                                                                                   smtp_server):
    ret = journey.request(language="he")

    refund_paid(journey, stripe, ret=ret, amount_minor=40_000)

    message = smtp_server.messages[-1]
    text, html = parts(message)
    amount = Money(40_000, "EUR").format("he")
    assert amount == "\u200f400.00\xa0\u200f€"  # Babel's Hebrew form, not "€400.00"
    # the subject line folds the no-break space into a space
    assert amount.replace("\xa0", " ") in message["Subject"] and "ההחזר הכספי" in message["Subject"]
    assert message["To"] == "ana@example.com" and message["Content-Language"] == "he"
    assert 'dir="rtl"' in html and 'lang="he"' in html and f"<strong>{amount}</strong>" in html
    for part in (text, html):
        assert amount in part and "€400.00" not in part
        assert "לכרטיס שבו שילמתם" in part  # to the card the customer paid with
        assert "5 עד 10 ימי עסקים" in part  # when a card refund shows
        assert ret.number in part
    assert links_to_status_page(html, ret, before='href="') and links_to_status_page(text, ret)
    assert Notification.objects.get(kind="refund_issued").language == "he"


def test_refund_email_is_sent_once_when_the_event_is_delivered_twice(journey, stripe, smtp_server):
    ret = journey.request(language="en")
    refund = refund_paid(journey, stripe, ret=ret, amount_minor=15_000)
    event = OutboxEvent.objects.get(topic="refund.succeeded", subject_id=refund.pk)

    OutboxEvent.objects.filter(pk=event.pk).update(processed_at=None)  # a crash before it was marked
    with journey.capture(execute=True):
        assert outbox_deliver_event(event.pk)

    refund_emails = [m for m in smtp_server.messages if "refund" in m["Subject"]]
    assert len(refund_emails) == 1
    text, _html = parts(refund_emails[0])
    assert "we have refunded €150.00 to the card you paid with for your return" in text
    assert "usually shows on your statement within 5 to 10 business days" in text
    assert f"Refund reference: {refund.number}" in text
    assert Notification.objects.filter(event_id=event.pk).count() == 1


def test_a_failed_refund_writes_to_no_customer(journey, stripe, smtp_server):
    ret = journey.request(language="en")
    payment = ret.order.payments.get()
    stripe.mode = "refuse"
    from unittest import mock

    with mock.patch("rebox.refunds.services._enqueue"):
        refund = journey.run(refund_create, order=ret.order, payment=payment, amount_minor=1_000,
                             actor=AGENT, ret=ret)
    assert journey.run(refund_execute, refund_id=refund.pk) == "failed"

    assert OutboxEvent.objects.filter(topic="refund.failed", subject_id=refund.pk).exists()
    assert not Notification.objects.filter(kind="refund_issued").exists()
    assert len(smtp_server.messages) == 1  # only the request's acknowledgement


def test_refund_without_a_return_names_the_order_and_has_no_status_link(journey, stripe, smtp_server):
    order, _lines = journey.order(language="da")

    refund_paid(journey, stripe, order=order, amount_minor=5_000)

    [message] = smtp_server.messages
    text, _html = parts(message)
    amount = Money(5_000, "EUR").format("da")
    assert f"tilbagebetalt {amount} for din ordre {order.number} til det kort, du betalte med." in text
    assert "/r/" not in text


def test_store_credit_email_in_danish_gives_the_code_and_how_to_use_it(nordic_journey, smtp_server):
    ret = nordic_journey.request(language="da", resolution="store_credit")
    customer = ret.order.customer

    account = nordic_journey.run(
        credit_issue, store=nordic_journey.store, customer=customer, currency="EUR", amount_minor=55_000,
        bonus_minor=5_500, actor=SYSTEM, key=f"return:{ret.number}", ret=ret,
        expires_at=datetime(2027, 6, 30, 12, tzinfo=UTC))

    message = smtp_server.messages[-1]
    text, html = parts(message)
    total, bonus = Money(60_500, "EUR").format("da"), Money(5_500, "EUR").format("da")
    assert "tilgodehavende" in message["Subject"] and total.replace("\xa0", " ") in message["Subject"]
    assert message["To"] == customer.email and 'lang="da"' in html and "#0f766e" in html
    for part in (text, html):
        assert account.code in part
        assert total in part and f"bonus på {bonus}" in part
        assert "Indtast koden ved kassen" in part
        assert "30. juni 2027" in part
        assert ret.number in part
    assert links_to_status_page(text, ret)


def test_credit_email_is_sent_once_when_the_event_is_delivered_twice(nordic_journey, smtp_server):
    order, _ = nordic_journey.order(language="en")
    nordic_journey.run(credit_issue, store=nordic_journey.store, customer=order.customer, currency="EUR",
                       amount_minor=2_000, actor=SYSTEM, key="goodwill-1", why="sorry")
    event = OutboxEvent.objects.get(topic="credit.issued")

    OutboxEvent.objects.filter(pk=event.pk).update(processed_at=None)
    with nordic_journey.capture(execute=True):
        assert outbox_deliver_event(event.pk)

    [message] = smtp_server.messages
    text, _ = parts(message)
    # no return: the language of the customer's order, not the store's Danish
    assert "Hi Ana Jensen, you now have €20.00 of store credit with Nordisk Sko." in text
    assert "It does not expire." in text


def test_exchange_email_names_the_new_order_what_comes_and_the_goodwill_code(journey, smtp_server):
    ret = journey.request(language="uk", resolution="exchange")
    new_order, _ = journey.order(language="uk")
    publish(journey, "goodwill.granted", subject_type="return", subject_id=ret.pk,
            payload={"code": "SORRY-10", "value": "10%", "expiry": "2027-03-31", "return": ret.number,
                     "order": ret.order.number})
    assert Notification.objects.filter(kind="goodwill_offer").count() == 0  # the exchange letter carries it

    publish(journey, "exchange.created", subject_type="return", subject_id=ret.pk,
            payload={"return": ret.number, "new_order": new_order.number})

    message = smtp_server.messages[-1]
    text, html = parts(message)
    assert new_order.number in message["Subject"] and "обмін" in message["Subject"]
    for part in (text, html):
        assert "Item TEE" in part and "Item MUG" in part  # what is coming: the new order's lines
        assert "SORRY-10" in part and "знижка 10 % на наступне замовлення" in part
        assert "31 березня 2027" in part
    assert len([m for m in smtp_server.messages if "SORRY-10" in parts(m)[0]]) == 1


def test_thank_you_after_resolution_carries_a_goodwill_code(journey, smtp_server):
    ret = journey.request(language="en", resolution="refund")
    publish(journey, "goodwill.granted", subject_type="return", subject_id=ret.pk,
            payload={"code": "THANKS-5", "value": {"kind": "amount", "value": 500}, "return": ret.number})

    resolve(journey, ret)

    message = smtp_server.messages[-1]
    text, html = parts(message)
    assert message["Subject"] == f"Thank you: your return {ret.number} is complete"
    assert "Your refund has been issued to the way you paid" in text
    assert "As a thank-you, here is €5.00 off your next order: use the code THANKS-5 at checkout." in text
    assert "THANKS-5" in html
    assert [m["Subject"] for m in smtp_server.messages].count(message["Subject"]) == 1
    assert not Notification.objects.filter(kind="goodwill_offer").exists()


def test_goodwill_after_the_thank_you_went_out_gets_a_letter_of_its_own(journey, smtp_server):
    ret = journey.request(language="en")
    resolve(journey, ret)

    publish(journey, "goodwill.granted", subject_type="return", subject_id=ret.pk,
            payload={"code": "LATE-1", "value": "15%", "return": ret.number})

    message = smtp_server.messages[-1]
    text, _html = parts(message)
    assert message["Subject"] == "A thank-you from Dune & Sea"
    assert "15 % off your next order" in text and "LATE-1" in text
    assert Notification.objects.get(kind="goodwill_offer").subject_id == ret.pk


def test_an_exchange_return_gets_no_separate_thank_you(journey, smtp_server):
    ret = journey.request(language="en", resolution="exchange")

    resolve(journey, ret)

    assert not Notification.objects.filter(kind="return_resolved").exists()


def test_goodwill_granted_by_staff_before_resolution_rides_on_the_thank_you_in_danish(nordic_journey,
                                                                                   smtp_server):
    grant = pytest.importorskip("rebox.refunds.goodwill").goodwill_discount_grant
    ret = nordic_journey.request(language="da")
    code = nordic_journey.run(grant, order=ret.order, actor=AGENT, why="late parcel", amount_minor=2_500,
                              ret=ret).code
    assert not Notification.objects.filter(kind="goodwill_offer").exists()

    resolve(nordic_journey, ret)

    text, html = parts(smtp_server.messages[-1])
    worth = Money(2_500, "EUR").format("da")
    assert f"Som tak får du {worth} rabat på din næste ordre: brug koden {code} ved kassen." in text
    assert code in html and "Gælder til og med" in text
    assert sum(code in parts(m)[0] for m in smtp_server.messages) == 1
