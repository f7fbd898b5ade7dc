"""floor_warnings: where a merchant policy is below the law, for the editor."""

from __future__ import annotations

from rebox.policies import Match, Rule, floor_warnings
from rebox.policies.tests.factories import policy, stingy


def codes(version, jurisdiction) -> set[tuple[str, str]]:
    return {(w.field, w.code) for w in floor_warnings(version, jurisdiction)}


def test_a_stingy_policy_is_below_the_danish_floor_on_every_count():
    found = codes(stingy("DKK"), "DK")
    assert found == {
        ("default.window_days", "window_below_law"),
        ("default.restocking_fee_percent", "fee_above_law"),
        ("default.conditions", "condition_not_binding"),
        ("default.resolutions", "refund_required"),
        ("default.waive_fees_on_store_fault", "defect_fees"),
    }


def test_each_warning_names_the_law_and_its_source():
    for warning in floor_warnings(stingy("DKK"), "DK"):
        assert warning.law == "DK" and warning.source and warning.message


def test_a_generous_policy_has_no_warnings():
    assert floor_warnings(policy("DKK", window_days=30), "DK") == []


def test_a_country_resolves_to_its_pack():
    assert codes(stingy("EUR"), "FR") == codes(stingy("EUR"), "EU")


def test_no_warnings_where_the_law_gives_no_right():
    assert floor_warnings(stingy("USD"), "US") == []
    assert floor_warnings(stingy("JPY"), "JP") == []


def test_israel_warns_about_a_fee_above_five_percent_and_a_shipping_fee_above_100_ils():
    version = policy("ILS", restocking_fee_percent=6, return_shipping_fee_minor=12_000)
    assert codes(version, "IL") == {("default.restocking_fee_percent", "fee_above_law"),
                                   ("default.return_shipping_fee_minor", "fee_above_law")}
    assert floor_warnings(policy("ILS", restocking_fee_percent=5), "IL") == []


def test_a_non_returnable_rule_is_only_below_the_floor_for_goods_the_law_covers():
    perishables = Rule("food", Match(policy_tag="perishable"), non_returnable=True,
                       non_returnable_reason="perishable")
    shoes = Rule("shoes", Match(category="shoes"), non_returnable=True, non_returnable_reason="final_sale")
    found = codes(policy("DKK", perishables, shoes), "DK")
    assert found == {("rules[1].non_returnable", "exclusion_below_law")}


def test_rules_for_customers_of_another_country_are_not_held_to_this_floor():
    us_only = Rule("us", Match(country="US"), window_days=3)
    assert floor_warnings(policy("DKK", us_only), "DK") == []
    assert codes(policy("DKK", Rule("dk", Match(country="DK"), window_days=3)), "DK") == \
        {("rules[0].window_days", "window_below_law")}


def test_counting_from_the_order_date_is_below_a_floor_that_counts_from_delivery():
    found = codes(policy("EUR", window_starts="order_date"), "FR")
    assert found == {("default.window_starts", "starts_before_law")}
