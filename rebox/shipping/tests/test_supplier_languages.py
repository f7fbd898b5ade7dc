"""A dropship supplier reads their decision page and their email in their own language
(Hebrew right to left), and so does whoever opens a link that is no longer valid."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse

import pytest
from babel.messages.pofile import read_po
from django.core import mail

from rebox.catalog.models import Supplier
from rebox.core.links import link_token
from rebox.shipping.links import supplier_url
from rebox.shipping.models import Parcel
from rebox.shipping.tests.conftest import approve, dropship_order, request_return
from rebox.testing import make_store

pytestmark = pytest.mark.django_db
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"


@pytest.fixture
def supplier_parcel(world, store, api, django_capture_on_commit_callbacks):
    lines = dropship_order(api, store)
    number = request_return(api, "D1", (lines["LAMP"], 1))
    ret = approve(api, number, django_capture_on_commit_callbacks)
    return Parcel.objects.get(ret=ret, supplier=world["acme"])


def speaks(parcel: Parcel, language: str) -> Parcel:
    Supplier.objects.filter(pk=parcel.supplier_id).update(language=language)
    return parcel


def page(parcel: Parcel) -> str:
    return urlparse(supplier_url(parcel)).path


def html(response) -> str:
    return response.content.decode()


def visible_text(response) -> str:
    """What a reader sees: the body without tags, form values or the hidden CSRF token."""
    body = html(response).split("<body>", 1)[1]
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def english_phrases(text: str, *, known: set[str]) -> set[str]:
    """Every run of three English words of a page, leaving out what comes from data."""
    for value in known:
        text = text.replace(value, " | ")
    words = re.findall(r"[A-Za-z']+|\|", text)
    return {" ".join(words[i:i + 3]) for i in range(len(words) - 2) if "|" not in words[i:i + 3]}


def test_a_hebrew_supplier_gets_the_page_right_to_left_in_hebrew(client, supplier_parcel):
    shown = client.get(page(speaks(supplier_parcel, "he")))

    assert shown.status_code == 200 and shown["Content-Language"] == "he"
    assert '<html lang="he" dir="rtl">' in html(shown)
    assert "אישור ההחזרה" in html(shown) and "דחיית ההחזרה" in html(shown)
    assert f"החזרה {supplier_parcel.ret.number}" in html(shown)
    assert "Accept the return" not in html(shown)


def test_names_keep_their_direction_in_a_hebrew_sentence_and_stay_escaped(client, supplier_parcel):
    Supplier.objects.filter(pk=supplier_parcel.supplier_id).update(language="he", name="Acme <b>A/S</b>")

    shown = html(client.get(page(supplier_parcel)))

    assert "אל <bdi>Acme &lt;b&gt;A/S&lt;/b&gt;</bdi>." in shown and "<b>A/S" not in shown


@pytest.mark.parametrize("language, accept, refuse, heading", [
    ("da", "Godkend returneringen", "Afvis returneringen", "Returnering"),
    ("uk", "Прийняти повернення", "Відхилити повернення", "Повернення"),
])
def test_danish_and_ukrainian_suppliers_read_their_page_in_their_language(
        client, supplier_parcel, language, accept, refuse, heading):
    shown = client.get(page(speaks(supplier_parcel, language)))

    assert f'<html lang="{language}" dir="ltr">' in html(shown)
    assert accept in html(shown) and refuse in html(shown)
    assert f"<h1>{heading} {supplier_parcel.ret.number}</h1>" in html(shown)


@pytest.mark.parametrize("language", ["he", "da", "uk"])
def test_no_english_is_left_on_the_page_at_any_step(client, supplier_parcel, language):
    """The pending page, the recorded decision and the confirmed credit, each compared with
    the English page at the same step."""
    parcel = speaks(supplier_parcel, language)
    ret = parcel.ret
    known = {ret.number, parcel.store.name, "Acme", "LAMP", "Item LAMP", "EUR", "UTC", "Europe", "Copenhagen",
             "English", "Dansk", "Send it back"}
    steps = [lambda: None,
             lambda: client.post(page(parcel), {"action": "accept", "note": "Send it back"}),
             lambda: client.post(page(parcel), {"action": "credit", "amount_minor": "25000"})]
    for step in steps:
        step()
        english = visible_text(client.get(page(parcel) + "?lang=en"))
        translated = visible_text(client.get(page(parcel)))
        phrases = english_phrases(english, known=known)
        assert phrases, "the English page has words of its own"
        leaked = sorted(phrase for phrase in phrases if phrase in translated)
        assert not leaked, f"English on the {language} page: {leaked}"


def test_the_decision_and_the_credit_are_confirmed_in_danish_with_danish_dates_and_money(
        client, supplier_parcel):
    parcel = speaks(supplier_parcel, "da")

    decided = client.post(page(parcel), {"action": "accept", "note": "Send den"})
    # 23:30 UTC on 1 December is already 2 December in the store's Copenhagen
    Parcel.objects.filter(pk=parcel.pk).update(decided_at=datetime(2026, 12, 1, 23, 30, tzinfo=UTC))
    credited = client.post(page(parcel), {"action": "credit", "amount_minor": "25000"})

    assert decided.status_code == 200 and "Tak: jeres beslutning er registreret." in html(decided)
    assert credited.status_code == 200 and "Tak: kreditten er registreret." in html(credited)
    assert "Godkendt</strong>, 2. december 2026 00.30 (Europe/Copenhagen)" in html(credited)
    assert "Kredit bekræftet: 250,00\xa0€" in html(credited)


def test_the_credit_form_explains_minor_units_with_an_example_in_the_suppliers_language(
        client, supplier_parcel):
    parcel = speaks(supplier_parcel, "uk")
    client.post(page(parcel), {"action": "accept"})

    shown = html(client.get(page(parcel)))

    assert "у найменших одиницях EUR" in shown
    assert "Наприклад, 1000 означає 10,00\xa0EUR." in shown


def test_a_replay_and_a_wrong_amount_are_answered_in_the_suppliers_language(client, supplier_parcel):
    parcel = speaks(supplier_parcel, "uk")
    client.post(page(parcel), {"action": "refuse"})

    replay = client.post(page(parcel), {"action": "accept"})
    too_early = client.post(page(parcel), {"action": "credit", "amount_minor": "100"})

    assert replay.status_code == 409
    assert "Рішення вже ухвалено. Це повернення вже відхилено." in html(replay)
    assert too_early.status_code == 409
    assert "Кредит можливий лише для прийнятого повернення." in html(too_early)
    assert Parcel.objects.get(pk=parcel.pk).supplier_decision == "refused"


def test_a_hebrew_supplier_is_told_a_fraction_is_not_a_whole_number_of_minor_units(client, supplier_parcel):
    parcel = speaks(supplier_parcel, "he")
    client.post(page(parcel), {"action": "accept"})

    wrong = client.post(page(parcel), {"action": "credit", "amount_minor": "12.5"})

    assert wrong.status_code == 422 and "הזיכוי הוא מספר שלם של יחידות קטנות" in html(wrong)
    assert Parcel.objects.get(pk=parcel.pk).credit_confirmed_at is None


def test_the_supplier_can_switch_the_page_to_another_of_our_languages_and_act_in_it(
        client, supplier_parcel):
    parcel = speaks(supplier_parcel, "en")

    danish = client.get(page(parcel) + "?lang=da", HTTP_ACCEPT_LANGUAGE="he")
    decided = client.post(page(parcel) + "?lang=da", {"action": "accept"})
    unknown = client.get(page(parcel) + "?lang=fr")

    assert 'lang="da"' in html(danish) and "Godkend returneringen" in html(danish)
    assert 'href="?lang=he" lang="he" hreflang="he"' in html(danish)  # the way to the others
    assert "Tak: jeres beslutning er registreret." in html(decided)
    assert 'lang="en"' in html(unknown) and "Accept the return" not in html(unknown)  # decided by now


def test_the_suppliers_own_language_wins_over_the_browsers(client, supplier_parcel):
    shown = client.get(page(speaks(supplier_parcel, "da")), HTTP_ACCEPT_LANGUAGE="uk,en;q=0.5")

    assert 'lang="da"' in html(shown) and "Godkend returneringen" in html(shown)


def test_the_email_to_a_danish_supplier_is_in_danish_and_its_link_opens_the_danish_page(
        client, world, store, api, django_capture_on_commit_callbacks):
    Supplier.objects.filter(pk=world["acme"].pk).update(language="da")
    lines = dropship_order(api, store)
    number = request_return(api, "D1", (lines["LAMP"], 1))
    mail.outbox.clear()

    approve(api, number, django_capture_on_commit_callbacks)  # routes the LAMP to Acme

    [message] = [m for m in mail.outbox if m.to == ["returns@acme.example"]]
    assert message.subject == f"Returnering {number} fra {store.name} er på vej til jer"
    assert "Godkend eller afvis returneringen her:" in message.body
    [link] = re.findall(r"https?://\S+/shipping/supplier/\S+", message.body)
    assert "Godkend returneringen" in html(client.get(urlparse(link).path))


def test_a_forged_link_page_follows_the_browsers_language_or_the_one_asked_for(client, supplier_parcel):
    forged = page(supplier_parcel)[:-3] + "xyz"

    hebrew = client.get(forged, HTTP_ACCEPT_LANGUAGE="he-IL,he;q=0.9,en;q=0.5")
    ukrainian = client.post(forged + "?lang=uk", {"action": "accept"}, HTTP_ACCEPT_LANGUAGE="he")
    unknown = client.get(forged, HTTP_ACCEPT_LANGUAGE="fr")

    assert hebrew.status_code == 404 and '<html lang="he" dir="rtl">' in html(hebrew)
    assert "הקישור הזה אינו תקף" in html(hebrew) and "This link is not valid" not in html(hebrew)
    assert ukrainian.status_code == 404 and "Це посилання недійсне" in html(ukrainian)
    assert unknown.status_code == 404 and "This link is not valid" in html(unknown)
    assert "Accept-Language" in hebrew["Vary"]
    assert Parcel.objects.get(pk=supplier_parcel.pk).supplier_decision == "pending"


def test_an_expired_link_page_is_in_the_language_of_the_supplier_it_was_sent_to(
        client, supplier_parcel, monkeypatch):
    import rebox.core.links as links

    link = page(speaks(supplier_parcel, "da"))
    monkeypatch.setattr(links.link_subject, "__kwdefaults__", {"max_age": timedelta(seconds=-1)})

    expired = client.post(link, {"action": "accept"}, HTTP_ACCEPT_LANGUAGE="en")

    assert expired.status_code == 404 and "Dette link er ikke gyldigt" in html(expired)
    assert "Godkend returneringen" not in html(expired)  # nothing of the parcel is shown
    assert Parcel.objects.get(pk=supplier_parcel.pk).supplier_decision == "pending"


def test_a_link_signed_for_another_supplier_tells_nothing_of_this_ones_language(client, supplier_parcel):
    speaks(supplier_parcel, "da")
    other = link_token("supplier-decision", store_id=supplier_parcel.store_id,
                       subject=str(supplier_parcel.pk), extra="bolt")

    shown = client.get(f"/shipping/supplier/{other}", HTTP_ACCEPT_LANGUAGE="uk")

    assert shown.status_code == 404 and "Це посилання недійсне" in html(shown)


@pytest.mark.parametrize("store_language, expected", [("da", "da"), ("he-IL", "he"), ("de", "en")])
def test_a_new_supplier_speaks_the_stores_language_when_none_is_given(db, store_language, expected):
    shop = make_store("lang", languages=(store_language,))

    supplier = Supplier.objects.create(store=shop, code="acme", name="Acme", email="r@acme.example")
    shop.default_language = "uk"
    shop.save()

    assert Supplier.objects.get(pk=supplier.pk).language == expected  # kept when the store changes


def test_the_api_sets_a_suppliers_language_and_keeps_it_when_left_out(api, store):
    store.default_language = "he"
    store.save()

    def put(code: str, **fields):
        body = {"name": "Nordic Knit", "email": "returns@knit.example", **fields}
        return api.client.put(f"/api/v1/suppliers/{code}", body, content_type="application/json",
                              HTTP_AUTHORIZATION=f"Bearer {api.key}")

    created = put("knit")
    changed = put("knit", language="uk")
    renamed = put("knit", name="Nordic Knit A/S")
    french = put("knit", language="fr")

    assert created.status_code == 200 and created.json()["language"] == "he"
    assert changed.json()["language"] == "uk" and renamed.json()["language"] == "uk"
    assert french.status_code == 422 and Supplier.objects.get(code="knit").language == "uk"
    assert {s["code"]: s["language"] for s in api.get("/suppliers").json()} == {"knit": "uk"}


@pytest.mark.parametrize("language", ["he", "da", "uk"])
def test_every_supplier_page_message_is_translated_with_its_placeholders(language):
    with (LOCALE_DIR / language / "LC_MESSAGES" / "django.po").open("rb") as po:
        catalog = read_po(po, locale=language)

    messages = [m for m in catalog if m.id]
    assert len(messages) > 30
    assert [m.id for m in messages if not m.string or m.fuzzy] == []
    assert [m.id for m in messages
            if sorted(re.findall(r"%\(\w+\)s", m.id)) != sorted(re.findall(r"%\(\w+\)s", m.string))] == []


def test_staff_choose_a_suppliers_language_in_the_admin_or_leave_it_to_the_store(admin_client, store):
    form = admin_client.get("/admin/catalog/supplier/add/").content.decode()
    body = {"store": store.pk, "code": "knit", "name": "Knit", "email": "r@knit.example", "is_dropship": "on",
            "return_address": '{"city": "Odense", "country": "DK"}'}

    admin_client.post("/admin/catalog/supplier/add/", {**body, "language": ""})
    admin_client.post("/admin/catalog/supplier/add/", {**body, "code": "bolt", "language": "he"})

    assert '<select name="language"' in form and '<option value="uk">' in form
    assert dict(Supplier.objects.values_list("code", "language")) == {"knit": "en", "bolt": "he"}
