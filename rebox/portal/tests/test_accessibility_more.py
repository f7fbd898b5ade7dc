"""The rest of the shopper's pages pass axe-core's WCAG 2.1 A and AA rules (nothing serious or
critical): the EU withdrawal function, gift returns, adding photos the store asked for,
cancelling, the rate-limited and the broken-link pages, and the journey in Danish and
Ukrainian. Errors are announced on their fields, and the keyboard focus can be seen."""

import pytest
from django.core.cache import cache

from rebox.orders.models import Order
from rebox.portal.tests.journey import (
    EMAIL,
    delivered,
    hidden_fields,
    order_link,
    png_bytes,
    policy_governs_past_orders,
)
from rebox.portal.tests.status_refund_setup import status_path
from rebox.portal.tests.test_accessibility import FOCUSED, PHONE, assert_accessible, contrast
from rebox.portal.texts_journey import JOURNEY
from rebox.returns.models import Return

BROWSER_LOCALE = {"en": "en-GB", "he": "he-IL", "da": "da-DK", "uk": "uk-UA"}
SUBMIT = "main form button[type=submit]"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shop(shop):
    cache.clear()  # lookups are counted per address: every test starts with none
    policy_governs_past_orders(shop)
    return shop


def shopper_page(chromium, lang: str):
    return chromium.new_page(viewport=PHONE, locale=BROWSER_LOCALE[lang])


def announced_on_its_field(page, field: str, error: str, *, hint: str = "") -> None:
    """The field is marked invalid and a screen reader reads the error with it (after the
    field's hint, when it has one)."""
    from playwright.sync_api import expect

    expect(page.locator(error)).to_be_visible()
    expect(page.locator(field)).to_have_attribute("aria-invalid", "true")
    said = " ".join(filter(None, (hint, page.locator(error).inner_text())))
    expect(page.locator(field)).to_have_accessible_description(said)


def assert_focus_visible(page) -> dict:
    """Whatever has the keyboard focus wears a solid ring that stands out 3:1 from the page."""
    focused = page.evaluate(FOCUSED)
    assert focused["outline"] == "solid" and focused["width"] >= 2, focused
    assert contrast(focused["ring"], focused["background"]) >= 3, focused
    return focused


def requested_return(client, shop, number: str, lang: str = "en") -> Return:
    """A change-of-mind return of one dress, asked for through the shopper's pages."""
    lines = delivered(shop, number, ("DRESS-M", 1, 79_00))
    url = order_link(client, shop, number, lang=lang)
    review = client.post(url, {"step": "review", f"q_{lines['DRESS-M']}": "1",
                               f"r_{lines['DRESS-M']}": "too_small", "resolution": "refund",
                               "method": "drop_off"})
    client.post(url, hidden_fields(review.content.decode()))
    return Return.objects.get(order__number=number)


@pytest.mark.parametrize("lang", ["en", "he"])
def test_the_withdrawal_function_is_accessible_from_its_entry_to_the_acknowledgement(
        live_server, shop, chromium, lang):
    from playwright.sync_api import expect

    t = JOURNEY[lang]
    delivered(shop, "W700", ("DRESS-M", 1, 79_00), ("SNEAKER-40", 1, 119_00), country="DE")
    page = shopper_page(chromium, lang)
    page.goto(f"{live_server.url}/s/nordlys/returns?lang={lang}")

    page.get_by_role("link", name=t["wd_entry"]).click()
    expect(page.locator("h1")).to_have_text(t["wd_title"])
    assert_accessible(page)

    page.locator("#number").fill("W700")
    page.locator("#email").fill(EMAIL)
    page.locator(SUBMIT).click()
    expect(page.get_by_role("button", name=t["wd_confirm"])).to_be_visible()
    assert_accessible(page)

    page.locator("#name").fill("")
    page.locator("#email").fill("not an address")
    for box in page.locator("main input[type=checkbox]").all():
        box.uncheck()
    page.get_by_role("button", name=t["wd_confirm"]).click()
    expect(page.get_by_role("alert")).to_have_text(t["errors_intro"])
    announced_on_its_field(page, "#name", "#name-error")
    announced_on_its_field(page, "#email", "#email-error")
    expect(page.get_by_role("group", name=t["wd_items"])).to_have_accessible_description(t["err_choose_line"])
    for box in page.locator("main input[type=checkbox]").all():
        expect(box).not_to_be_checked()  # what they chose stays chosen: nothing withdrawn by surprise
    assert_accessible(page)

    page.locator("#name").fill("Ana Jensen")
    page.locator("#email").fill(EMAIL)
    page.locator("main input[type=checkbox]").first.check()
    page.get_by_role("button", name=t["wd_confirm"]).click()
    expect(page.locator("h1")).to_have_text(t["wd_ack_title"])
    assert_accessible(page)


