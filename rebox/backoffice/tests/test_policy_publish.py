"""Save a draft, simulate it, publish it: orders placed afterwards follow the new version,
older orders keep theirs. Publishing needs a simulation of the draft as it stands."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from rebox.backoffice.tests.conftest import place_order
from rebox.backoffice.tests.policy_editing import editor_data, set_default
from rebox.core.models import AuditEntry
from rebox.orders.models import Order
from rebox.policies.models import StoredPolicyVersion
from rebox.policies.services import policy_in_force, policy_seed
from rebox.testing import api_client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(owner_client, store):
    policy_seed(store=store)
    data = editor_data(owner_client)
    set_default(data, window_days=60)
    data["policy-note"] = ["Sixty days"]
    assert owner_client.post("/policy/new/", data).status_code == 302
    return StoredPolicyVersion.objects.get(store=store, number=2)


def simulate(client, number=2, **fields):
    body = {"months": "6", "asked": "after_delivery", "days": "14", **fields}
    return client.post(f"/policy/versions/{number}/simulation/", body)


def test_publishing_without_a_simulation_is_refused(owner_client, store, draft):
    response = owner_client.post("/policy/versions/2/publish/")

    assert response.status_code == 302 and response["Location"] == "/policy/versions/2/simulation/"
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert "Run the simulation" in owner_client.get("/policy/versions/2/publish/").content.decode()


def test_the_simulation_is_kept_on_the_draft_and_opens_the_way_to_publishing(owner_client, store, draft):
    response = simulate(owner_client)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.simulated_at is not None
    assert draft.simulation["against"] == 1 and draft.simulation["months"] == 6
    assert draft.simulation["asked_after_days"] == 14
    page = owner_client.get("/policy/versions/2/publish/").content.decode()
    assert "Publish version 2" in page


def test_an_edit_after_the_simulation_asks_for_a_new_one(owner_client, store, draft):
    simulate(owner_client)
    data = editor_data(owner_client, "/policy/versions/2/edit/")
    set_default(data, window_days=90)
    owner_client.post("/policy/versions/2/edit/", data)

    response = owner_client.post("/policy/versions/2/publish/")

    assert response["Location"] == "/policy/versions/2/simulation/"
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_published_draft_governs_orders_placed_afterwards_and_older_orders_keep_theirs(
        owner_client, store, draft):
    before = place_order(store, "OLD-1", placed_at=timezone.now() - timedelta(days=3))
    simulate(owner_client)

    response = owner_client.post("/policy/versions/2/publish/")

    assert response.status_code == 302 and response["Location"] == "/policy/"
    draft.refresh_from_db()
    assert draft.status == "published" and draft.published_by == "owner@shop.example"
    after = place_order(store, "NEW-1", placed_at=timezone.now() + timedelta(seconds=1))
    assert policy_in_force(store=store, at=before.placed_at).number == 1
    assert policy_in_force(store=store, at=after.placed_at).number == 2
    api = api_client_for(store)
    assert api.get("/orders/OLD-1/eligibility").json()["policy_version"] == 1
    assert api.get("/orders/NEW-1/eligibility").json()["policy_version"] == 2
    assert AuditEntry.objects.filter(store=store, action="policy.published", subject_id=draft.pk).exists()


def test_the_eligibility_api_answers_with_each_orders_own_window(owner_client, store, draft):
    zone = ZoneInfo(store.time_zone)
    delivered = timezone.now() - timedelta(days=1)
    place_order(store, "OLD-2", placed_at=delivered - timedelta(days=2))
    simulate(owner_client)
    owner_client.post("/policy/versions/2/publish/")
    place_order(store, "NEW-2", placed_at=timezone.now() + timedelta(seconds=1))
    Order.objects.filter(store=store).update(delivered_at=delivered)
    api = api_client_for(store)

    old = api.get("/orders/OLD-2/eligibility").json()["lines"][0]
    new = api.get("/orders/NEW-2/eligibility").json()["lines"][0]

    delivery_day = delivered.astimezone(zone).date()
    assert old["window_end"] == (delivery_day + timedelta(days=30)).isoformat()  # version 1
    assert new["window_end"] == (delivery_day + timedelta(days=60)).isoformat()  # version 2


def test_a_published_version_cannot_be_published_again(owner_client, store, draft):
    simulate(owner_client)
    owner_client.post("/policy/versions/2/publish/")

    response = owner_client.post("/policy/versions/2/publish/")

    assert response.status_code == 302 and response["Location"] == "/policy/versions/2/"


def test_the_history_names_who_created_and_who_published_each_version(owner_client, store, draft):
    simulate(owner_client)
    owner_client.post("/policy/versions/2/publish/")

    history = owner_client.get("/policy/versions/").content.decode()
    version = owner_client.get("/policy/versions/2/").content.decode()

    assert "Sixty days" in history and "owner@shop.example" in history
    assert "Policy draft saved" in version and "Policy draft simulated" in version
    assert "Policy published" in version
    assert "Default rule: return window" in version  # what changed from version 1
