"""Who reaches the policy pages: every role reads, only owners change; another store's
versions and orders are not found."""

import pytest
from django.test import Client

from rebox.backoffice.tests.conftest import make_staff, place_order
from rebox.backoffice.tests.policy_editing import editor_data, set_default
from rebox.core.actors import SYSTEM
from rebox.core.models import Role
from rebox.policies.models import ReturnReason, StoredPolicyVersion
from rebox.policies.services import policy_draft_save, policy_seed, starting_default_rule

pytestmark = pytest.mark.django_db

READ_PAGES = ["/policy/", "/policy/versions/", "/policy/versions/1/", "/policy/reasons/",
              "/policy/versions/1/preview/", "/policy/versions/1/simulation/"]


@pytest.fixture
def version_1(store):
    return policy_seed(store=store)


@pytest.fixture
def analyst_client(client, store):
    client.force_login(make_staff("analyst@shop.example", (store, Role.ANALYST)))
    return client


@pytest.mark.parametrize("path", READ_PAGES)
def test_agents_read_every_policy_page(staff_client, version_1, path):
    assert staff_client.get(path).status_code == 200


@pytest.mark.parametrize("path", READ_PAGES)
def test_analysts_read_every_policy_page(analyst_client, version_1, path):
    assert analyst_client.get(path).status_code == 200


def test_the_policy_is_in_the_back_office_menu(staff_client, version_1):
    html = staff_client.get("/orders/").content.decode()

    assert '<a href="/policy/">Policy</a>' in html


def test_an_agent_cannot_open_the_editor_or_save_a_draft(staff_client, owner, store, version_1):
    owners_browser = Client()
    owners_browser.force_login(owner)
    data = editor_data(owners_browser)
    set_default(data, window_days=90)

    assert staff_client.get("/policy/new/").status_code == 403
    assert staff_client.post("/policy/new/", data).status_code == 403
    assert StoredPolicyVersion.objects.filter(store=store).count() == 1


def test_an_agent_cannot_edit_simulate_or_publish_a_draft(staff_client, store, version_1):
    draft = policy_draft_save(store=store, default_rule=starting_default_rule(), rules=[], note="",
                              actor=SYSTEM)

    assert staff_client.get(f"/policy/versions/{draft.number}/edit/").status_code == 403
    assert staff_client.post(f"/policy/versions/{draft.number}/simulation/",
                             {"months": "6", "asked": "today"}).status_code == 403
    assert staff_client.get(f"/policy/versions/{draft.number}/publish/").status_code == 403
    assert staff_client.post(f"/policy/versions/{draft.number}/publish/").status_code == 403
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.simulation is None


def test_an_analyst_cannot_change_the_reasons(analyst_client, store, version_1):
    analyst_client.get("/policy/reasons/")  # seeds the reasons
    body = {"reasons-TOTAL_FORMS": "1", "reasons-INITIAL_FORMS": "0", "reasons-0-code": "bored",
            "reasons-0-label_en": "Bored"}

    assert analyst_client.post("/policy/reasons/", body).status_code == 403
    assert not ReturnReason.objects.filter(store=store, code="bored").exists()


def test_another_stores_versions_are_not_found(owner_client, store, other_store, version_1):
    policy_seed(store=other_store)
    theirs = policy_draft_save(store=other_store, default_rule=starting_default_rule(), rules=[],
                               note="Their secret draft", actor=SYSTEM)

    base = f"/policy/versions/{theirs.number}/"
    for path in (base, f"{base}edit/", f"{base}preview/", f"{base}simulation/", f"{base}publish/"):
        response = owner_client.get(path)
        assert response.status_code == 404, path
        assert "Their secret draft" not in response.content.decode()
    assert owner_client.post(f"/policy/versions/{theirs.number}/publish/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "draft"


def test_another_stores_order_cannot_be_previewed(owner_client, store, other_store, version_1):
    place_order(other_store, "THEIRS-1", lines=(("SECRET-SKU", 1, 1_000),))

    html = owner_client.get("/policy/versions/1/preview/", {"order": "THEIRS-1"}).content.decode()

    assert "There is no order with this number in this store." in html
    assert "SECRET-SKU" not in html


def test_a_member_of_two_stores_edits_the_one_chosen(client, store, other_store, version_1):
    policy_seed(store=other_store)
    owner = make_staff("both@shop.example", (store, Role.AGENT), (other_store, Role.OWNER))
    client.force_login(owner)

    assert client.get("/policy/new/").status_code == 200  # "Other", first by name: owner there
    client.post("/store/", {"store": store.pk})
    assert client.get("/policy/new/").status_code == 403  # an agent in "Shop"
