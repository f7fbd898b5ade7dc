"""rebox.policies.summary, read the way the public page reads it."""

import pytest

from rebox.policies.services import policy_draft_save, policy_publish
from rebox.policies.summary import policy_summary
from rebox.portal.tests.conftest import DEFAULT_RULE, OWNER, RULES

pytestmark = pytest.mark.django_db


def publish(store, *, rules=RULES, **default_changes):
    draft = policy_draft_save(store=store, default_rule={**DEFAULT_RULE, **default_changes}, rules=rules,
                              note="test", actor=OWNER)
    policy_publish(store=store, version=draft, actor=OWNER)


def test_faulty_items_are_not_held_to_the_conditions_of_a_change_of_mind(shop):
    publish(shop, conditions=["tags_attached", "unused"])

    summary = policy_summary(store=shop, country="US", language="en")

    assert summary.change_of_mind.short == ("Returnable within 30 days of delivery; "
                                            "the item must be with its tags attached and unused")
    assert not any("must be" in sentence for sentence in summary.defect.details)


def test_inside_the_danish_withdrawal_period_used_items_may_come_back_and_the_policy_says_after(shop):
    publish(shop, conditions=["unused"])

    details = policy_summary(store=shop, country="DK", language="en").change_of_mind.details

    assert any(s.startswith("You may return it even if used") for s in details)  # § 24(5)
    assert "The item must be: unused." in details


def test_a_rule_for_customers_elsewhere_is_not_listed(shop):
    publish(shop, rules=[*RULES, {"id": "israel", "match": {"country": "IL"}, "window_days": 45}])

    danish = policy_summary(store=shop, country="DK", language="en")
    israeli = policy_summary(store=shop, country="IL", language="en")

    assert "Customers in Israel" not in [r.applies_to for r in danish.rules]
    assert israeli.short == "Returnable within 45 days of delivery"
    assert "Customers in Israel" in [r.applies_to for r in israeli.rules]


def test_a_store_without_exceptions_has_no_rules_to_list(shop):
    publish(shop, rules=[])

    assert policy_summary(store=shop, country="DK", language="da").rules == ()
