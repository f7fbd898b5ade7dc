"""The simulation page: the owner runs a draft against the store's orders and reads what
would change, with example orders that open in the preview.

One order from a customer in the US (no statutory return right there), delivered 20 days
ago: a tee at 40.00 and a mug at 10.00. Version 1 gives 30 days, free; the draft gives 14
days with a 10 % restocking fee, and 90 days for the mug. Asked 10 days after delivery:
both lines stay returnable, the tee's fee goes from 0 to 4.00, the mug's window gets
longer, the tee's shorter.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from rebox.backoffice.tests.conftest import place_order
from rebox.backoffice.tests.page import Page
from rebox.core.actors import SYSTEM
from rebox.orders.models import Order
from rebox.policies.services import policy_draft_save, policy_seed, policy_simulate, starting_default_rule

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(store):
    policy_seed(store=store)
    order = place_order(store, "US-1", placed_at=timezone.now() - timedelta(days=25),
                        lines=(("TEE-M", 1, 4_000), ("MUG", 1, 1_000)))
    Order.objects.filter(pk=order.pk).update(delivered_at=timezone.now() - timedelta(days=20),
                                             shipping_address={"country": "US"})
    default = {**starting_default_rule(), "window_days": 14, "restocking_fee_percent": "10"}
    mug = {"id": "mug", "match": {"sku": "MUG"}, "window_days": 90, "restocking_fee_percent": "0"}
    return policy_draft_save(store=store, default_rule=default, rules=[mug], note="", actor=SYSTEM)


def row(page: Page, kind: str) -> str:
    return page.find(id=f"change-{kind}").text()


def test_the_owner_runs_the_simulation_and_reads_what_would_change(owner_client, draft):
    response = owner_client.post(f"/policy/versions/{draft.number}/simulation/",
                                 {"months": "6", "asked": "after_delivery", "days": "10"})
    assert response.status_code == 302

    page = Page(owner_client.get(response["Location"]).content.decode())

    assert row(page, "fees_higher") == "Higher fees 1 US-1"
    assert row(page, "window_longer") == "Longer return window 1 US-1"
    assert row(page, "window_shorter") == "Shorter return window 1 US-1"
    assert row(page, "became_non_returnable") == "Become non-returnable 0 —"
    money = next(e for e in page.root.walk() if e.tag == "table" and "money-table" in e.classes).text()
    assert "€0.00 €4.00 +€4.00" in money  # fees: now, with the draft, change
    assert "€50.00 €46.00 -€4.00" in money  # refunds
    assert page.find(href=f"/policy/versions/{draft.number}/preview/?order=US-1") is not None
    assert page.find(href=f"/policy/versions/{draft.number}/publish/") is not None


def test_asking_on_the_day_of_the_simulation(owner_client, draft):
    owner_client.post(f"/policy/versions/{draft.number}/simulation/", {"months": "6", "asked": "today"})

    page = Page(owner_client.get(f"/policy/versions/{draft.number}/simulation/").content.decode())

    # 20 days after delivery: the tee is past the draft's 14 days; the mug has 90.
    assert row(page, "became_non_returnable") == "Become non-returnable 1 US-1"


def test_a_wrong_look_back_is_said_beside_the_field(owner_client, draft):
    response = owner_client.post(f"/policy/versions/{draft.number}/simulation/",
                                 {"months": "99", "asked": "today"})

    assert "Choose 1 to 36 months." in Page(response.content.decode()).around("months")
    draft.refresh_from_db()
    assert draft.simulation is None


def test_agents_read_the_last_result_but_cannot_run_one(staff_client, store, draft):
    policy_simulate(store=store, draft=draft, months=6, asked_after_days=None, actor=SYSTEM)

    html = staff_client.get(f"/policy/versions/{draft.number}/simulation/").content.decode()

    assert 'id="change-became_non_returnable"' in html
    assert "Run the simulation" not in html
