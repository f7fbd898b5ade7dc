"""A shopper opens the Hebrew policy page in a real browser; a storefront embeds the snippet."""

import pytest

SCREENSHOT = "/tmp/portal-policy-he.png"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_hebrew_policy_page_renders_right_to_left_on_a_phone(live_server, shop, chromium):
    from playwright.sync_api import expect

    page = chromium.new_page(viewport={"width": 390, "height": 844}, locale="he-IL")
    page.goto(f"{live_server.url}/s/nordlys/returns-policy?country=IL")

    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("h1")).to_have_text("מדיניות החזרות")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    headline = page.locator(".card--main .headline")
    expect(headline).to_have_text("ניתן להחזיר תוך 30 ימים מיום המסירה.")
    # Right to left: the heading hugs the right edge of the phone.
    box = page.locator("h1").bounding_box()
    text_right = page.evaluate("""() => { const r = document.createRange();
        r.selectNodeContents(document.querySelector('h1')); return r.getBoundingClientRect().right; }""")
    assert text_right > box["x"] + box["width"] - 2
    page.screenshot(path=SCREENSHOT, full_page=False)

    page.get_by_label("המדינה שלך").select_option("DK")  # choosing changes nothing yet (WCAG 3.2.2)
    expect(page).to_have_url(f"{live_server.url}/s/nordlys/returns-policy?country=IL")
    page.locator("form.country button").click()
    expect(page).to_have_url(f"{live_server.url}/s/nordlys/returns-policy?lang=he&country=DK")
    expect(page.locator("#rights")).to_contain_text("דנמרק")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_storefront_script_tag_shows_the_policy_of_its_product_in_a_frame(live_server, shop, chromium):
    from playwright.sync_api import expect

    page = chromium.new_page()
    page.set_content(f"""<main><h1>Alpaca sweater</h1>
        <script src="{live_server.url}/s/nordlys/returns-policy/embed.js"
                data-product="p-sweater-m" data-country="US" data-lang="en"></script>
        <p id="after">Add to basket</p></main>""")

    frame_element = page.locator("main iframe")
    expect(frame_element).to_have_count(1)
    assert page.evaluate("document.querySelector('main iframe').nextElementSibling.id") == "after"
    frame = page.frame_locator("main iframe")
    expect(frame.locator(".short")).to_have_text("Returnable within 14 days of delivery.")
    expect(frame.locator("a")).to_have_text("More about returns")
