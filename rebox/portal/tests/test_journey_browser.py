"""The Hebrew return journey in a real browser on a phone: two items, one with a photo,
ending on the status page."""

import pytest

from rebox.portal.tests.journey import EMAIL, delivered, png_bytes, policy_governs_past_orders
from rebox.returns.models import Return

SCREENSHOT = "/tmp/portal-return-he.png"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_shopper_returns_two_items_in_hebrew_with_a_photo_on_a_phone(live_server, shop, chromium, evidence,
                                                                       tmp_path):
    from playwright.sync_api import expect

    policy_governs_past_orders(shop)
    lines = delivered(shop, "H700", ("DRESS-M", 1, 79_00), ("PLATE-1", 2, 18_00))
    dress, plate = lines["DRESS-M"], lines["PLATE-1"]
    photo = tmp_path / "crack.png"
    photo.write_bytes(png_bytes())
    page = chromium.new_page(viewport={"width": 390, "height": 844}, locale="he-IL")

    page.goto(f"{live_server.url}/s/nordlys/returns")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.get_by_label("מספר הזמנה").fill("H700")
    page.get_by_label("כתובת דוא״ל").fill(EMAIL)
    page.get_by_role("button", name="איתור ההזמנה שלי").click()

    expect(page.locator("h1")).to_have_text("בחירת הפריטים להחזרה")
    page.select_option(f"#q_{dress}", "1")
    page.select_option(f"#r_{dress}", "too_small")
    page.select_option(f"#q_{plate}", "2")
    page.select_option(f"#r_{plate}", "defective")
    page.get_by_label("החזר כספי לאמצעי התשלום המקורי").check()
    page.locator('input[name="method"][value="mail_label"]').check()
    page.get_by_role("button", name="המשך").click()

    expect(page.locator("h1")).to_have_text("בדיקה ואישור")
    page.set_input_files(f"#f_{plate}", str(photo))
    page.get_by_role("button", name="אישור ההחזרה").click()

    expect(page.locator("h1")).to_have_text("ההחזרה שלך נרשמה")
    number = Return.objects.get().number
    expect(page.locator(".number")).to_have_text(number)
    page.get_by_role("link", name="מעקב אחר ההחזרה").click()

    expect(page.locator("h1")).to_contain_text(number)
    expect(page.locator(".timeline")).to_contain_text("התבקשה החזרה")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing overflows the phone
    page.screenshot(path=SCREENSHOT, full_page=True)
    ret = Return.objects.get()
    assert ret.language == "he" and ret.lines.count() == 2
    assert ret.evidence.count() == 1
