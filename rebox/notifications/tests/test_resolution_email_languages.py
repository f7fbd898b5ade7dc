"""Every resolution letter (and the thank-you) is written in every language, without
English leaking in, with both parts and the store's branding."""

import pytest

from rebox.core.actors import SYSTEM
from rebox.core.models import OutboxEvent
from rebox.notifications.compose import EMAIL_LANGUAGES, render_email
from rebox.notifications.resolution_context import thank_you_context
from rebox.notifications.resolution_emails import RESOLUTION_EMAILS
from rebox.notifications.return_context import return_context
from rebox.notifications.tests.resolution_fixtures import pay_through, publish, refund_paid
from rebox.notifications.tests.returns_fixtures import Journey
from rebox.notifications.tests.test_return_email_languages import english_phrases
from rebox.orders.models import Order
from rebox.refunds.credit import credit_issue
from rebox.refunds.tests.stripe_standin import StripeStandIn
from rebox.returns.models import Return

pytestmark = pytest.mark.django_db
KINDS = [*RESOLUTION_EMAILS, "return.resolved"]


@pytest.fixture
def events(shop, django_capture_on_commit_callbacks, broker_loses_tasks) -> dict[str, OutboxEvent]:
    """One event of each topic, about one return (goodwill about its order alone, so that it
    has a letter of its own)."""
    journey = Journey(shop, django_capture_on_commit_callbacks)
    with StripeStandIn() as stripe:
        pay_through(stripe, shop)
        ret = journey.request(language="en")
        refund = refund_paid(journey, stripe, ret=ret, amount_minor=12_000)
    account = journey.run(credit_issue, store=shop, customer=ret.order.customer, currency="EUR",
                          amount_minor=3_000, bonus_minor=300, actor=SYSTEM, key="k", ret=ret)
    new_order, _ = journey.order()
    publish(journey, "goodwill.granted", subject_type="order", subject_id=ret.order.pk,
            payload={"code": "SORRY-10", "value": "10%", "expiry": "2027-03-31", "order": ret.order.number})
    publish(journey, "exchange.created", subject_type="return", subject_id=ret.pk,
            payload={"return": ret.number, "new_order": new_order.number,
                     "goodwill": {"code": "SORRY-10", "value": "10%"}})
    return {topic: OutboxEvent.objects.filter(topic=topic).latest("created_at")
            for topic in RESOLUTION_EMAILS} | {"ret": ret, "refund": refund, "account": account}


def letter(events: dict, topic: str, language: str):
    ret: Return = events["ret"]
    Return.objects.filter(pk=ret.pk).update(language=language)
    Order.objects.filter(pk=ret.order_id).update(language=language)
    ret.refresh_from_db()
    if topic == "return.resolved":
        context = {**return_context(ret=ret, kind="return_resolved", language=language,
                                    payload={"number": ret.number}, name="Ana Jensen"),
                   **thank_you_context(ret, language)}
        context["offer"] = {"code": "SORRY-10", "worth": "10 %", "until": ""}
        return render_email(kind="return_resolved", language=language, context=context)
    entry = RESOLUTION_EMAILS[topic]
    found = entry.letter(events[topic])
    assert found is not None and found.recipient.language == language
    return render_email(kind=entry.kind, language=language, context=found.context)


@pytest.mark.parametrize("topic", KINDS)
@pytest.mark.parametrize("language", [lang for lang in EMAIL_LANGUAGES if lang != "en"])
def test_each_resolution_letter_is_translated_and_its_main_sentence_is_not_english(events, topic, language):
    english = letter(events, topic, "en")
    translated = letter(events, topic, language)

    assert translated.language == language
    assert translated.subject and translated.subject != english.subject
    assert f'lang="{language}"' in translated.html
    ret = events["ret"]
    known = {ret.number, ret.order.number, ret.store.name, "Ana Jensen", "SORRY-10", "Item TEE", "Item MUG",
             "PayPal", events["refund"].number, events["account"].code}
    phrases = english_phrases(english.text, known=known)
    assert phrases, "the English main sentence has words of its own"
    leaked = [phrase for phrase in phrases if phrase in translated.text or phrase in translated.html]
    assert not leaked, f"English in the {language} {topic} letter: {leaked}"
    if topic in ("exchange.created", "goodwill.granted", "return.resolved"):
        assert "SORRY-10" in translated.text and "SORRY-10" in translated.html
    if topic == "credit.issued":
        assert events["account"].code in translated.text


@pytest.mark.parametrize("topic", KINDS)
def test_each_resolution_letter_in_english_has_both_parts_and_the_store_branding(events, topic):
    email = letter(events, topic, "en")

    assert email.subject and "\n" not in email.subject
    assert email.text.strip() and events["ret"].store.name in email.text
    assert events["ret"].store.brand_color in email.html and 'dir="ltr"' in email.html
    assert "{{" not in email.text and "{%" not in email.html
