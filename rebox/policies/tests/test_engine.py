"""The parts of one answer that come from the merchant's rule: evidence, approval, fees,
methods, and the window's starting point."""

from __future__ import annotations

from datetime import date

from rebox.policies import Basis, LineFacts, Match, Method, Reason, Rule, evaluate
from rebox.policies.tests.factories import ZONES, line, local, order, policy

DAMAGED = Reason("damaged", store_fault=True)
TOO_SMALL = Reason("too_small")
ASKED = local(date(2026, 11, 10), ZONES["US"])
DELIVERED = order("US", date(2026, 11, 3))


def decide(version, reason=None, facts=DELIVERED, price=5_000, tags=(), **line_facts):
    return evaluate(version, line(price, "USD", *tags, **line_facts), facts, at=ASKED, reason=reason)


def test_evidence_is_required_per_reason():
    version = policy("USD", evidence={"damaged": frozenset({"photo"})})
    assert decide(version, DAMAGED).evidence == {"photo"}
    assert decide(version, TOO_SMALL).evidence == frozenset()
    assert "evidence.required" in decide(version, DAMAGED).codes()


def test_auto_approval_below_a_value_or_for_a_listed_reason_unless_evidence_is_needed():
    version = policy("USD", auto_approve_below_minor=10_000, auto_approve_reasons=frozenset({"too_small"}),
                     evidence={"damaged": frozenset({"photo"})})
    assert decide(version, Reason("changed_mind"), price=9_999).auto_approvable
    assert not decide(version, Reason("changed_mind"), price=10_000).auto_approvable
    assert decide(version, TOO_SMALL, price=50_000).auto_approvable
    assert not decide(version, DAMAGED, price=100).auto_approvable  # the photo needs a look


def test_restocking_fee_is_a_percentage_of_the_line_rounded_half_up_and_capped():
    version = policy("USD", restocking_fee_percent="12.5", restocking_fee_cap_minor=1_000)
    assert decide(version, TOO_SMALL, price=1_004).fees.restocking.amount == 126  # 125.5 -> 126
    assert decide(version, TOO_SMALL, price=50_000).fees.restocking.amount == 1_000
    assert "fees.restocking_capped" in decide(version, TOO_SMALL, price=50_000).codes()


def test_store_fault_waives_fees_when_the_rule_says_so():
    late = Reason("arrived_late", store_fault=True, proposed_basis=Basis.CHANGE_OF_MIND)
    waiving = policy("USD", restocking_fee_percent=10, return_shipping_fee_minor=500)
    keeping = policy("USD", restocking_fee_percent=10, return_shipping_fee_minor=500,
                     waive_fees_on_store_fault=False)
    assert decide(waiving, late).fees.total.amount == 0
    assert decide(keeping, late).fees.total.amount == 1_000


def test_a_defect_basis_never_pays_fees_and_the_store_pays_postage():
    version = policy("USD", restocking_fee_percent=10, return_shipping_fee_minor=500,
                     waive_fees_on_store_fault=False)
    decision = decide(version, DAMAGED)
    assert decision.basis is Basis.DEFECT and decision.fees.total.amount == 0
    assert decision.return_postage == "store"


def test_a_rule_without_methods_of_its_own_offers_the_defaults():
    version = policy("USD", Rule("big", Match(category="sofas"), methods=frozenset({Method.COURIER_PICKUP})))
    assert decide(version, category_slug="sofas").methods == {Method.COURIER_PICKUP}
    assert decide(version).methods == {Method.MAIL_LABEL, Method.DROP_OFF}


def test_a_free_label_means_the_store_pays_the_postage():
    assert decide(policy("USD", return_shipping_fee_minor=0), TOO_SMALL).return_postage == "store"
    assert decide(policy("USD", return_shipping_fee_minor=700), TOO_SMALL).return_postage == "customer"


def test_the_merchant_window_counts_from_the_order_date_until_a_delivery_is_recorded():
    undelivered = order("US", None, placed=date(2026, 11, 1))
    decision = decide(policy("USD", window_days=30), facts=undelivered)
    assert decision.window_end == date(2026, 12, 1)
    assert "window.from_order_date" in decision.codes()


def test_a_non_returnable_rule_says_why():
    version = policy("USD", Rule("engraved", Match(policy_tag="engraved"), non_returnable=True,
                                 non_returnable_reason="personalised"))
    decision = decide(version, TOO_SMALL, tags=("engraved",))
    assert not decision.eligible and decision.rule_id == "engraved"
    assert decision.parts[0].params == {"reason": "personalised"}


def test_policy_tags_may_arrive_as_a_list():
    facts = LineFacts(sku="A", unit_price_minor=100, currency="USD", policy_tags=["a", "b"])
    assert facts.policy_tags == frozenset({"a", "b"})
