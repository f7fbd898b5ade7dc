"""Every letter of the return table is written in every language, without English leaking in."""

import re

import pytest

from rebox.catalog.models import Supplier
from rebox.notifications.compose import EMAIL_LANGUAGES, render_email
from rebox.notifications.return_context import return_context
from rebox.notifications.return_emails import RETURN_EMAILS, email_kind
from rebox.notifications.tests.returns_fixtures import Journey
from rebox.returns.models import ReceivingException, Return

pytestmark = pytest.mark.django_db

PAYLOADS = {
    "return.info_requested": {"question": "Photo of the sole?"},
    "parcel.label_ready": {"parcel_id": 5, "document": "label"},
    "supplier.return_routed": {"parcel_id": 5, "supplier": "acme", "decision_url": "https://x.example/d"},
}
# (topic, withdrawal): the EU acknowledgement is a letter of its own
LETTERS = [(topic, False) for topic in RETURN_EMAILS] + [("return.requested", True)]


@pytest.fixture
def ret(shop, django_capture_on_commit_callbacks) -> Return:
    ret = Journey(shop, django_capture_on_commit_callbacks).request(language="en")
    Supplier.objects.create(store=shop, code="acme", name="Acme", email="r@acme.example")
    ReceivingException.objects.create(store=shop, ret=ret, kind="unexpected", recorded_by="w")
    Return.objects.filter(pk=ret.pk).update(decline_reason="Worn.")
    ret.refresh_from_db()
    return ret


def letter(ret: Return, topic: str, withdrawal: bool, language: str):
    ret.withdrawal = withdrawal
    entry = RETURN_EMAILS[topic]
    payload = {"number": ret.number, **PAYLOADS.get(topic, {})}
    kind = email_kind(entry, ret=ret, payload=payload)
    recipient = entry.to(ret, payload)
    context = return_context(ret=ret, kind=kind, language=language, payload=payload,
                             name=recipient.name, supplier=recipient.supplier)
    return render_email(kind=kind, language=language, context=context)


def english_phrases(text: str, *, known: set[str]) -> set[str]:
    """Every run of four English words in the letter's main sentence (its first paragraph),
    leaving out what comes from data (names, items, numbers)."""
    main = text.split("\n\n", 1)[0]
    for value in known:
        main = main.replace(value, " | ")
    words = re.findall(r"[A-Za-z']+|\|", main)
    return {" ".join(words[i:i + 4]) for i in range(len(words) - 3) if "|" not in words[i:i + 4]}


@pytest.mark.parametrize("topic, withdrawal", LETTERS)
@pytest.mark.parametrize("language", [lang for lang in EMAIL_LANGUAGES if lang != "en"])
def test_each_letter_is_translated_and_its_main_sentence_is_not_english(ret, topic, withdrawal, language):
    english = letter(ret, topic, withdrawal, "en")
    translated = letter(ret, topic, withdrawal, language)

    assert translated.language == language
    assert translated.subject and translated.subject != english.subject
    assert f'lang="{language}"' in translated.html
    # the buyer of a gift knows their order, not the recipient's return
    assert (ret.order.number if topic == "return.gift_buyer_notice" else ret.number) in translated.text
    known = {ret.number, ret.order.number, ret.store.name, "Ana Jensen", "Acme", "Item TEE", "Item MUG",
             "QR", "PDF"}
    phrases = english_phrases(english.text, known=known)
    assert phrases, "the English main sentence has words of its own"
    leaked = [phrase for phrase in phrases if phrase in translated.text or phrase in translated.html]
    assert not leaked, f"English in the {language} {topic} letter: {leaked}"


@pytest.mark.parametrize("topic, withdrawal", LETTERS)
def test_each_letter_in_english_has_both_parts_and_the_store_branding(ret, topic, withdrawal):
    email = letter(ret, topic, withdrawal, "en")

    assert email.subject and "\n" not in email.subject
    assert email.text.strip() and ret.store.name in email.text
    assert ret.store.brand_color in email.html and 'dir="ltr"' in email.html
