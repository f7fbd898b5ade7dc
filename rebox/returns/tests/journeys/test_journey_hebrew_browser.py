"""The whole return journey in Hebrew, in Chromium: a shopper on a phone returns two items
with a photo, an agent approves on a laptop, the shopper downloads the label, the warehouse
scans, inspects and restocks, the refund goes back through the payment gateway (a local
stand-in for Stripe), and the shopper's status page tells every step in Hebrew."""

from urllib.parse import urlsplit

import pytest

from rebox.backoffice.tests.page import Page
from rebox.catalog.models import Variant
from rebox.notifications.models import Notification
from rebox.portal.tests.journey import delivered, policy_governs_past_orders
from rebox.refunds.models import GatewayAccount, Refund
from rebox.refunds.tests.stripe_standin import StripeStandIn
from rebox.returns.links import status_url
from rebox.returns.models import Return
from rebox.returns.tests.journeys.shop import (
    DRESS_PRICE,
    EMAIL,
    PHONE,
    SNEAKER_PRICE,
    agent_approves,
    jpeg_bytes,
    ok,
    on_hand,
    order_delivered,
    pdf_text,
    return_requested,
    warehouse_receives_and_inspects,
)
from rebox.testing import api_client_for

SCREENSHOT = "/tmp/journey-he-status.png"
# What the shopper reads on the status page for each step (rebox/portal/texts_journey.py, "he").
# no carrier scans the parcel in this journey: the warehouse's receipt says it was handed in
STEPS = {"requested": "התבקשה החזרה", "approved": "אושרה", "in_transit": "נמסרה",
         "received": "התקבלה", "inspected": "נבדקה", "resolved": "טופלה"}


def _shopper_requests(page, base_url: str, photo_path: str, dress: int, sneaker: int) -> str:
    """Look the order up, choose both items, add the photo, confirm; the return number."""
    from playwright.sync_api import expect

    page.goto(f"{base_url}/s/lumen/returns")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "he")
    page.get_by_label("מספר הזמנה").fill("H100")
    page.get_by_label("כתובת דוא״ל").fill(EMAIL)
    page.get_by_role("button", name="איתור ההזמנה שלי").click()

    expect(page.locator("h1")).to_have_text("בחירת הפריטים להחזרה")
    page.select_option(f"#q_{dress}", "1")
    page.select_option(f"#r_{dress}", "too_small")
    page.select_option(f"#q_{sneaker}", "1")
    page.select_option(f"#r_{sneaker}", "defective")
    page.get_by_label("החזר כספי לאמצעי התשלום המקורי").check()
    page.locator('input[name="method"][value="mail_label"]').check()
    page.get_by_role("button", name="המשך").click()

    expect(page.locator("h1")).to_have_text("בדיקה ואישור")
    expect(page.locator(f"#f_{dress}")).to_have_count(0)  # a size swap needs no photo
    page.set_input_files(f"#f_{sneaker}", photo_path)
    page.get_by_role("button", name="אישור ההחזרה").click()

    expect(page.locator("h1")).to_have_text("ההחזרה שלך נרשמה")
    expect(page.get_by_text("לאחר שהחנות תאשר את ההחזרה, נשלח לך את התווית בדוא״ל.")).to_be_visible()
    return page.locator(".number").inner_text().strip()


