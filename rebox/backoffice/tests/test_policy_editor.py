"""The policy editor: drafts are saved through `policy_draft_save`; what it refuses is shown
beside the field, the owner's input is kept, and nothing is saved."""

import pytest

from rebox.backoffice.tests.page import Page
from rebox.backoffice.tests.policy_editing import add_rule, editor_data, set_default
from rebox.policies.models import StoredPolicyVersion
from rebox.policies.services import policy_in_force, policy_seed

pytestmark = pytest.mark.django_db


@pytest.fixture
def version_1(store):
    return policy_seed(store=store)


def post(client, data, path="/policy/new/"):
    return client.post(path, data)


def test_the_editor_starts_from_the_version_in_force(owner_client, version_1):
    data = editor_data(owner_client)

    assert data["default-window_days"] == ["30"]
    assert data["default-window_starts"] == ["delivery"]
    assert sorted(data["default-resolutions"]) == ["exchange", "refund", "store_credit"]
    assert data["rules-TOTAL_FORMS"] == ["0"]


def test_saving_makes_a_draft_and_leaves_the_version_in_force_alone(owner_client, store, version_1):
    data = editor_data(owner_client)
    set_default(data, window_days=45, restocking_fee_percent="5", return_shipping_fee="4.95")
    add_rule(data, rule_id="shoes", category="shoes", window_days=60, conditions_custom="on",
             conditions=["unused", "original_packaging"], price_max="200")
    data["policy-note"] = ["Longer window for shoes"]

    response = post(owner_client, data)

    draft = StoredPolicyVersion.objects.get(store=store, number=2)
    assert response.status_code == 302 and response["Location"] == "/policy/versions/2/edit/"
    assert draft.status == "draft" and draft.note == "Longer window for shoes"
    assert draft.default_rule["window_days"] == 45
    assert draft.default_rule["restocking_fee_percent"] == "5"
    assert draft.default_rule["return_shipping_fee_minor"] == 495
    assert draft.rules == [{"id": "shoes", "priority": 0,
                            "match": {"category": "shoes", "price_max_minor": 20_000},
                            "window_days": 60, "conditions": ["original_packaging", "unused"]}]
    assert draft.created_by == "owner@shop.example"
    assert policy_in_force(store=store, at=draft.created_at).number == 1


def test_a_saved_draft_opens_with_what_was_saved_and_saving_again_updates_it(owner_client, store, version_1):
    data = editor_data(owner_client)
    add_rule(data, rule_id="sale", policy_tag="final", non_returnable="yes",
             non_returnable_reason="final_sale")
    post(owner_client, data)

    again = editor_data(owner_client, "/policy/versions/2/edit/")
    assert again["rules-0-rule_id"] == ["sale"] and again["rules-0-non_returnable"] == ["yes"]
    set_default(again, window_days=35)
    response = post(owner_client, again, "/policy/versions/2/edit/")

    assert response.status_code == 302
    assert StoredPolicyVersion.objects.filter(store=store).count() == 2
    assert StoredPolicyVersion.objects.get(store=store, number=2).default_rule["window_days"] == 35


def test_negative_days_are_refused_beside_the_field_and_nothing_is_saved(owner_client, store, version_1):
    data = editor_data(owner_client)
    add_rule(data, rule_id="shoes", category="shoes", window_days=-5)

    response = post(owner_client, data)

    page = Page(response.content.decode())
    assert response.status_code == 200
    assert "Must not be negative." in page.around("rules-0-window_days")
    assert page.value("rules-0-window_days") == "-5"  # the owner's input is kept
    assert page.value("rules-0-category") == "shoes"
    assert "nothing was saved" in response.content.decode()
    assert StoredPolicyVersion.objects.filter(store=store).count() == 1


def test_a_fee_over_100_percent_is_refused_beside_the_field(owner_client, store, version_1):
    data = editor_data(owner_client)
    set_default(data, restocking_fee_percent="150")

    response = post(owner_client, data)

    page = Page(response.content.decode())
    assert "Enter a percentage from 0 to 100." in page.around("default-restocking_fee_percent")
    assert page.value("default-restocking_fee_percent") == "150"
    assert StoredPolicyVersion.objects.filter(store=store).count() == 1


