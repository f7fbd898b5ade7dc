"""An agent works the returns queue in a real browser, on a laptop and on a tablet, in Hebrew."""

from datetime import timedelta

import pytest
from django.utils import timezone

from rebox.backoffice.tests.conftest import PASSWORD, make_staff
from rebox.backoffice.tests.returns_setup import requested_return
from rebox.core.models import Role
from rebox.returns.models import Return
from rebox.testing import api_client_for

SCREENSHOT = "/tmp/backoffice-returns.png"


def _log_in(page, url: str) -> None:
    page.goto(f"{url}/login/?next=/returns/")
    page.get_by_label("Username").fill("mette@shop.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_agent_approves_the_overdue_return_from_the_queue(live_server, store, chromium):
    from playwright.sync_api import expect

    make_staff("mette@shop.example", (store, Role.AGENT))
    api = api_client_for(store)
    fresh = requested_return(api, store, "W1")
    late = requested_return(api, store, "W2", sku="MUG", reason="defective")
    Return.objects.filter(pk=late.pk).update(respond_by=timezone.now() - timedelta(hours=3))

    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    _log_in(page, live_server.url)
    rows = page.locator(".returns-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(late.number)
    expect(rows.nth(0).locator(".overdue-flag")).to_have_text("⚠ Overdue")
    page.screenshot(path=SCREENSHOT, full_page=True)

    rows.nth(0).get_by_role("link", name=late.number).click()
    page.get_by_role("button", name="Approve", exact=True).click()
    expect(page.locator(".notices")).to_contain_text(f"Return {late.number} approved.")
    expect(page.locator("#return-status")).to_have_text("Approved")

    tablet = chromium.new_page(viewport={"width": 768, "height": 1024})
    _log_in(tablet, live_server.url)
    tablet.get_by_role("button", name="עברית").click()
    expect(tablet.locator("html")).to_have_attribute("dir", "rtl")
    expect(tablet.locator(".returns-table tbody tr").nth(0)).to_contain_text(fresh.number)
    assert _no_sideways_scroll(tablet)
    tablet.screenshot(path=SCREENSHOT.replace(".png", "-tablet-he.png"), full_page=True)
