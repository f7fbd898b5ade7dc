"""The snippet for product pages and checkout: an iframe-able page, and the script that
puts it where its tag stands. Only the snippet may be framed."""

import pytest

from rebox.portal.tests.conftest import KNIT_DAYS

pytestmark = pytest.mark.django_db

EMBED = "/s/nordlys/returns-policy/embed"


def test_embed_may_be_framed_and_shows_the_products_policy(client, shop):
    response = client.get(EMBED, {"product": "p-sweater-m", "country": "US", "lang": "da"})

    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    html = response.content.decode()
    assert '<html lang="da" dir="ltr">' in html
    assert f"Kan returneres inden for {KNIT_DAYS} dage fra levering" in html
    assert 'href="/s/nordlys/returns-policy?lang=da&amp;country=US" target="_blank"' in html


def test_embed_in_hebrew_is_right_to_left(client, shop):
    html = client.get(EMBED, {"product": "p-dress-m", "lang": "he"}).content.decode()

    assert '<html lang="he" dir="rtl">' in html and "ניתן להחזיר תוך 30 ימים מיום המסירה" in html


def test_embed_for_an_unknown_product_or_store_is_a_frameable_404(client, shop):
    for url in (f"{EMBED}?product=nope", "/s/nowhere/returns-policy/embed"):
        response = client.get(url)
        assert response.status_code == 404
        assert "X-Frame-Options" not in response


@pytest.mark.parametrize("url", ["/s/nordlys/returns-policy", "/s/nordlys/returns-policy.json",
                                 "/s/nordlys/returns-policy/embed.js", "/login/"])
def test_every_other_page_still_refuses_to_be_framed(client, shop, url):
    assert client.get(url)["X-Frame-Options"] == "DENY"


def test_script_inserts_the_embed_after_its_own_tag_with_its_data_attributes(client, shop):
    response = client.get("/s/nordlys/returns-policy/embed.js")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert "max-age=3600" in response["Cache-Control"]
    script = response.content.decode()
    assert 'new URL("/s/nordlys/returns-policy/embed", origin)' in script
    assert '["product", "sku", "country", "lang"]' in script and '"data-" + name' in script
    assert "insertBefore(frame, script.nextSibling)" in script
    assert "&quot;" not in script  # not HTML-escaped


def test_script_for_an_unknown_store_is_404(client, db):
    assert client.get("/s/nowhere/returns-policy/embed.js").status_code == 404
