"""The return journey in Danish, in Chromium: a shopper on a phone swaps a dress for the size
in stock and hands it in at a drop-off point with a QR code; an agent approves, the
warehouse receives and inspects it, and the status page tells every step in Danish."""

from urllib.parse import urlsplit

import pytest

from rebox.backoffice.tests.page import Page
from rebox.catalog.models import Variant
from rebox.portal.tests.journey import delivered, policy_governs_past_orders
from rebox.refunds.models import Exchange
from rebox.returns.links import status_url
from rebox.returns.models import Return
from rebox.returns.tests.journeys.shop import (
    DRESS_PRICE,
    EMAIL,
    PHONE,
    SNEAKER_PRICE,
    agent_approves,
    ok,
    order_delivered,
    pdf_text,
    warehouse_receives_and_inspects,
)
from rebox.testing import api_client_for

SCREENSHOT = "/tmp/journey-da-status.png"
# What the shopper reads for each step (rebox/portal/texts_journey.py, "da").
STEPS = ("Returnering anmodet", "Godkendt", "Modtaget", "Tjekket")


def _shopper_asks_for_the_small_size(page, base_url: str, dress: int, small: int) -> str:
    from playwright.sync_api import expect

    page.goto(f"{base_url}/s/lumen/returns")
    expect(page.locator("html")).to_have_attribute("lang", "da")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    page.get_by_label("Ordrenummer").fill("D100")
    page.get_by_label("E-mailadresse").fill(EMAIL)
    page.get_by_role("button", name="Find min ordre").click()

    expect(page.locator("h1")).to_have_text("Vælg, hvad du vil returnere")
    page.select_option(f"#q_{dress}", "1")
    page.select_option(f"#r_{dress}", "too_large")
    swap = page.locator(f"#x_{dress}")
    expect(swap.locator(f'option[value="{small}"]')).to_contain_text("på lager: 3")
    swap.select_option(str(small))
    page.get_by_label("Ombytning til en anden størrelse eller farve").check()
    page.locator('input[name="method"][value="drop_off"]').check()
    page.get_by_role("button", name="Fortsæt").click()

    expect(page.locator("h1")).to_have_text("Tjek og bekræft")
    expect(page.locator(".lines")).to_contain_text("Byt til")
    expect(page.get_by_text("Denne returnering er gratis.")).to_be_visible()
    page.get_by_role("button", name="Bekræft returnering").click()

    expect(page.locator("h1")).to_have_text("Din returnering er registreret")
    expect(page.locator("#parcels-heading")).to_have_text("Din QR-kode")
    expect(page.get_by_text("Pak varerne, og vis QR-koden på indleveringsstedet.")).to_be_visible()
    return page.locator(".number").inner_text().strip()


def _qr_code_is_a_pdf(page, number: str) -> None:
    from playwright.sync_api import expect

    page.reload()
    link = page.get_by_role("link", name="QR-kode til indlevering")
    expect(link).to_have_count(1)
    expect(page.get_by_role("link", name="Hent labelen (PDF)")).to_have_count(0)  # nothing to print
    download = page.request.get(link.get_attribute("href"))
    assert download.status == 200
    assert download.headers["content-type"] == "application/pdf"
    assert f"RETURN {number}" in pdf_text(download.body())


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_danish_shopper_exchanges_a_dress_at_a_drop_off_point_and_follows_it_to_the_end(
        live_server, public_url, lumen, chromium):
    from playwright.sync_api import expect

    policy_governs_past_orders(lumen)
    lines = delivered(lumen, "D100", ("DRESS-M", 1, DRESS_PRICE), ("SNEAKER-40", 1, SNEAKER_PRICE),
                      email=EMAIL)
    small = Variant.objects.get(store=lumen, sku="DRESS-S")
    shopper = chromium.new_page(viewport=PHONE, locale="da-DK")

    number = _shopper_asks_for_the_small_size(shopper, public_url, lines["DRESS-M"], small.pk)
    agent_approves(chromium, public_url, number)
    _qr_code_is_a_pdf(shopper, number)

    dress = Variant.objects.get(store=lumen, sku="DRESS-M")
    warehouse_receives_and_inspects(chromium, public_url, number, [dress.barcode])

    shopper.get_by_role("link", name="Følg din returnering").click()
    expect(shopper.locator("h1")).to_contain_text(number)
    expect(shopper.locator(".status-now")).to_have_text("Afsluttet")
    steps = shopper.locator(".timeline li strong")
    for words in STEPS:
        expect(steps.filter(has_text=words).first).to_be_visible()
    assert shopper.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shopper.screenshot(path=SCREENSHOT, full_page=True)

    ret = Return.objects.get(number=number)
    assert (ret.status, ret.method, ret.resolution) == ("resolved", "drop_off", "exchange")
    assert ret.language == "da"
    assert ret.lines.get().exchange_variant_id == small.pk
    exchange = Exchange.objects.get(ret=ret)
    assert exchange.order_id is not None  # the small size goes out as a new order


@pytest.mark.django_db
def test_a_drop_off_shopper_waiting_for_approval_is_promised_a_qr_code_not_a_label(lumen, client):
    api = api_client_for(lumen)
    policy_governs_past_orders(lumen)
    lines = order_delivered(api, "D200")
    body = {"order": "D200", "resolution": "refund", "method": "drop_off",
            "lines": [{"order_line_id": lines["DRESS-M"], "quantity": 1, "reason": "too_large"}]}
    ret = Return.objects.get(number=ok(api.post("/returns", body, idempotency_key="D200"), 201)["number"])

    page = Page(client.get(urlsplit(status_url(ret)).path, {"lang": "da"}).content.decode())
    box = next(e for e in page.root.walk() if e.attrs.get("aria-labelledby") == "parcels-heading")

    assert box.text().startswith("Din QR-kode")
    assert "label" not in box.text().lower()
