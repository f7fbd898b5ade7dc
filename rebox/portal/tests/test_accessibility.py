"""The shopper's pages and the staff's returns screens pass axe-core's WCAG 2.1 A and AA rules in a
real browser: nothing a screen-reader or keyboard user would be stopped by (impact serious or
critical), in English and in right-to-left Hebrew.

The European Accessibility Act has applied to online shops since June 2025."""

import re

import pytest

from rebox.portal.tests.journey import EMAIL, delivered, png_bytes, policy_governs_past_orders
from rebox.portal.tests.status_refund_setup import refunded_by_card, status_path
from rebox.refunds.tests.stripe_standin import StripeStandIn
from rebox.returns.models import Return

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")
PHONE = {"width": 390, "height": 844}
BROWSER_LOCALE = {"en": "en-GB", "he": "he-IL"}


def blocking_violations(page) -> list[str]:
    """What axe finds on the page as it stands, serious or critical, one line per element."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA},
                                       "resultTypes": ["violations"]})
    return [f"{page.url} [{rule['impact']}] {rule['id']}: {node['target']} ({rule['help']})"
            for rule in results.response["violations"] if rule["impact"] in BLOCKING
            for node in rule["nodes"]]


def assert_accessible(page) -> None:
    found = blocking_violations(page)
    assert not found, "axe found:\n" + "\n".join(found)


def shopper_page(chromium, lang: str):
    return chromium.new_page(viewport=PHONE, locale=BROWSER_LOCALE[lang])


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two computed CSS colours ("rgb(…)" or "color(srgb …)")."""
    def luminance(css: str) -> float:
        inside = css[css.index("(") + 1:css.index(")")].replace(",", " ").split()
        channels = ([float(c) for c in inside[1:4]] if inside[0] == "srgb" else
                    [int(c) / 255 for c in inside[:3]])
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