def _label_is_a_pdf(page, number: str) -> None:
    from playwright.sync_api import expect

    page.reload()
    link = page.get_by_role("link", name="הורדת התווית (PDF)")
    expect(link).to_have_count(1)
    download = page.request.get(link.get_attribute("href"))
    assert download.status == 200
    assert download.headers["content-type"] == "application/pdf"
    assert f"RETURN {number}" in pdf_text(download.body())


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_hebrew_shopper_returns_two_items_with_a_photo_and_follows_it_to_the_refund(
        live_server, public_url, lumen, chromium, tmp_path):
    from playwright.sync_api import expect

    policy_governs_past_orders(lumen)
    lines = delivered(lumen, "H100", ("DRESS-M", 1, DRESS_PRICE), ("SNEAKER-40", 1, SNEAKER_PRICE),
                      email=EMAIL)
    photo = tmp_path / "scuffed-sole.jpg"
    photo.write_bytes(jpeg_bytes())
    dress_stock = on_hand(lumen, "DRESS-M")

    with StripeStandIn() as stripe:
        GatewayAccount.objects.create(store=lumen, payment_gateway="stripe", gateway="stripe",
                                      secret_key=stripe.secret_key, api_base=stripe.url)
        stripe.currencies["ch_1"] = "eur"
        shopper = chromium.new_page(viewport=PHONE, locale="he-IL")
        number = _shopper_requests(shopper, public_url, str(photo), lines["DRESS-M"], lines["SNEAKER-40"])

        agent_approves(chromium, public_url, number)
        _label_is_a_pdf(shopper, number)

        barcodes = [Variant.objects.get(store=lumen, sku=sku).barcode for sku in ("DRESS-M", "SNEAKER-40")]
        hands = warehouse_receives_and_inspects(chromium, public_url, number, barcodes)
        hands.locator(".unit-links a").nth(0).click()  # the dress, as new: back on the shelf
        hands.get_by_role("radio", name="Restock").check()
        hands.get_by_role("button", name="Record disposition").click()
        expect(hands.locator(".notices")).to_contain_text("Disposition recorded.")

        shopper.get_by_role("link", name="מעקב אחר ההחזרה").click()
        expect(shopper.locator("h1")).to_contain_text(number)
        expect(shopper.locator("html")).to_have_attribute("dir", "rtl")
        expect(shopper.locator(".status-now")).to_have_text("טופלה")
        steps = shopper.locator(".timeline li strong")
        for words in STEPS.values():
            expect(steps.filter(has_text=words).first).to_be_visible()
        assert shopper.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        shopper.screenshot(path=SCREENSHOT, full_page=True)
        paid_back = stripe.performed_for("ch_1")

    ret = Return.objects.get(number=number)
    assert (ret.status, ret.language, ret.evidence.count()) == ("resolved", "he", 1)
    assert on_hand(lumen, "DRESS-M") == dress_stock + 1
    refund = Refund.objects.get(ret=ret)
    assert (refund.status, refund.amount_minor) == ("succeeded", DRESS_PRICE + SNEAKER_PRICE)
    assert refund.attempts == 1
    assert [r["amount"] for r in paid_back] == [DRESS_PRICE + SNEAKER_PRICE]
    emails = Notification.objects.filter(recipient=EMAIL).exclude(kind__startswith="order_")
    mails = {m.kind: m for m in emails}
    assert set(mails) == {"return_requested", "return_approved", "return_label_ready", "return_received",
                          "return_inspected", "return_resolved", "refund_issued"}
    assert {(m.language, m.status) for m in mails.values()} == {("he", "sent")}
    label = mails["return_label_ready"]
    assert label.attachment_type == "application/pdf" and bytes(label.attachment).startswith(b"%PDF")


def _timeline_steps(client, ret: Return) -> list[str]:
    """What each step of the shopper's status page (signed link, in Hebrew) says happened."""
    page = Page(client.get(urlsplit(status_url(ret)).path, {"lang": "he"}).content.decode())
    timeline = next(e for e in page.root.walk() if e.tag == "ol" and "timeline" in e.classes)
    return [e.text() for e in timeline.walk() if e.tag == "strong"]


@pytest.mark.django_db(transaction=True)
def test_the_hebrew_status_page_names_every_step_the_label_included(lumen, client):
    api = api_client_for(lumen)
    policy_governs_past_orders(lumen)
    lines = order_delivered(api, "H200")
    number = return_requested(api, "H200", lines, key="return-H200", sneaker_reason="too_small")["number"]
    ok(api.post(f"/returns/{number}/approve", {}, idempotency_key="approve-H200"))
    ret = Return.objects.get(number=number)

    approved = _timeline_steps(client, ret)
    for code in ("DRESS-M", "SNEAKER-40"):
        ok(api.post(f"/returns/{number}/receive", {"barcode": code}, idempotency_key=f"scan-{code}"))
    completed = ok(api.post(f"/returns/{number}/receiving/complete", {}, idempotency_key="complete-H200"))
    for line in completed["lines"]:
        ok(api.post(f"/returns/{number}/units/{line['units'][0]['id']}/inspect",
                    {"grade": "A", "acceptance": "accepted"}, idempotency_key=f"inspect-{line['sku']}"))
    resolved = _timeline_steps(client, ret)

    assert approved[:2] == [STEPS["requested"], STEPS["approved"]]
    assert len(approved) >= 3, "the label being ready is a step of its own"
    assert "עודכנה" not in approved + resolved  # no step reads as a bare "updated"
