"""The policy.evaluate benchmark case runs and reports in the bench's shape."""

from __future__ import annotations

from rebox.bench.policy_case import TARGET, bench_inputs, bench_policy, run_policy_bench
from rebox.policies import validate_policy


def test_the_bench_policy_has_50_valid_rules():
    version = bench_policy()
    assert len(version.rules) == 50
    assert validate_policy(version) == []


def test_the_bench_inputs_vary_countries_and_outcomes():
    inputs = bench_inputs(count=500)
    assert len({order.customer_country for _, order, *_ in inputs}) >= 6
    assert any(order.delivered_at is None for _, order, *_ in inputs)


def test_run_policy_bench_reports_one_throughput_row():
    (row,) = run_policy_bench(seconds=0.2)
    assert row["case"] == "policy.evaluate" and row["metric"] == "throughput"
    assert row["unit"] == "evals/s" and row["target"] == TARGET and row["value"] > 0
