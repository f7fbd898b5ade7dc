"""Preview: what would happen to one order today, per line, under the version that governs
it and under a draft."""

from datetime import timedelta

import pytest
from django.utils import timezone

from rebox.backoffice.tests.conftest import place_order
from rebox.backoffice.tests.page import Page
from rebox.core.actors import SYSTEM
from rebox.orders.models import Order
from rebox.policies.services import policy_draft_save, policy_seed, starting_default_rule

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(store):
    policy_seed(store=store)
    mugs = {"id": "mugs", "priority": 0, "match": {"sku": "MUG"}, "window_days": 60}
    return policy_draft_save(store=store, default_rule=starting_default_rule(), rules=[mugs], note="",
                             actor=SYSTEM)


@pytest.fixture
def delivered_40_days_ago(store):
    order = place_order(store, "W40", placed_at=timezone.now() - timedelta(days=42),
                        lines=(("TEE-M", 2, 25_000), ("MUG", 1, 1_000)))
    Order.objects.filter(pk=order.pk).update(delivered_at=timezone.now() - timedelta(days=40))
    return order


def preview_rows(client, number: int, order: str) -> list[list[str]]:
    html = client.get(f"/policy/versions/{number}/preview/", {"order": order}).content.decode()
    table = next(e for e in Page(html).root.walk() if e.tag == "table" and "preview-table" in e.classes)
    body = next(e for e in table.walk() if e.tag == "tbody")
    rows = [row for row in body.walk() if row.tag == "tr"]
    return [[cell.text() for cell in row.walk() if cell.tag == "td"] for row in rows]


def test_each_line_shows_the_decision_in_force_and_the_drafts(staff_client, draft, delivered_40_days_ago):
    rows = preview_rows(staff_client, draft.number, "W40")

    tee, mug = rows
    assert tee[0].startswith("TEE-M") and mug[0].startswith("MUG")
    # 40 days after delivery: past the 30-day policy and the 14 days of Danish law...
    assert "Not returnable" in tee[1] and "Not returnable" in tee[2]
    assert "Not returnable" in mug[1]
    # ...but the draft gives mugs 60 days.
    assert "Returnable" in mug[2] and "our 60-day policy" in mug[2]
    assert "Changes" in mug[0] and "Changes" not in tee[0]


def test_the_preview_explains_in_the_staff_language(staff_client, draft, delivered_40_days_ago, settings):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"

    mug = preview_rows(staff_client, draft.number, "W40")[1]

    assert "Kan returneres til og med" in mug[2] and "vores returpolitik på 60 dage" in mug[2]


def test_an_unknown_order_number_is_said_beside_the_field(staff_client, draft):
    html = staff_client.get(f"/policy/versions/{draft.number}/preview/", {"order": "NOPE"}).content.decode()

    assert "There is no order with this number in this store." in Page(html).around("order")
