"""The benchmark cases, as a registry: ``@case(...)`` adds one; the runner picks them.

A case gets a `Context` (server URL, the dataset, load settings) and returns its
`Result` rows; it raises `CaseFailed` (with the rows it has) when any request failed,
and `CaseSkipped` when it cannot run here. Targets are per metric: throughput and
ratio_to_ceiling are floors, milliseconds and seconds are ceilings. A case naming a
``ceiling`` case is also reported as a ratio of its throughput to that one's.
"""

import importlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from rebox.bench.dataset import Dataset
from rebox.bench.machine import background_share, cpu_ms_by_kind, cpu_snapshot, wait_for_quiet
from rebox.bench.wrk import Load, Run, wrk_run

ORDERS_STORED = 1_000_000
HIGHER_IS_BETTER = {"throughput", "ratio_to_ceiling"}


@dataclass(frozen=True)
class Result:
    case: str
    metric: str  # throughput | p50_ms | p99_ms | seconds | ratio_to_ceiling
    value: float | None
    unit: str
    target: float | None = None

    def meets_target(self) -> bool | None:
        if self.target is None or self.value is None:
            return None
        if self.metric in HIGHER_IS_BETTER:
            return self.value >= self.target
        return self.value <= self.target


class CaseFailed(Exception):
    def __init__(self, message: str, results: list[Result]):
        super().__init__(message)
        self.results = results


class CaseSkipped(Exception):
    pass


@dataclass(frozen=True)
class Context:
    base_url: str
    dataset: Dataset
    load: Load
    run_id: str
    server_group: int | None = None  # process group of gunicorn, for CPU accounting
    background: dict[str, float] = field(default_factory=dict)  # case: CPU share of others
    say: Callable[[str], None] = print


@dataclass(frozen=True)
class Case:
    name: str
    run: Callable[[Context], list[Result]]
    description: str
    needs_server: bool = True
    orders: int = 0  # generated orders the case needs stored
    ceiling: str | None = None
    targets: dict[str, float | None] = field(default_factory=dict)
    unit: str = "req/s"  # of throughput

    def unit_of(self, metric: str) -> str:
        units = {"throughput": self.unit, "seconds": "s", "ratio_to_ceiling": f"x {self.ceiling}"}
        return units.get(metric, "ms")


CASES: dict[str, Case] = {}


def case(name: str, description: str, **options) -> Callable:
    def register(function: Callable[[Context], list[Result]]):
        CASES[name] = Case(name=name, run=function, description=description, **options)
        return function

    return register


def http_case(ctx: Context, *, name: str, script: str,
              args: Callable[[str], list]) -> list[Result]:
    """Warm up, then measure one wrk run; any non-2xx answer or socket error fails it.

    ``args(tag)`` gives the script's arguments; the tag differs between the two runs so
    that unique values (idempotency keys) stay unique across them.
    """
    wait_for_quiet(server_group=ctx.server_group, say=ctx.say)
    if ctx.load.warmup_seconds:
        wrk_run(base_url=ctx.base_url, script=script, args=args(f"{ctx.run_id}w"),
                load=ctx.load, seconds=ctx.load.warmup_seconds)
    before = cpu_snapshot(ctx.server_group)
    run = wrk_run(base_url=ctx.base_url, script=script, args=args(f"{ctx.run_id}m"),
                  load=ctx.load, seconds=ctx.load.seconds)
    after = cpu_snapshot(ctx.server_group)
    ctx.background[name] = background_share(before, after, also_ours_seconds=run.cpu_seconds)
    if run.requests:
        used = cpu_ms_by_kind(before, after, ctx.server_group)
        ctx.say(f"   CPU per request: server {used['server'] / run.requests:.2f} ms, database "
                f"{used['database'] / run.requests:.2f} ms, wrk "
                f"{run.cpu_seconds * 1000 / run.requests:.2f} ms")
    results = http_results(CASES[name], run)
    if run.non2xx or run.socket_errors:
        raise CaseFailed(f"{run.non2xx} non-2xx answers and {run.socket_errors} socket errors "
                         f"in {run.requests} requests; first: {run.bad_sample}", results)
    return results


def http_results(case: Case, run: Run) -> list[Result]:
    name, targets = case.name, case.targets
    return [
        Result(name, "throughput", round(run.throughput, 1), case.unit, targets.get("throughput")),
        Result(name, "p50_ms", round(run.p50_ms, 2), "ms", targets.get("p50_ms")),
        Result(name, "p99_ms", round(run.p99_ms, 2), "ms", targets.get("p99_ms")),
    ]


