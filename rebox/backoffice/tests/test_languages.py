"""Every back-office page in English, Hebrew (right to left), Danish and Ukrainian."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

from rebox.backoffice.tests.conftest import place_order

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])


@pytest.fixture
def order(store):
    return place_order(store, "T7", lines=(("TEE-M", 2, 123_450),))


def _in(client, language: str, path: str):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(path).content.decode()


@pytest.mark.django_db
def test_hebrew_pages_are_right_to_left_and_translated(staff_client, order):
    listing = _in(staff_client, "he", "/orders/")
    detail = _in(staff_client, "he", "/orders/T7/")

    assert '<html lang="he" dir="rtl">' in listing
    assert "הזמנות" in listing and "כל הסטטוסים" in listing
    assert "שולמה" in listing  # the "paid" badge
    assert "ציר זמן" in detail and "ההזמנה בוצעה" in detail and "מחיר ליחידה" in detail
    assert "\u200f2,469.00\xa0\u200f€" in detail  # Babel's Hebrew currency format


@pytest.mark.django_db
def test_danish_pages_are_left_to_right_and_translated(staff_client, order):
    listing = _in(staff_client, "da", "/orders/")
    detail = _in(staff_client, "da", "/orders/T7/")

    assert '<html lang="da" dir="ltr">' in listing
    assert "Ordrer" in listing and "Betalt" in listing and "Afgivet fra" in listing
    assert "Tidslinje" in detail and "Ordre afgivet" in detail and "Leveringsadresse" in detail
    assert "2.469,00\xa0€" in detail
    assert "2. mar. 2026 11.00" in listing  # Danish date and time, Copenhagen time


@pytest.mark.django_db
def test_ukrainian_pages_are_translated(staff_client, order):
    listing = _in(staff_client, "uk", "/orders/")

    assert '<html lang="uk" dir="ltr">' in listing
    assert "Замовлення" in listing and "Оплачено" in listing
    assert "2\xa0469,00\xa0EUR" in listing


@pytest.mark.django_db
def test_the_login_page_speaks_hebrew_too(client):
    html = _in(client, "he", "/login/")

    assert 'dir="rtl"' in html and "התחברות לממשק הניהול" in html


@pytest.mark.django_db
def test_the_language_picker_remembers_the_choice(staff_client, order):
    response = staff_client.post("/i18n/setlang/", {"language": "da", "next": "/orders/T7/"})

    assert response.status_code == 302 and response["Location"] == "/orders/T7/"
    assert "Tidslinje" in staff_client.get("/orders/T7/").content.decode()


@pytest.mark.parametrize("language", ["he", "da", "uk"])
def test_every_back_office_message_is_translated(language):
    with (LOCALE_DIR / language / "LC_MESSAGES" / "django.po").open("rb") as po:
        catalog = read_po(po, locale=language)

    untranslated = [m.id for m in catalog if m.id and (not all(_forms(m.string)) or m.fuzzy)]
    placeholders_lost = [m.id for m in catalog if m.id and all(_forms(m.string)) and any(
        sorted(_placeholders(_forms(m.id)[-1])) != sorted(_placeholders(form)) for form in _forms(m.string))]
    assert untranslated == []
    assert placeholders_lost == []


def _forms(text: str | tuple[str, ...]) -> tuple[str, ...]:
    return text if isinstance(text, tuple) else (text,)  # a plural message has several forms


def _placeholders(text: str) -> list[str]:
    import re

    return re.findall(r"%\(\w+\)s", text)
