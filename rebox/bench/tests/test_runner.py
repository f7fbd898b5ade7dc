"""The benchmark's plumbing, without a server: choosing cases, targets, the JSON rows."""

import json

import pytest

from rebox.bench.cases import CASES, Result
from rebox.bench.report import report_write
from rebox.bench.runner import _select
from rebox.bench.session import FAILED, OK, SKIPPED, Outcome


def test_choosing_a_case_brings_the_ceiling_it_is_compared_with():
    assert _select(["orders.create"], CASES) == ["ceiling.write", "orders.create"]


def test_a_prefix_chooses_every_case_under_it_in_registry_order():
    chosen = _select(["orders"], CASES)
    assert chosen[:2] == ["ceiling.read", "ceiling.write"]
    assert {"orders.create", "orders.get", "orders.import"} <= set(chosen)


def test_no_choice_means_every_case():
    assert _select([], CASES) == list(CASES)


def test_an_unknown_case_is_refused():
    with pytest.raises(KeyError):
        _select(["orders.nope"], CASES)


def test_throughput_targets_are_floors_and_latency_targets_are_ceilings():
    assert Result("c", "throughput", 310, "req/s", 300).meets_target() is True
    assert Result("c", "throughput", 290, "req/s", 300).meets_target() is False
    assert Result("c", "p99_ms", 120, "ms", 150).meets_target() is True
    assert Result("c", "p99_ms", 151, "ms", 150).meets_target() is False
    assert Result("c", "p50_ms", 151, "ms", None).meets_target() is None


def test_every_case_reports_only_the_agreed_metrics():
    agreed = {"throughput", "p50_ms", "p99_ms", "seconds", "ratio_to_ceiling"}
    for case in CASES.values():
        assert set(case.targets) <= agreed, case.name
        if case.ceiling:
            assert case.ceiling in CASES and not CASES[case.ceiling].ceiling


def test_results_are_written_as_rows_with_the_agreed_keys(tmp_path):
    outcomes = [
        Outcome("orders.get", OK, [Result("orders.get", "throughput", 812.5, "req/s", 800)]),
        Outcome("orders.create", FAILED,
                [Result("orders.create", "throughput", 10.0, "orders/s", 300)], "3 non-2xx"),
        Outcome("orders.import", SKIPPED,
                [Result("orders.import", "throughput", None, "lines/s", 20_000)], "no module"),
    ]
    path = tmp_path / "results" / "latest.json"

    report_write(outcomes, path)

    rows = json.loads(path.read_text())
    assert rows[0] == {"case": "orders.get", "metric": "throughput", "value": 812.5,
                       "unit": "req/s", "target": 800}
    assert rows[1]["note"] == "failed: 3 non-2xx"
    assert rows[2]["value"] is None and rows[2]["note"].startswith("skipped")
