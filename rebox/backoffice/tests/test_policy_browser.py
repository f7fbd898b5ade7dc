"""An owner edits the policy in a real browser: adds a rule (JavaScript), is told beside
the field what is wrong, fixes it, saves a draft; the editor reads right to left in Hebrew."""

import pytest

from rebox.backoffice.tests.conftest import PASSWORD, make_staff
from rebox.core.models import Role
from rebox.policies.models import StoredPolicyVersion
from rebox.policies.services import policy_seed

SCREENSHOT = "/tmp/backoffice-policy-editor.png"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_owner_adds_a_rule_sees_the_error_beside_it_and_saves_a_draft(live_server, store, chromium):
    make_staff("owner@shop.example", (store, Role.OWNER))
    policy_seed(store=store)
    from playwright.sync_api import expect

    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/login/?next=/policy/")
    page.get_by_label("Username").fill("owner@shop.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="New draft").click()

    page.get_by_role("button", name="Add a rule").click()
    expect(page.locator('input[name="rules-TOTAL_FORMS"]')).to_have_value("1")
    page.fill("#id_rules-0-rule_id", "shoes")
    page.fill("#id_rules-0-category", "shoes")
    page.fill("#id_rules-0-window_days", "-5")
    page.check("#id_rules-0-methods_2")  # choosing a method sets the group for this rule
    expect(page.locator("#id_rules-0-methods_custom")).to_be_checked()
    page.get_by_role("button", name="Save draft").click()

    field = page.locator(".field", has=page.locator("#id_rules-0-window_days"))
    expect(field.locator(".errorlist")).to_have_text("Must not be negative.")
    expect(page.locator("#id_rules-0-window_days")).to_have_value("-5")
    page.screenshot(path=SCREENSHOT, full_page=True)

    page.fill("#id_rules-0-window_days", "60")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".notice--success")).to_contain_text("Draft version 2 saved")

    page.get_by_role("button", name="עברית").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("h1")).to_have_text("עריכת טיוטת גרסה 2")
    page.screenshot(path=SCREENSHOT.replace(".png", "-he.png"), full_page=True)
    draft = StoredPolicyVersion.objects.get(store=store, number=2)
    assert draft.rules[0]["window_days"] == 60
    assert draft.rules[0]["methods"] == ["courier_pickup"]
