"""The most specific rule wins: variant > product > supplier > category > policy tag >
price band > country > default; then priority; then the earlier rule."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from rebox.policies import LineFacts, Match, Rule, compile_policy
from rebox.policies.precedence import SPECIFICITY, specificity
from rebox.policies.tests.factories import line, policy

LINE = line(12_000, "EUR", "sale", sku="SKU-9", product_handle="tee", supplier_code="ACME",
            category_slug="shirts")
ONE_OF_EACH = [
    Rule("sku", Match(sku="SKU-9"), window_days=1),
    Rule("product", Match(product="tee"), window_days=2),
    Rule("supplier", Match(supplier="ACME"), window_days=3),
    Rule("category", Match(category="shirts"), window_days=4),
    Rule("tag", Match(policy_tag="sale"), window_days=5),
    Rule("price", Match(price_min_minor=10_000, price_max_minor=20_000), window_days=6),
    Rule("country", Match(country="DK"), window_days=7),
]


def winner(*rules: Rule, facts: LineFacts = LINE, country: str = "DK") -> str:
    return compile_policy(policy("EUR", *rules)).rule_for(facts, country).rule_id


def test_each_kind_of_rule_beats_every_less_specific_kind():
    # Drop the most specific rule one at a time: the next kind in the documented order wins.
    for index, expected in enumerate(["sku", "product", "supplier", "category", "tag", "price", "country"]):
        rules = list(reversed(ONE_OF_EACH[index:]))  # list order must not matter
        assert winner(*rules) == expected


def test_the_default_rule_governs_when_nothing_matches():
    assert winner(*ONE_OF_EACH[:-1], facts=line(99, "EUR", sku="OTHER")) == "default"


def test_an_extra_criterion_makes_a_rule_more_specific():
    plain = Rule("sku", Match(sku="SKU-9"))
    assert winner(plain, Rule("sku-dk", Match(sku="SKU-9", country="DK"))) == "sku-dk"
    assert winner(plain, Rule("sku-se", Match(sku="SKU-9", country="SE"))) == "sku"


def test_a_single_higher_criterion_beats_any_combination_of_lower_ones():
    many = Rule("many", Match(category="shirts", policy_tag="sale", price_min_minor=0, country="DK"))
    assert winner(many, Rule("supplier", Match(supplier="ACME"))) == "supplier"


def test_equal_specificity_is_decided_by_priority():
    low = Rule("low", Match(category="shirts"), priority=1)
    high = Rule("high", Match(category="shirts"), priority=5)
    assert winner(low, high) == "high"
    assert winner(high, low) == "high"


def test_equal_priority_between_two_tags_on_one_line_goes_to_the_earlier_rule():
    two_tags = line(12_000, "EUR", "sale", "gift")
    first, second = Rule("sale", Match(policy_tag="sale")), Rule("gift", Match(policy_tag="gift"))
    assert winner(first, second, facts=two_tags) == "sale"
    assert winner(second, first, facts=two_tags) == "gift"


def test_a_price_band_in_another_currency_does_not_match():
    band = Rule("band", Match(price_min_minor=0, price_max_minor=50_000))
    assert winner(band, facts=line(12_000, "DKK")) == "default"


def test_tags_match_through_their_aliases():
    assert winner(Rule("custom", Match(policy_tag="custom_made_or_personalised")),
                  facts=line(100, "EUR", "personalised")) == "custom"


def test_unset_effects_come_from_the_default_rule():
    compiled = compile_policy(policy("EUR", Rule("short", Match(category="shirts"), window_days=3),
                                     restocking_fee_percent=7))
    effects = compiled.rule_for(LINE, "DK")
    assert effects.window_days == 3 and effects.restocking_fee_percent == 7


def test_specificity_weights_follow_the_documented_order():
    weights = [specificity(Match(**{name: "x"})) for name in ("sku", "product", "supplier", "category",
                                                               "policy_tag")]
    weights += [specificity(Match(price_min_minor=1)), specificity(Match(country="DK"))]
    assert weights == sorted(weights, reverse=True) and len(SPECIFICITY) == 7
    assert specificity(Match(sku="x")) > specificity(Match(product="x", supplier="x", category="x",
                                                           policy_tag="x", price_min_minor=1, country="x"))


VALUES = st.sampled_from(["a", "b"])
matches = st.builds(
    Match, sku=st.none() | VALUES, product=st.none() | VALUES, supplier=st.none() | VALUES,
    category=st.none() | VALUES, policy_tag=st.none() | VALUES,
    price_min_minor=st.none() | st.integers(0, 200), price_max_minor=st.none() | st.integers(0, 200),
    country=st.none() | st.sampled_from(["DK", "IL"]))
rules = st.lists(st.tuples(matches, st.integers(0, 2)), max_size=12)
lines = st.builds(lambda sku, product, supplier, category, tags, price: LineFacts(
    sku=sku, unit_price_minor=price, currency="EUR", product_handle=product, supplier_code=supplier,
    category_slug=category, policy_tags=frozenset(tags)),
    VALUES, VALUES, VALUES, VALUES, st.sets(VALUES), st.integers(0, 200))


@settings(max_examples=300, deadline=None)
@given(rules=rules, facts=lines, country=st.sampled_from(["DK", "IL"]))
def test_the_index_finds_the_same_rule_as_checking_every_rule(rules, facts, country):
    made = [Rule(f"r{i}", match, priority=priority) for i, (match, priority) in enumerate(rules)]
    compiled = compile_policy(policy("EUR", *made))
    tags = facts.policy_tags
    matching = [e for e in compiled.rules if e.matches(facts, tags, country, "EUR")]
    expected = max(matching, key=lambda e: e.rank).rule_id if matching else "default"
    assert compiled.rule_for(facts, country).rule_id == expected