def test_a_keyboard_user_sees_the_focus_on_every_control_of_the_withdrawal_form(live_server, shop, chromium):
    from playwright.sync_api import expect

    delivered(shop, "W701", ("DRESS-M", 1, 79_00), country="DE")
    page = shopper_page(chromium, "en")
    page.goto(f"{live_server.url}/s/nordlys/withdraw?lang=en")
    page.locator("#number").fill("W701")
    page.locator("#email").fill(EMAIL)
    page.locator(SUBMIT).click()
    expect(page.locator("#name")).to_be_visible()

    page.locator("#name").focus()
    page.keyboard.press("Shift+Tab")  # into the page from the side, as a keyboard would
    reached = set()
    for _ in range(4):  # name, email, the item's box, the button
        page.keyboard.press("Tab")
        focused = assert_focus_visible(page)
        reached.add(focused["id"] or page.evaluate("() => document.activeElement.type"))
    assert reached == {"name", "email", "checkbox", "submit"}


@pytest.mark.parametrize("lang", ["en", "he"])
def test_the_gift_lookup_and_the_gift_return_are_accessible_also_with_errors_shown(
        live_server, shop, chromium, lang):
    from playwright.sync_api import expect

    t = JOURNEY[lang]
    lines = delivered(shop, "G700", ("DRESS-M", 1, 79_00))
    Order.objects.filter(store=shop, number="G700").update(gift_receipt_code="GIFT7K2Q")
    dress = lines["DRESS-M"]
    page = shopper_page(chromium, lang)
    page.goto(f"{live_server.url}/s/nordlys/returns?lang={lang}")
    gift = page.get_by_role("button", name=t["gift_find"])

    gift.click()  # no code
    announced_on_its_field(page, "#gift_code", "#gift-error")
    assert_accessible(page)

    page.locator("#gift_code").fill("NOSUCHCODE")
    gift.click()
    expect(page.locator("#gift-form-error")).to_have_text(t["gift_not_found"])
    expect(page.locator("#gift_code")).to_have_accessible_description(t["gift_not_found"])
    assert_accessible(page)

    page.locator("#gift_code").fill("gift-7k2q")
    gift.click()
    expect(page.locator(f"#q_{dress}")).to_be_visible()
    assert_accessible(page)

    page.locator(SUBMIT).click()  # nothing chosen, no email
    announced_on_its_field(page, "#email", "#email-error")
    assert_accessible(page)

    page.select_option(f"#q_{dress}", "1")
    page.select_option(f"#r_{dress}", "too_small")
    page.locator('input[name="resolution"][value="store_credit"]').check()
    page.locator('input[name="method"][value="mail_label"]').check()
    page.locator("#email").fill("liv@example.com")
    page.locator(SUBMIT).click()
    expect(page.locator("h1")).to_have_text(t["confirm_title"])
    assert_accessible(page)

    page.get_by_role("button", name=t["confirm"]).click()
    expect(page.locator(".number")).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["en", "he"])