def test_two_rules_for_the_same_lines_at_the_same_priority_are_refused(owner_client, store, version_1):
    data = editor_data(owner_client)
    add_rule(data, rule_id="shoes", category="shoes", window_days=60)
    add_rule(data, rule_id="shoes-again", category="shoes", window_days=90)

    response = post(owner_client, data)

    page = Page(response.content.decode())
    beside = page.around("rules-1-priority")
    assert "matches the same lines as rule “shoes” with the same priority" in beside
    assert "Must" not in page.around("rules-0-priority")
    assert StoredPolicyVersion.objects.filter(store=store).count() == 1

    data["rules-1-priority"] = ["1"]  # precedence given: accepted
    assert post(owner_client, data).status_code == 302


def test_a_rule_that_says_nothing_about_which_lines_is_refused_beside_its_criteria(owner_client, store,
                                                                                   version_1):
    data = editor_data(owner_client)
    add_rule(data, rule_id="everything", window_days=10)

    response = post(owner_client, data)

    assert "Say which lines this rule is for" in response.content.decode()
    assert StoredPolicyVersion.objects.filter(store=store).count() == 1


def test_a_default_rule_without_a_way_to_send_items_back_is_refused(owner_client, store, version_1):
    data = editor_data(owner_client)
    data.pop("default-methods")

    response = post(owner_client, data)

    beside = Page(response.content.decode()).around("default-methods")
    assert "Offer at least one way to send items back." in beside
    assert StoredPolicyVersion.objects.filter(store=store).count() == 1


def test_an_amount_with_too_many_decimals_is_refused_before_saving(owner_client, store, version_1):
    data = editor_data(owner_client)
    set_default(data, return_shipping_fee="4.955")

    response = post(owner_client, data)

    assert "Use at most 2 decimals." in Page(response.content.decode()).around("default-return_shipping_fee")
    assert StoredPolicyVersion.objects.filter(store=store).count() == 1


def test_a_removed_rule_is_left_out_and_errors_land_on_the_right_rule(owner_client, store, version_1):
    data = editor_data(owner_client)
    add_rule(data, rule_id="gone", category="hats", window_days=-1, DELETE="on")
    add_rule(data, rule_id="kept", category="shoes", window_days=-2)

    response = post(owner_client, data)

    page = Page(response.content.decode())
    assert "Must not be negative." in page.around("rules-1-window_days")
    assert "Must not be negative." not in page.around("rules-0-window_days")


def test_add_a_rule_without_javascript_shows_one_more_blank_rule_and_saves_nothing(owner_client, store,
                                                                                   version_1):
    data = editor_data(owner_client)
    set_default(data, window_days=40)
    data["add_rule"] = ["1"]

    response = post(owner_client, data)

    page = Page(response.content.decode())
    assert page.value("rules-TOTAL_FORMS") == "1"
    assert page.find(name="rules-0-rule_id") is not None
    assert page.value("default-window_days") == "40"
    assert StoredPolicyVersion.objects.filter(store=store).count() == 1


def test_a_blank_added_rule_is_ignored(owner_client, store, version_1):
    data = editor_data(owner_client)
    add_rule(data)

    assert post(owner_client, data).status_code == 302
    assert StoredPolicyVersion.objects.get(store=store, number=2).rules == []


def test_a_published_version_is_never_edited_a_new_draft_starts_from_it(owner_client, store, version_1):
    response = owner_client.get("/policy/versions/1/edit/")

    assert response.status_code == 302 and response["Location"] == "/policy/new/?from=1"


def test_the_editor_warns_beside_the_field_where_the_draft_is_below_the_law(owner_client, store, version_1):
    data = editor_data(owner_client)
    set_default(data, window_days=7)
    post(owner_client, data)

    page = Page(owner_client.get("/policy/versions/2/edit/").content.decode())

    beside = page.around("default-window_days")
    assert "7 days is below the 14 days Danish law gives; customers get 14." in beside
