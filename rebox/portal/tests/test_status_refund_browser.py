"""In a real browser on a phone: the customer opens the status page of a refunded return
(from the link in their email) and reads the breakdown of their refund."""

import pytest

from rebox.portal.tests.journey import policy_governs_past_orders
from rebox.portal.tests.status_refund_setup import refunded_by_card, status_path
from rebox.refunds.tests.stripe_standin import StripeStandIn

SCREENSHOT = "/tmp/portal-refund-breakdown.png"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_customer_opens_the_status_page_of_a_refunded_return_and_sees_the_breakdown(
        live_server, shop, chromium):
    from playwright.sync_api import expect

    policy_governs_past_orders(shop)
    with StripeStandIn() as stripe:
        ret = refunded_by_card(shop, stripe, number="B300")
    page = chromium.new_page(viewport={"width": 390, "height": 844})

    page.goto(f"{live_server.url}{status_path(ret, 'en')}")

    refund = page.get_by_role("region", name="Your refund")
    expect(refund).to_be_visible()
    dress = refund.locator(".money-line").filter(has_text="Linen dress")
    expect(dress.locator("div", has_text="What you paid")).to_contain_text("€79.00")
    expect(dress.locator("div", has_text="Deduction after inspection")).to_contain_text("€15.80")
    expect(dress.locator(".money-refund")).to_contain_text("€63.20")
    sneaker = refund.locator(".money-line").filter(has_text="Leather sneaker")
    expect(sneaker.locator("div", has_text="Fees")).to_contain_text("€4.95")
    expect(refund.locator(".money-total")).to_contain_text("€182.25")  # with the 5.00 delivery
    expect(refund.locator(".money-payment")).to_contain_text("Card")
    expect(refund.locator(".money-state")).to_have_text("Paid back")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing overflows the phone
    page.screenshot(path=SCREENSHOT, full_page=True)