def test_adding_the_photos_the_store_asked_for_is_accessible_also_with_the_error_shown(
        live_server, shop, chromium, evidence, client, tmp_path, lang):
    from playwright.sync_api import expect

    t = JOURNEY[lang]
    ret = requested_return(client, shop, "P700", lang)
    Return.objects.filter(pk=ret.pk).update(info_requested="Please show the label inside the dress.")
    photo = tmp_path / "label.png"
    photo.write_bytes(png_bytes())
    page = shopper_page(chromium, lang)
    page.goto(f"{live_server.url}{status_path(ret, lang)}")
    expect(page.locator("#files")).to_have_accessible_description(t["photo_hint"])  # which files it takes
    assert_accessible(page)

    page.get_by_role("button", name=t["upload"]).click()  # no file chosen
    expect(page.get_by_role("alert")).to_have_text(t["errors_intro"])
    announced_on_its_field(page, "#files", "#files-error", hint=t["photo_hint"])
    assert_accessible(page)

    page.locator("#files").focus()
    assert_focus_visible(page)
    page.set_input_files("#files", str(photo))
    page.get_by_role("button", name=t["upload"]).click()
    expect(page.get_by_role("status")).to_have_text(t["photos_added"])
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["en", "he"])
def test_cancelling_a_return_and_being_told_so_is_accessible(live_server, shop, chromium, client, lang):
    from playwright.sync_api import expect

    t = JOURNEY[lang]
    ret = requested_return(client, shop, "C700", lang)
    page = shopper_page(chromium, lang)
    page.goto(f"{live_server.url}{status_path(ret, lang)}")
    cancel = page.get_by_role("button", name=t["cancel"])
    cancel.focus()
    assert_focus_visible(page)

    cancel.click()

    expect(page.get_by_role("status")).to_have_text(t["cancelled_ok"])
    expect(page.locator(".status-now")).to_have_text(t["st_cancelled"])
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["en", "he"])
def test_the_rate_limited_page_and_the_broken_link_page_are_accessible(
        live_server, shop, chromium, settings, lang):
    from playwright.sync_api import expect

    t = JOURNEY[lang]
    settings.REBOX_PORTAL_LOOKUPS_PER_ADDRESS = 0  # this address has used its lookups up
    page = shopper_page(chromium, lang)
    page.goto(f"{live_server.url}/s/nordlys/returns?lang={lang}")
    page.locator("#number").fill("A100")
    page.locator("#email").fill(EMAIL)

    with page.expect_response(lambda r: r.request.method == "POST") as answered:
        page.locator("form.card--main button[type=submit]").click()
    assert answered.value.status == 429
    expect(page.locator("h1")).to_have_text(t["too_many_title"])
    assert_accessible(page)

    for broken in ("r/not-a-real-token", "returns/o/not-a-real-token", "returns/o/not-a-real-token/withdraw"):
        response = page.goto(f"{live_server.url}/s/nordlys/{broken}?lang={lang}")
        assert response.status == 404
        expect(page.locator("h1")).to_have_text(t["link_invalid_title"])
        assert_accessible(page)


@pytest.mark.parametrize("lang", ["da", "uk"])
def test_the_return_journey_is_accessible_in_danish_and_ukrainian(
        live_server, shop, chromium, evidence, tmp_path, lang):
    from playwright.sync_api import expect

    t = JOURNEY[lang]
    lines = delivered(shop, "L700", ("DRESS-M", 1, 79_00), ("PLATE-1", 1, 18_00))
    dress, plate = lines["DRESS-M"], lines["PLATE-1"]
    photo = tmp_path / "crack.png"
    photo.write_bytes(png_bytes())
    page = shopper_page(chromium, lang)

    page.goto(f"{live_server.url}/s/nordlys/returns?lang={lang}")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    assert_accessible(page)

    page.locator("form.card--main button[type=submit]").click()  # nothing filled in
    announced_on_its_field(page, "#number", "#number-error")
    announced_on_its_field(page, "#email", "#email-error")
    assert_accessible(page)

    page.locator("#number").fill("L700")
    page.locator("#email").fill(EMAIL)
    page.locator("form.card--main button[type=submit]").click()
    expect(page.locator(f"#q_{dress}")).to_be_visible()
    assert_accessible(page)

    page.locator(SUBMIT).click()  # nothing chosen
    expect(page.locator("#lines-error")).to_be_visible()
    assert_accessible(page)

    page.select_option(f"#q_{plate}", "1")
    page.select_option(f"#r_{plate}", "defective")
    page.locator('input[name="resolution"][value="refund"]').check()
    page.locator('input[name="method"][value="mail_label"]').check()
    page.locator(SUBMIT).click()
    expect(page.locator("h1")).to_have_text(t["confirm_title"])
    page.get_by_role("button", name=t["confirm"]).click()  # the photo missing
    announced_on_its_field(page, f"#f_{plate}", f"#f_{plate}-error", hint=t["photo_hint"])
    assert_accessible(page)

    page.set_input_files(f"#f_{plate}", str(photo))
    page.get_by_role("button", name=t["confirm"]).click()
    expect(page.locator(".number")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=t["status_link"]).click()
    expect(page.locator("h1")).to_contain_text(Return.objects.get().number)
    assert_accessible(page)
