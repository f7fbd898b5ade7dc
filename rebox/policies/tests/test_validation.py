"""What the policy editor refuses, with the field to show the message beside."""

from __future__ import annotations

from datetime import UTC, datetime

from rebox.policies import Match, PolicyVersion, Rule, validate_policy
from rebox.policies.tests.factories import policy


def fields(version) -> list[str]:
    return [field for field, _ in validate_policy(version)]


def test_a_sensible_policy_passes():
    version = policy("EUR", Rule("shoes", Match(category="shoes"), window_days=60),
                     Rule("sale", Match(policy_tag="sale"), restocking_fee_percent=10,
                          restocking_fee_cap_minor=0))
    assert validate_policy(version) == []


def test_refuses_negative_days():
    assert fields(policy("EUR", Rule("r", Match(sku="A"), window_days=-1))) == ["rules[0].window_days"]
    assert fields(policy("EUR", window_days=-3)) == ["default.window_days"]


def test_refuses_a_fee_over_100_percent_or_below_zero():
    assert fields(policy("EUR", restocking_fee_percent=101)) == ["default.restocking_fee_percent"]
    assert fields(policy("EUR", Rule("r", Match(sku="A"), restocking_fee_percent=-1))) == \
        ["rules[0].restocking_fee_percent"]
    assert validate_policy(policy("EUR", restocking_fee_percent=100)) == []


def test_refuses_a_percentage_finer_than_two_decimals():
    assert fields(policy("EUR", restocking_fee_percent="2.505")) == ["default.restocking_fee_percent"]


def test_refuses_a_negative_cap_or_fee():
    assert fields(policy("EUR", restocking_fee_cap_minor=-1)) == ["default.restocking_fee_cap_minor"]
    assert fields(policy("EUR", return_shipping_fee_minor=-5)) == ["default.return_shipping_fee_minor"]


def test_refuses_two_rules_with_identical_criteria_and_equal_priority():
    twins = Rule("a", Match(category="shoes")), Rule("b", Match(category="shoes"))
    errors = validate_policy(policy("EUR", *twins))
    assert [field for field, _ in errors] == ["rules[1].priority"]
    assert "'b'" in errors[0][1] and "'a'" in errors[0][1]


def test_identical_criteria_with_different_priorities_have_a_precedence():
    assert validate_policy(policy("EUR", Rule("a", Match(category="shoes"), priority=1),
                                  Rule("b", Match(category="shoes"), priority=2))) == []


def test_refuses_overlapping_price_bands_of_equal_priority():
    low = Rule("low", Match(price_min_minor=0, price_max_minor=10_000))
    overlapping = Rule("mid", Match(price_min_minor=5_000, price_max_minor=20_000))
    apart = Rule("high", Match(price_min_minor=10_001, price_max_minor=20_000))
    assert fields(policy("EUR", low, overlapping)) == ["rules[1].priority"]
    assert validate_policy(policy("EUR", low, apart)) == []


def test_refuses_an_upside_down_price_band_and_a_bad_country():
    assert fields(policy("EUR", Rule("r", Match(price_min_minor=10, price_max_minor=5)))) == \
        ["rules[0].match.price_max_minor"]
    assert fields(policy("EUR", Rule("r", Match(country="denmark")))) == ["rules[0].match.country"]


def test_refuses_a_rule_without_criteria_and_reused_ids():
    assert fields(policy("EUR", Rule("r"))) == ["rules[0].match"]
    assert "rules[1].id" in fields(policy("EUR", Rule("r", Match(sku="A")), Rule("r", Match(sku="B"))))


def test_a_non_returnable_rule_must_say_why():
    assert fields(policy("EUR", Rule("r", Match(sku="A"), non_returnable=True))) == \
        ["rules[0].non_returnable_reason"]


def test_the_default_rule_must_be_complete_and_match_everything():
    version = PolicyVersion("v", 1, datetime(2026, 1, 1, tzinfo=UTC), "EUR", Rule("default", Match(sku="A")))
    found = fields(version)
    assert "default.match" in found and "default.window_days" in found and "default.resolutions" in found


def test_refuses_unknown_resolutions():
    assert fields(policy("EUR", resolutions=frozenset({"refund", "cash_bonus"}))) == ["default.resolutions"]
