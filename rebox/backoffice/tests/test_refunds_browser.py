"""An agent finds a refund the gateway refused, reads why, retries it once the gateway
answers again, and sees it paid back (the job runs inline, as in embedded mode)."""

import pytest

from rebox.backoffice.tests.conftest import PASSWORD, make_staff
from rebox.core.actors import SYSTEM
from rebox.core.models import Role
from rebox.refunds.models import GatewayAccount, Refund
from rebox.refunds.services import refund_create, refund_execute
from rebox.refunds.tests.owed import asked_return, delivered_order
from rebox.refunds.tests.stripe_standin import StripeStandIn

SCREENSHOT = "/tmp/backoffice-refund.png"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_agent_retries_a_failed_refund_and_sees_it_paid_back(live_server, store, chromium, monkeypatch):
    # the refund job runs inline as soon as its transaction commits (whatever Celery's config)
    monkeypatch.setattr("rebox.refunds.services._enqueue", refund_execute)
    make_staff("mette@shop.example", (store, Role.AGENT))
    with StripeStandIn() as stripe:
        GatewayAccount.objects.create(store=store, payment_gateway="stripe", gateway="stripe",
                                      secret_key=stripe.secret_key, api_base=stripe.url)
        ret = asked_return(delivered_order(store, "B-1", reference="pi_B1"), status="inspected")
        stripe.captured["pi_B1"], stripe.currencies["pi_B1"] = 10_000, "eur"
        stripe.mode = "refuse"
        refund = refund_create(order=ret.order, payment=ret.order.payments.get(), amount_minor=10_000,
                               actor=SYSTEM, ret=ret, reason=f"return {ret.number}",
                               lines=[(ret.lines.get().order_line_id, 10_000)])
        assert Refund.objects.get(pk=refund.pk).status == "failed"  # the gateway said no
        stripe.mode = "ok"
        from playwright.sync_api import expect

        page = chromium.new_page(viewport={"width": 1180, "height": 900})
        page.goto(f"{live_server.url}/refunds/")
        page.get_by_label("Username").fill("mette@shop.example")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()

        row = page.locator(".refunds-table tbody tr", has_text=refund.number)
        expect(row).to_contain_text("Failed")
        expect(row).to_contain_text("Late")  # asked for in March: past the 14 days
        page.screenshot(path=SCREENSHOT.replace(".png", "-list.png"), full_page=True)
        row.get_by_role("link", name=refund.number).click()

        expect(page.locator("#gateway-message")).to_contain_text("Charge has already been refunded.")
        page.get_by_role("button", name="Retry the refund").click()

        expect(page.locator(".notices")).to_contain_text(f"Refund {refund.number} is being paid again.")
        expect(page.locator("#refund-status")).to_have_text("Paid back")
        expect(page.locator("#gateway-reference")).to_have_text(stripe.refunds[0]["id"])
        expect(page.locator(".timeline")).to_contain_text("Refund retried by staff")
        expect(page.get_by_role("button", name="Retry the refund")).to_have_count(0)
        page.screenshot(path=SCREENSHOT, full_page=True)

        assert stripe.per_number()[refund.number] == 1  # paid back once
        assert len(stripe.refunds) == 1
