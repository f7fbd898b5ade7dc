"""A staff member logs in with a real browser, opens an order and reads its lines."""

import pytest

from rebox.backoffice.tests.conftest import PASSWORD, make_staff, place_order
from rebox.core.models import Role

SCREENSHOT = "/tmp/backoffice-order.png"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_log_in_open_an_order_and_see_its_lines(live_server, store, chromium):
    make_staff("mette@shop.example", (store, Role.AGENT))
    place_order(store, "W2001", lines=(("LINEN-DRESS-M", 1, 79_00), ("WOOL-SOCKS", 3, 12_00)),
                shipping_minor=4_90)
    from playwright.sync_api import expect

    page = chromium.new_page(viewport={"width": 1180, "height": 900})
    page.goto(f"{live_server.url}/orders/W2001/")
    expect(page).to_have_url(f"{live_server.url}/login/?next=/orders/W2001/")
    page.get_by_label("Username").fill("mette@shop.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(f"{live_server.url}/orders/W2001/")
    lines = page.locator(".lines-table tbody tr")
    expect(lines).to_have_count(2)
    expect(lines.nth(0)).to_contain_text("LINEN-DRESS-M")
    expect(lines.nth(1)).to_contain_text("WOOL-SOCKS")
    expect(page.locator(".timeline")).to_contain_text("Order placed")
    page.screenshot(path=SCREENSHOT, full_page=True)

    page.get_by_role("button", name="עברית").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("#lines-heading")).to_have_text("פריטים")
    page.screenshot(path=SCREENSHOT.replace(".png", "-he.png"), full_page=True)
