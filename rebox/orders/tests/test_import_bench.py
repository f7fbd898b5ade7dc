"""The import benchmark case runs end to end (tiny here; 1,000,000 lines when measured)."""

import pytest

from rebox.bench.import_case import run_import_bench
from rebox.orders.models import Order

pytestmark = pytest.mark.django_db


def test_the_import_bench_imports_every_line_and_reports_throughput():
    first = run_import_bench(31)
    again = run_import_bench(31)  # starts from a clean store, so it imports everything again

    assert {k: first[k] for k in ("case", "metric", "unit", "target")} == {
        "case": "orders.import", "metric": "throughput", "unit": "lines/s", "target": 20_000}
    assert first["value"] > 0 and again["value"] > 0
    assert Order.objects.filter(store__slug="bench-import").count() == 11