FOCUSED = """() => { const element = document.activeElement, style = getComputedStyle(element);
  let under = element.parentElement;
  while (under && getComputedStyle(under).backgroundColor === "rgba(0, 0, 0, 0)") under = under.parentElement;
  return {id: element.id, className: element.className, outline: style.outlineStyle,
          width: parseFloat(style.outlineWidth), ring: style.outlineColor, edge: style.borderTopColor,
          background: getComputedStyle(under || document.body).backgroundColor,
          left: element.getBoundingClientRect().left}; }"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["en", "he"])
def test_every_step_of_the_return_journey_is_accessible_also_with_errors_shown(
        live_server, shop, chromium, evidence, dress_sizes, tmp_path, lang):
    from playwright.sync_api import expect

    policy_governs_past_orders(shop)
    lines = delivered(shop, "A100", ("DRESS-M", 1, 79_00), ("PLATE-1", 1, 18_00), ("SCARF-KNIT", 1, 60_00),
                      days_ago=20)  # the scarf's 14 days are over: defects only
    dress, plate = lines["DRESS-M"], lines["PLATE-1"]
    photo = tmp_path / "crack.png"
    photo.write_bytes(png_bytes())
    page = shopper_page(chromium, lang)

    page.goto(f"{live_server.url}/s/nordlys/returns?lang={lang}")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    assert_accessible(page)

    page.locator("#number").fill("A100")
    page.locator("#email").fill("someone-else@example.com")
    page.locator("form.card--main button[type=submit]").click()
    expect(page.locator("#form-error")).to_be_visible()
    assert_accessible(page)

    page.locator("#email").fill(EMAIL)
    page.locator("form.card--main button[type=submit]").click()
    expect(page.locator(f"#x_{dress}")).to_be_visible()  # the exchange choice
    assert_accessible(page)

    page.locator("main form button[type=submit]").click()  # nothing chosen: errors beside the fields
    expect(page.locator("#lines-error")).to_be_visible()
    assert_accessible(page)

    page.select_option(f"#q_{dress}", "1")
    page.select_option(f"#r_{dress}", "too_small")
    page.select_option(f"#q_{plate}", "1")
    page.select_option(f"#r_{plate}", "defective")
    page.locator('input[name="resolution"][value="refund"]').check()
    page.locator('input[name="method"][value="mail_label"]').check()
    page.locator("main form button[type=submit]").click()
    expect(page.locator(f"#f_{plate}")).to_be_visible()
    assert_accessible(page)

    page.locator("main form").first.locator("button[type=submit]").click()  # the photo missing
    expect(page.locator(f"#f_{plate}-error")).to_be_visible()
    assert_accessible(page)

    page.set_input_files(f"#f_{plate}", str(photo))
    page.locator("main form").first.locator("button[type=submit]").click()
    expect(page.locator(".number")).to_be_visible()
    assert_accessible(page)

    page.locator("main a.button").last.click()
    expect(page.locator("h1")).to_contain_text(Return.objects.get().number)
    assert_accessible(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["en", "he"])
def test_the_status_page_of_a_refunded_return_is_accessible(live_server, shop, chromium, lang):
    from playwright.sync_api import expect

    policy_governs_past_orders(shop)
    with StripeStandIn() as stripe:
        ret = refunded_by_card(shop, stripe, number="A200")
    page = shopper_page(chromium, lang)

    page.goto(f"{live_server.url}{status_path(ret, lang)}")

    expect(page.locator("h1")).to_contain_text(ret.number)
    assert_accessible(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["en", "he"])
def test_the_public_return_policy_page_is_accessible(live_server, shop, chromium, lang):
    from playwright.sync_api import expect

    page = shopper_page(chromium, lang)

    page.goto(f"{live_server.url}/s/nordlys/returns-policy?lang={lang}&country=DK")

    expect(page.locator("html")).to_have_attribute("dir", "rtl" if lang == "he" else "ltr")
    assert_accessible(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_back_office_returns_queue_and_return_and_the_warehouse_parcel_are_accessible(
        live_server, store, chromium):
    from playwright.sync_api import expect

    from rebox.backoffice.tests.conftest import PASSWORD, make_staff
    from rebox.core.models import Role
    from rebox.returns.tests.test_receiving import return_on_its_way
    from rebox.testing import api_client_for

    make_staff("mette@shop.example", (store, Role.OWNER))
    parcel = return_on_its_way(api_client_for(store), store, tee=2, mug=1)
    page = chromium.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")

    page.goto(f"{live_server.url}/login/?next=/returns/")
    assert_accessible(page)
    page.get_by_label("Username").fill("mette@shop.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".returns-table")).to_contain_text(parcel.number)
    assert_accessible(page)
    page.locator(".returns-table").get_by_role("link", name=parcel.number).click()
    expect(page.locator("h1")).to_contain_text(parcel.number)
    assert_accessible(page)

    page.goto(f"{live_server.url}/warehouse/returns/{parcel.number}/")
    expect(page.locator("h1")).to_contain_text(parcel.number)
    assert_accessible(page)

    page.get_by_label("Scan an item").fill("SOMETHING-ELSE")  # not in the parcel: an exception
    page.get_by_label("Scan an item").press("Enter")
    expect(page.locator(".exception")).to_contain_text("SOMETHING-ELSE")
    assert_accessible(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_keyboard_user_skips_to_the_lookup_form_sees_the_focus_and_finds_their_order(
        live_server, shop, chromium):
    from playwright.sync_api import expect

    policy_governs_past_orders(shop)
    delivered(shop, "A300", ("DRESS-M", 1, 79_00))
    page = shopper_page(chromium, "en")
    page.goto(f"{live_server.url}/s/nordlys/returns?lang=en")

    page.keyboard.press("Tab")
    skip = page.evaluate(FOCUSED)
    assert skip["className"] == "skip" and skip["left"] >= 0  # on screen once focused
    page.keyboard.press("Tab")
    language = page.evaluate(FOCUSED)  # a language link, on the store's colour
    assert language["outline"] == "solid" and language["width"] >= 2
    assert contrast(language["ring"], language["background"]) >= 3

    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    field = page.evaluate(FOCUSED)
    assert field["id"] == "number"
    assert field["outline"] == "solid" and field["width"] >= 2
    assert contrast(field["ring"], field["background"]) >= 3
    assert contrast(field["edge"], field["background"]) >= 3

    page.keyboard.type("A300")
    page.keyboard.press("Tab")
    page.keyboard.type(EMAIL)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/s/nordlys/returns/o/"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["en", "he"])
def test_a_screen_reader_hears_a_failed_lookup_on_the_field_and_the_or_between_email_and_postcode(
        live_server, shop, chromium, lang):
    from playwright.sync_api import expect

    page = shopper_page(chromium, lang)
    page.goto(f"{live_server.url}/s/nordlys/returns?lang={lang}")

    page.locator("#number").fill("NO-SUCH-ORDER")
    page.locator("#email").fill(EMAIL)
    page.locator("form.card--main button[type=submit]").click()

    error = page.locator("#form-error")
    expect(error).to_be_visible()
    expect(page.locator("#number")).to_have_accessible_description(error.inner_text())
    word = page.locator("form.card--main .or").inner_text()
    assert f"paragraph: {word}" in page.locator("form.card--main").aria_snapshot()


@pytest.mark.browser
def test_the_check_names_an_unlabelled_field_and_faint_text(chromium):
    """The check itself: a page with the two commonest faults does not pass."""
    page = chromium.new_page()
    page.set_content("""<html lang="en"><title>Faults</title><main><h1>Faults</h1>
        <input id="nameless"><p style="color: #c8c8c8">Faint words</p></main></html>""")

    found = "\n".join(blocking_violations(page))

    assert "label" in found and "#nameless" in found
    assert "color-contrast" in found
