"""The shop the end-to-end journeys run in, and the few moves every journey repeats.

Lumen & Co. sells from Denmark in English, Hebrew and Danish. Its policy: 30 days from
delivery, refund, exchange or store credit, by mail label or drop-off, no fees, a photo
for a defect, nothing approved automatically (an agent approves). One return address.
Its staff: an agent (back office) and a warehouse hand (warehouse screens).
"""

import io
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from rebox.catalog.models import Variant
from rebox.core.actors import Actor
from rebox.core.models import Address, Membership, Role, Store
from rebox.inventory.models import StockLevel
from rebox.policies.services import policy_draft_save, policy_publish
from rebox.portal.tests.journey import sibling_variant
from rebox.testing import make_location, make_store, make_variant, order_payload

EMAIL = "noa@example.com"
PASSWORD = "a-long-staff-passphrase"
AGENT = "agent@lumen.example"
HANDS = "hands@lumen.example"
OWNER = Actor("staff", "owner@lumen.example")
DRESS_PRICE = 79_00
SNEAKER_PRICE = 119_00
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}

POLICY = {
    "window_days": 30, "window_starts": "delivery", "conditions": [], "non_returnable": False,
    "resolutions": ["refund", "exchange", "store_credit"], "methods": ["mail_label", "drop_off"],
    "return_shipping_fee_minor": 0, "restocking_fee_percent": "0", "waive_fees_on_store_fault": True,
    "evidence": {"defective": ["photo"]}, "auto_approve_reasons": [], "waived_exclusions": [],
}


def lumen() -> Store:
    """The shop with a linen dress in M (10) and S (3, for exchanges), and a sneaker (10)."""
    store = make_store("lumen", name="Lumen & Co.", currency="EUR", country="DK",
                       languages=("en", "he", "da"), support_email="help@lumen.example")
    make_location(store)
    Address.objects.create(store=store, label="Warehouse", name="Lumen & Co. Returns", line1="Lagervej 5",
                           city="Køge", postal_code="4600", country="DK", is_default=True)
    dress = make_variant(store, "DRESS-M", price_minor=DRESS_PRICE, category="dresses", title="Linen dress")
    Variant.objects.filter(pk=dress.pk).update(size="M")
    sibling_variant(store, "DRESS-M", "DRESS-S", size="S", stock=3)
    make_variant(store, "SNEAKER-40", price_minor=SNEAKER_PRICE, category="shoes", title="Leather sneaker")
    draft = policy_draft_save(store=store, default_rule=POLICY, rules=[], note="journeys", actor=OWNER)
    policy_publish(store=store, version=draft, actor=OWNER)
    _staff(AGENT, store, Role.AGENT)
    _staff(HANDS, store, Role.WAREHOUSE)
    return store


def _staff(username: str, store: Store, role: str) -> None:
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    Membership.objects.create(user=user, store=store, role=role)


def on_hand(store: Store, sku: str) -> int:
    return sum(StockLevel.objects.filter(variant__store=store, variant__sku=sku)
               .values_list("on_hand", flat=True))


def jpeg_bytes(size: tuple[int, int] = (320, 240)) -> bytes:
    """A real JPEG photo (a scuffed-looking grey gradient), made with Pillow."""
    from PIL import Image

    image = Image.new("RGB", size)
    image.putdata([(90 + x % 60, 90 + y % 60, 100) for y in range(size[1]) for x in range(size[0])])
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


# --- through the API, as an integrator ---------------------------------------------------

def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.content.decode()[:2000]
    return response.json()


def available(api, sku: str) -> int:
    return sum(level["on_hand"] for level in ok(api.get(f"/stock/{sku}")))


def order_delivered(api, number: str) -> dict[str, int]:
    """POST the order, its shipment and the carrier's delivery; the order's line ids by SKU."""
    body = order_payload(("DRESS-M", 1, DRESS_PRICE), ("SNEAKER-40", 1, SNEAKER_PRICE), number=number,
                         email=EMAIL)
    body["placed_at"] = (timezone.now() - timedelta(days=6)).isoformat()
    ok(api.post("/orders", body, idempotency_key=f"order-{number}"), 201)
    shipment = ok(api.post(f"/orders/{number}/shipments", {"carrier": "gls", "tracking_number": f"T{number}"},
                           idempotency_key=f"ship-{number}"), 201)["shipments"][0]
    delivered = ok(api.post(f"/orders/{number}/shipments/{shipment['id']}/events",
                            {"id": f"gls-{number}-1", "status": "delivered",
                             "occurred_at": (timezone.now() - timedelta(days=3)).isoformat()},
                            idempotency_key=f"delivered-{number}"))
    return {line["sku"]: line["id"] for line in delivered["lines"]}


def return_requested(api, order: str, lines: dict[str, int], *, key: str,
                     sneaker_reason: str = "defective") -> dict:
    """A refund of both items by mail label: the dress too small, the sneaker as given."""
    body = {"order": order, "resolution": "refund", "method": "mail_label",
            "lines": [{"order_line_id": lines["DRESS-M"], "quantity": 1, "reason": "too_small"},
                      {"order_line_id": lines["SNEAKER-40"], "quantity": 1, "reason": sneaker_reason,
                       "comment": "the sole came loose after a week"}]}
    return ok(api.post("/returns", body, idempotency_key=key), 201)


# --- in the browser -----------------------------------------------------------------------

def pdf_text(content: bytes) -> str:
    """The words printed on a PDF (a label or a drop-off code)."""
    from pypdf import PdfReader

    assert content.startswith(b"%PDF")
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def log_in(page, base_url: str, username: str, next_path: str) -> None:
    """Log in on the back office's login page (in English, the staff's browser language)."""
    page.goto(f"{base_url}/login/?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def agent_approves(browser, base_url: str, number: str) -> None:
    """An agent on a laptop opens the queue, then the return, and approves it."""
    from playwright.sync_api import expect

    page = browser.new_page(viewport=LAPTOP)
    log_in(page, base_url, AGENT, "/returns/")
    page.locator(".returns-table").get_by_role("link", name=number).click()
    page.get_by_role("button", name="Approve", exact=True).click()
    expect(page.locator(".notices")).to_contain_text(f"Return {number} approved.")
    expect(page.locator("#return-status")).to_have_text("Approved")
    page.close()


def warehouse_receives_and_inspects(browser, base_url: str, label_code: str, barcodes: list[str]):
    """The warehouse on a laptop scans the label, each item, completes receiving, then grades
    every unit A and accepts it. Returns the page, on the parcel, for more steps."""
    from playwright.sync_api import expect

    page = browser.new_page(viewport=LAPTOP)
    log_in(page, base_url, HANDS, "/warehouse/")
    page.get_by_label("Scan the label or type the return number").fill(label_code)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Return")
    for code in barcodes:
        page.get_by_label("Scan an item").fill(code)
        page.keyboard.press("Enter")
        expect(page.locator(".notices")).to_contain_text("Counted")
    page.get_by_role("button", name="Complete receiving").click()
    expect(page.locator(".notices")).to_contain_text("Receiving completed")
    units = page.locator(".unit-links a")
    expect(units).to_have_count(len(barcodes))
    for index in range(len(barcodes)):
        page.locator(".unit-links a").nth(index).click()
        page.get_by_label("A: resellable as new").check()
        page.get_by_label("Accepted", exact=True).check()
        page.get_by_role("button", name="Save inspection").click()
        expect(page.locator(".notices")).to_contain_text("Inspection saved")
        page.locator(".breadcrumb a").nth(1).click()
    return page
