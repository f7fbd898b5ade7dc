"""The public returns policy page: four languages (Hebrew right to left), the law of the
shopper's country, public and cacheable, never framed."""

import pytest

from rebox.portal.tests.conftest import DEFAULT_DAYS, KNIT_DAYS, POLICY_NOTE, SHOE_DAYS
from rebox.portal.texts import TEXTS
from rebox.testing import make_store

pytestmark = pytest.mark.django_db

URL = "/s/nordlys/returns-policy"


def page(client, query: str = "", **headers) -> str:
    response = client.get(f"{URL}{query}", **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_english_page_shows_the_policy_its_exceptions_reasons_and_how_to_reach_the_store(client, shop):
    html = page(client, "?lang=en")

    assert '<html lang="en" dir="ltr">' in html
    assert "Returns policy" in html and "Nordlys &amp; Co." in html and "--brand: #0f766e" in html
    assert f"Returnable within {DEFAULT_DAYS} days of delivery." in html
    assert "Return shipping fee: €4.95." in html
    assert "Leather sneaker" in html and f"Returnable within {SHOE_DAYS} days of delivery." in html
    assert "Items shipped directly by a partner supplier" in html and "Alpaca sweater" in html
    assert f"Returnable within {KNIT_DAYS} days of delivery" in html
    assert "Personalised — not returnable except for defects." in html
    assert "If the reason is “Defective or damaged”, please add a photo." in html
    assert "Too small" in html and "Wrong item sent" in html and "our mistake: no fees" in html
    assert 'href="mailto:help@nordlys.example"' in html
    assert 'href="/s/nordlys/returns/"' in html  # the return portal's address, reserved


def test_hebrew_page_is_right_to_left_and_written_in_hebrew(client, shop):
    html = page(client, "?lang=he")

    assert '<html lang="he" dir="rtl">' in html
    assert "מדיניות החזרות" in html
    assert f"ניתן להחזיר תוך {DEFAULT_DAYS} ימים מיום המסירה." in html
    assert "קטן מדי" in html  # the reasons, in Hebrew
    assert "החוק הדני" in html  # the store's own country until the shopper picks theirs


def test_danish_page_is_chosen_from_the_browser_language(client, shop):
    html = page(client, HTTP_ACCEPT_LANGUAGE="da-DK,da;q=0.9,en;q=0.5")

    assert '<html lang="da" dir="ltr">' in html
    assert "Returpolitik" in html and f"Kan returneres inden for {DEFAULT_DAYS} dage fra levering." in html
    assert "Efter dansk lov kan du fortryde købet inden for 14 dage fra levering" in html


def test_ukrainian_page(client, shop):
    html = page(client, "?lang=uk")

    assert '<html lang="uk" dir="ltr">' in html
    assert "Політика повернення" in html and f"Строк повернення — {DEFAULT_DAYS} днів з дня отримання" in html


def test_language_switcher_links_every_language_of_the_store_and_marks_the_current_one(client, shop):
    html = page(client, "?lang=da&country=IL")

    for code, name in (("en", "English"), ("he", "עברית"), ("uk", "Українська")):
        assert f'href="{URL}?lang={code}&amp;country=IL" lang="{code}" hreflang="{code}">{name}</a>' in html
    assert 'lang="da" hreflang="da" aria-current="true">Dansk</a>' in html


def test_a_language_the_store_does_not_offer_is_not_shown(client, db):
    make_store("solo", languages=("en", "da"))

    html = client.get("/s/solo/returns-policy?lang=he", HTTP_ACCEPT_LANGUAGE="he").content.decode()

    assert '<html lang="en" dir="ltr">' in html
    assert "עברית" not in html


def test_shopper_picks_their_country_and_sees_its_law(client, shop):
    israel = page(client, "?lang=en&country=IL")
    america = page(client, "?lang=en&country=us")

    assert "Your rights under the law: Israel" in israel
    assert "Israeli law lets you cancel within 14 days of delivery, for any reason." in israel
    assert "4 months" in israel  # Consumer Protection Law § 14C1, declared groups
    assert '<option value="IL" selected>Israel</option>' in israel
    assert "US law gives no general right to return online purchases" in america


def test_page_shows_nothing_but_the_public_policy(client, shop):
    html = page(client, "?lang=en")

    for secret in ("atelier-nord", "Atelier Nord", POLICY_NOTE, "astrid@", "supplier-rule", "shoes-rule"):
        assert secret not in html


def test_unknown_store_is_404(client, db):
    assert client.get("/s/nowhere/returns-policy").status_code == 404


def test_page_is_public_cacheable_and_may_not_be_framed(client, shop):
    response = client.get(URL)

    assert response["X-Frame-Options"] == "DENY"
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert "Accept-Language" in response["Vary"]
    assert "csrftoken" not in response.cookies and "sessionid" not in response.cookies


@pytest.mark.parametrize("language", ["he", "da", "uk"])
def test_every_language_has_every_text_of_the_pages(language):
    assert set(TEXTS[language]) == set(TEXTS["en"])
    assert all(TEXTS[language].values())
