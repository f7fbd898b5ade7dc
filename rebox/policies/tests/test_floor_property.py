"""Hypothesis: whatever the merchant writes, covered goods never get less than the law.

The floor is worked out here from the pack's data alone (days from the local delivery
date, fee caps), not from the engine's own helpers, so a bug in how the engine lays the
policy over the law cannot hide behind itself. Rolling and extensions only lengthen a
period, so the plain ``delivery + withdrawal_days`` is a safe lower bound.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from rebox.policies import (
    Condition,
    Declarations,
    LineFacts,
    Match,
    Method,
    OrderFacts,
    PolicyVersion,
    Reason,
    Resolution,
    Rule,
    SpecialGroup,
    WindowStart,
    compile_policy,
    complete_default,
    evaluate,
    render,
)
from rebox.policies.statutory import canonical_tags, pack_for
from rebox.policies.tests.factories import CURRENCIES, ZONES

TAGS = ["personalised", "perishable", "hygiene", "sealed_hygiene_unsealed", "underwear", "food", "electrical",
        "software", "sale", "gift"]
COUNTRIES = ["DK", "FR", "DE", "IL", "GB", "UA", "US", "JP"]
REASONS = [None, Reason("changed_mind"), Reason("too_small"), Reason("defective", store_fault=True),
           Reason("wrong_item", store_fault=True)]


def effects(optional: bool) -> st.SearchStrategy[dict]:
    def maybe(strategy):
        return st.none() | strategy if optional else strategy
    return st.fixed_dictionaries({
        "window_days": maybe(st.integers(0, 60)),
        "window_starts": maybe(st.sampled_from(list(WindowStart))),
        "conditions": maybe(st.frozensets(st.sampled_from(list(Condition)))),
        "non_returnable": maybe(st.booleans()),
        "non_returnable_reason": st.just("final_sale"),
        "resolutions": maybe(st.frozensets(st.sampled_from(list(Resolution)), min_size=1)),
        "methods": maybe(st.frozensets(st.sampled_from(list(Method)), min_size=1)),
        "return_shipping_fee_minor": maybe(st.integers(0, 20_000)),
        "restocking_fee_percent": maybe(st.integers(0, 100)),
        "restocking_fee_cap_minor": st.none() | st.integers(0, 50_000),
        "waive_fees_on_store_fault": maybe(st.booleans()),
        "waived_exclusions": maybe(st.frozensets(st.sampled_from([*TAGS, "custom_made_or_personalised",
                                                                  "*"]))),
        "auto_approve_below_minor": st.none() | st.integers(0, 50_000),
    })


matches = st.one_of(
    st.builds(Match, category=st.sampled_from(["shoes", "shirts"])),
    st.builds(Match, policy_tag=st.sampled_from(TAGS)),
    st.builds(Match, country=st.sampled_from(COUNTRIES)),
    st.builds(Match, price_min_minor=st.integers(0, 100_000),
              price_max_minor=st.none() | st.integers(100_000, 10**6)),
)


@st.composite
def scenarios(draw):
    country = draw(st.sampled_from(COUNTRIES))
    currency = CURRENCIES[country]
    rules = tuple(Rule(f"r{i}", draw(matches), priority=i, **draw(effects(optional=True)))
                  for i in range(draw(st.integers(0, 5))))
    version = PolicyVersion("v", 1, datetime(2026, 1, 1, tzinfo=UTC), currency,
                            complete_default(**draw(effects(optional=False))), rules)
    tags = frozenset(draw(st.sets(st.sampled_from(TAGS), max_size=2)))
    category = draw(st.sampled_from(["shoes", "shirts"]))
    line = LineFacts(sku="SKU", unit_price_minor=draw(st.integers(100, 500_000)), currency=currency,
                     quantity=draw(st.integers(1, 3)), category_slug=category,
                     final_sale=draw(st.booleans()), policy_tags=tags)
    zone = draw(st.sampled_from([ZONES[country], "America/Los_Angeles", "Pacific/Auckland"]))
    placed = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=draw(st.integers(0, 60 * 24 * 365)))
    delivered = placed + timedelta(minutes=draw(st.integers(0, 60 * 24 * 10)))
    if draw(st.integers(0, 9)) == 0:
        delivered = None  # not delivered yet, one case in ten
    order = OrderFacts(placed_at=placed, customer_country=country, store_timezone=zone, currency=currency,
                       delivered_at=delivered, informed_of_withdrawal_right=draw(st.booleans()),
                       whole_order_returned=draw(st.booleans()),
                       included_conversation=draw(st.none() | st.booleans()))
    at = (delivered or placed) + timedelta(minutes=draw(st.integers(0, 60 * 24 * 20)))
    declarations = Declarations(
        israel_special_group=draw(st.none() | st.sampled_from(list(SpecialGroup))),
        hygiene_seal_opened=draw(st.booleans()), packaging_opened=draw(st.booleans()),
        item_used=draw(st.booleans()))
    return version, line, order, at, draw(st.sampled_from(REASONS)), declarations


def statutorily_covered(pack, line: LineFacts, declarations: Declarations) -> bool:
    for tag in canonical_tags(line.policy_tags) & set(pack.exclusions):
        when = pack.exclusions[tag].when
        if when is None or (when == "seal_opened" and declarations.hygiene_seal_opened) or (
                when == "packaging_opened" and declarations.packaging_opened):
            return False
    return not (declarations.item_used and not pack.use_keeps_right)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_the_decision_is_never_below_the_statutory_floor_for_covered_goods(scenario):
    version, line, order, at, reason, declarations = scenario
    decision = evaluate(version, line, order, at=at, reason=reason, declarations=declarations)
    if reason is not None and reason.store_fault:
        assert decision.fees.total.amount == 0, "a defect or store-fault return costs nothing"
    pack = pack_for(order.customer_country)
    if pack is None or pack.withdrawal_days == 0 or not statutorily_covered(pack, line, declarations):
        return
    zone = ZoneInfo(order.store_timezone)
    if order.delivered_at is None:
        assert decision.eligible and decision.window_open, "before delivery the customer may cancel"
        return
    today = at.astimezone(zone).date()
    floor_end = order.delivered_at.astimezone(zone).date() + timedelta(days=pack.withdrawal_days)
    if today > floor_end:
        return
    event("inside the statutory window")
    assert decision.eligible
    assert Resolution.REFUND in decision.resolutions
    assert decision.window_open or decision.window_end >= floor_end
    value = line.unit_price_minor * line.quantity
    if pack.fee_max_percent is not None:
        cap = int(value * pack.fee_max_percent) // 100
        if pack.fee_max_minor is not None and pack.fee_cap_currency in (None, line.currency):
            cap = min(cap, pack.fee_max_minor)
        charged = decision.fees.total if pack.fee_cap_includes_shipping else decision.fees.restocking
        assert charged.amount <= cap
    if pack.return_postage == "customer_if_informed" and not order.informed_of_withdrawal_right:
        assert decision.fees.return_shipping.amount == 0


@settings(max_examples=100, deadline=None)
@given(scenarios())
def test_evaluation_is_deterministic(scenario):
    version, line, order, at, reason, declarations = scenario
    first = evaluate(version, line, order, at=at, reason=reason, declarations=declarations)
    again = evaluate(compile_policy(version), line, order, at=at, reason=reason, declarations=declarations)
    assert first == again


@settings(max_examples=100, deadline=None)
@given(scenarios(), st.sampled_from(["en", "he", "da", "uk"]))
def test_every_decision_can_be_told_in_every_language(scenario, language):
    version, line, order, at, reason, declarations = scenario
    decision = evaluate(version, line, order, at=at, reason=reason, declarations=declarations)
    sentences = render(decision, language)
    assert len(sentences) == len(decision.parts) and all(sentences)
    assert not any("{" in s for s in sentences)