@case("ceiling.read", "bare view: one indexed SELECT of a random order", orders=ORDERS_STORED)
def ceiling_read(ctx: Context) -> list[Result]:
    first = ctx.dataset.first_order_id
    return http_case(ctx, name="ceiling.read", script="ceiling_read.lua",
                     args=lambda tag: [first, first + ctx.dataset.order_count - 1])


@case("ceiling.write", "bare view: SELECT + INSERT in a transaction")
def ceiling_write(ctx: Context) -> list[Result]:
    return http_case(ctx, name="ceiling.write", script="ceiling_write.lua",
                     args=lambda tag: [ctx.dataset.store_id])


@case("orders.create", "POST /api/v1/orders: 3 lines, stock reservation, Idempotency-Key",
      ceiling="ceiling.write",
      targets={"throughput": 300, "p99_ms": 150, "ratio_to_ceiling": 0.45}, unit="orders/s")
def orders_create(ctx: Context) -> list[Result]:
    d = ctx.dataset
    return http_case(ctx, name="orders.create", script="create_order.lua",
                     args=lambda tag: [d.api_key, tag, d.sku_count, d.customer_count])


@case("orders.get", "GET /api/v1/orders/{number} with lines, payments, shipments; 1M stored",
      orders=ORDERS_STORED, ceiling="ceiling.read",
      targets={"throughput": 800, "ratio_to_ceiling": 0.6})
def orders_get(ctx: Context) -> list[Result]:
    return http_case(ctx, name="orders.get", script="get_order.lua",
                     args=lambda tag: [ctx.dataset.api_key, ctx.dataset.order_count])


@case("orders.import", "bulk import of order lines (rebox.bench.import_case)",
      needs_server=False, targets={"throughput": 20_000, "seconds": None}, unit="lines/s")
def orders_import(ctx: Context) -> list[Result]:
    module = _optional_module("rebox.bench.import_case")
    lines = int(os.environ.get("REBOX_BENCH_IMPORT_LINES", "1000000"))
    wait_for_quiet(server_group=None, say=ctx.say)
    before, started = cpu_snapshot(), time.monotonic()
    report = module.run_import_bench(lines)
    ctx.background["orders.import"] = background_share(before, cpu_snapshot())
    # The module answers with a row of its own ({"metric": "throughput", "value": ...}) or
    # with named figures; lines / rate is the import's own time, without its set-up.
    rate = _first(report, "lines_per_second", "lines_per_s", "rate")
    if rate is None and report.get("metric") == "throughput":
        rate = _first(report, "value")
    seconds = _first(report, "seconds", "elapsed")
    if seconds is None:
        seconds = lines / rate if rate else time.monotonic() - started
    rate = rate if rate is not None else lines / seconds
    case = CASES["orders.import"]
    return [
        Result(case.name, "throughput", round(rate, 1), case.unit, case.targets["throughput"]),
        Result(case.name, "seconds", round(seconds, 2), "s"),
    ]


@case("policy.evaluate", "return-policy engine, in process (rebox.bench.policy_case)",
      needs_server=False, targets={"throughput": 50_000}, unit="evals/s")
def policy_evaluate(ctx: Context) -> list[Result]:
    module = _optional_module("rebox.bench.policy_case")
    wait_for_quiet(server_group=None, say=ctx.say)
    before = cpu_snapshot()
    rows = module.run_policy_bench(seconds=float(os.environ.get("REBOX_BENCH_POLICY_SECONDS", "5")))
    ctx.background["policy.evaluate"] = background_share(before, cpu_snapshot())
    return [Result(r["case"], r["metric"], r["value"], r["unit"], r.get("target")) for r in rows]


def _optional_module(name: str):
    """A case's own module, written separately; until it exists the case is skipped."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        raise CaseSkipped(f"{name.replace('.', '/')}.py is not there yet") from None


def _first(report: dict, *keys: str) -> float | None:
    return next((float(report[k]) for k in keys if report.get(k) is not None), None)


# Cases kept beside this registry by the areas that own them; each registers with @case.
for _extension in ("rebox.bench.cases_portal", "rebox.bench.cases_warehouse", "rebox.bench.cases_refunds"):
    try:
        importlib.import_module(_extension)
    except ModuleNotFoundError as _exc:
        if _exc.name != _extension:
            raise
