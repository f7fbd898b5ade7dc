"""policy.evaluate: line evaluations per second through the pure policy engine, in process.

A policy of 50 rules (variants, products, suppliers, categories, tags, price bands,
countries) is compiled once, as the portal does per policy version; then varied lines,
orders (IL, DK, DE, FR, GB, UA, US customers; delivered or not, informed or not) and
reasons are evaluated round-robin for ``seconds``. Explanations are not rendered: words are
made lazily when shown (`rebox.policies.explain`), not in this hot path.
"""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta

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
)

TARGET = 50_000
RULES = 50
CASES = 4096
COUNTRIES = ("IL", "DK", "DE", "FR", "GB", "UA", "US", "DK", "IL", "SE")
TAGS = ("personalised", "perishable", "hygiene", "underwear", "sale", "bulky", "electrical", "gift")
REASONS = (Reason("too_small"), Reason("changed_mind"), Reason("defective", store_fault=True),
           Reason("wrong_item", store_fault=True), Reason("colour"), None)


def bench_policy(rules: int = RULES) -> PolicyVersion:
    """A realistic 50-rule policy: every kind of criterion, some overlapping on purpose."""
    made = []
    for n in range(rules):
        kind = n % 8
        match = (Match(sku=f"SKU-{n:04d}") if kind == 0 else
                 Match(product=f"product-{n % 40}") if kind == 1 else
                 Match(supplier=f"SUP-{n % 6}") if kind == 2 else
                 Match(category=f"category-{n % 12}", country=COUNTRIES[n % 7]) if kind == 3 else
                 Match(category=f"category-{n % 12}") if kind == 4 else
                 Match(policy_tag=TAGS[n % len(TAGS)]) if kind == 5 else
                 Match(price_min_minor=1000 * n, price_max_minor=1000 * n + 49_999) if kind == 6 else
                 Match(country=COUNTRIES[n % len(COUNTRIES)], category=f"category-{n % 5}"))
        made.append(Rule(
            id=f"rule-{n}", match=match, priority=n,
            window_days=(7, 14, 30, 60, 100)[n % 5],
            window_starts=WindowStart.ORDER_DATE if n % 9 == 0 else None,
            conditions=frozenset({Condition.UNUSED, Condition.TAGS_ATTACHED}) if n % 3 == 0 else None,
            non_returnable=True if n % 11 == 0 else None,
            non_returnable_reason="final_sale" if n % 11 == 0 else None,
            restocking_fee_percent=(0, 5, 10, 15)[n % 4], restocking_fee_cap_minor=5_000 if n % 2 else None,
            return_shipping_fee_minor=(0, 2_500, 4_900)[n % 3],
            methods=frozenset({Method.COURIER_PICKUP}) if n % 7 == 0 else None,
            evidence={"defective": frozenset({"photo"})} if n % 4 == 0 else None,
            auto_approve_below_minor=10_000 if n % 5 == 0 else None,
        ))
    default = complete_default(
        resolutions=frozenset({Resolution.REFUND, Resolution.EXCHANGE, Resolution.STORE_CREDIT}),
        auto_approve_reasons=frozenset({"too_small"}))
    return PolicyVersion("bench", 1, datetime(2026, 1, 1, tzinfo=UTC), "EUR", default, tuple(made))


def bench_inputs(count: int = CASES, seed: int = 7) -> list[tuple]:
    rng = random.Random(seed)
    start = datetime(2026, 9, 1, tzinfo=UTC)
    inputs = []
    for _ in range(count):
        n = rng.randrange(60)
        tags = frozenset(rng.sample(TAGS, rng.choice((0, 0, 1, 2))))
        line = LineFacts(
            sku=f"SKU-{n:04d}", unit_price_minor=rng.randrange(500, 90_000), currency="EUR",
            quantity=rng.choice((1, 1, 2, 3)), product_handle=f"product-{rng.randrange(50)}",
            category_slug=f"category-{rng.randrange(14)}", supplier_code=f"SUP-{rng.randrange(8)}",
            final_sale=rng.random() < 0.05, policy_tags=tags)
        placed = start + timedelta(days=rng.randrange(90), minutes=rng.randrange(1440))
        delivered = None if rng.random() < 0.1 else placed + timedelta(days=rng.randrange(1, 8), hours=3)
        order = OrderFacts(
            placed_at=placed, customer_country=rng.choice(COUNTRIES),
            store_timezone=rng.choice(("Europe/Copenhagen", "Asia/Jerusalem", "Europe/London")),
            currency="EUR", delivered_at=delivered, informed_of_withdrawal_right=rng.random() > 0.05,
            whole_order_returned=rng.random() < 0.5)
        declarations = Declarations(
            israel_special_group=SpecialGroup.SENIOR_CITIZEN if rng.random() < 0.05 else None,
            hygiene_seal_opened=rng.random() < 0.1, item_used=rng.random() < 0.2)
        at = placed + timedelta(days=rng.randrange(1, 60), hours=rng.randrange(24))
        inputs.append((line, order, at, rng.choice(REASONS), declarations))
    return inputs


def run_policy_bench(seconds: float = 3.0) -> list[dict]:
    policy = compile_policy(bench_policy())
    inputs = bench_inputs()
    for line, order, at, reason, declarations in inputs:  # warm caches (zones, holidays, tags)
        evaluate(policy, line, order, at=at, reason=reason, declarations=declarations)
    done = 0
    began = time.perf_counter()
    deadline = began + seconds
    while True:
        for line, order, at, reason, declarations in inputs:
            evaluate(policy, line, order, at=at, reason=reason, declarations=declarations)
        done += len(inputs)
        now = time.perf_counter()
        if now >= deadline:
            break
    rate = done / (now - began)
    return [{"case": "policy.evaluate", "metric": "throughput", "value": round(rate),
             "unit": "evals/s", "target": TARGET}]


if __name__ == "__main__":
    print(run_policy_bench())
