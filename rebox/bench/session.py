"""One benchmark session: database, data, server, the cases, the ratios to the ceilings."""

import time
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path

from rebox.bench.cases import CASES, CaseFailed, CaseSkipped, Context, Result
from rebox.bench.wrk import Load, wrk_binary

OK, FAILED, SKIPPED = "ok", "failed", "skipped"


@dataclass
class Outcome:
    case: str
    status: str
    results: list[Result] = field(default_factory=list)
    note: str = ""
    background: float | None = None  # share of the CPU other processes took meanwhile


def bench_session(*, names: list[str], opts, say) -> list[Outcome]:
    from django.conf import settings

    from rebox.bench.database import broker_flush, database_prepare
    from rebox.bench.dataset import dataset_prepare
    from rebox.bench.server import Server, ServerConfig

    cases = [CASES[n] for n in names]
    load = Load(connections=opts.connections, threads=opts.wrk_threads, seconds=opts.seconds,
                warmup_seconds=opts.warmup)
    config = ServerConfig(port=opts.port, workers=opts.workers, worker_class=opts.worker_class,
                          threads=opts.threads)
    say(f"== rebox bench: {', '.join(names)}")
    say(f"   server: {config.describe()} on {config.base_url}; database "
        f"{settings.DATABASES['default']['NAME']}; wrk {load.threads} threads, "
        f"{load.connections} connections, {load.warmup_seconds}s warm-up + {load.seconds}s")
    database_prepare(say=say)
    broker_flush()
    dataset = dataset_prepare(orders=max(c.orders for c in cases), say=say)
    ctx = Context(base_url=config.base_url, dataset=dataset, load=load,
                  run_id=f"r{int(time.time() * 1000):x}", say=say)
    outcomes: list[Outcome] = []
    served = [c for c in cases if c.needs_server]
    try:
        if served:
            wrk_binary()
            log = Path(opts.output).parent / "gunicorn.log"
            with Server(config, log) as server:
                say(f"   gunicorn up (log: {log})")
                served_ctx = replace(ctx, server_group=server.process_group)
                outcomes += [_run_one(case, served_ctx, say) for case in served]
        outcomes += [_run_one(case, ctx, say) for case in cases if not case.needs_server]
    finally:
        broker_flush()
    _add_ratios(outcomes)
    return outcomes


def _run_one(case, ctx: Context, say) -> Outcome:
    say(f"-- {case.name}: {case.description}")
    started = time.monotonic()
    try:
        outcome = Outcome(case.name, OK, case.run(ctx))
    except CaseFailed as exc:
        outcome = Outcome(case.name, FAILED, exc.results, str(exc))
    except CaseSkipped as exc:
        outcome = Outcome(case.name, SKIPPED, [], str(exc))
    except Exception as exc:  # noqa: BLE001 - one broken case must not hide the others
        traceback.print_exc()
        outcome = Outcome(case.name, FAILED, [], f"{type(exc).__name__}: {exc}")
    outcome.background = ctx.background.get(case.name)
    if outcome.status == SKIPPED:
        outcome.results = [Result(case.name, metric, None, case.unit_of(metric), target)
                           for metric, target in case.targets.items()]
    summary = ", ".join(f"{r.metric}={r.value}" for r in outcome.results if r.value is not None)
    busy = "" if outcome.background is None else f"  (other processes: {outcome.background:.0%} CPU)"
    say(f"   {outcome.status.upper()} in {time.monotonic() - started:.0f}s  {summary}{busy}"
        + (f"\n   !! {outcome.note}" if outcome.note else ""))
    return outcome


def _add_ratios(outcomes: list[Outcome]) -> None:
    throughput = {o.case: r.value for o in outcomes for r in o.results
                  if r.metric == "throughput" and r.value}
    for outcome in outcomes:
        case = CASES[outcome.case]
        if not case.ceiling or outcome.status == SKIPPED:
            continue
        mine, ceiling = throughput.get(case.name), throughput.get(case.ceiling)
        value = round(mine / ceiling, 3) if mine and ceiling else None
        outcome.results.append(Result(case.name, "ratio_to_ceiling", value,
                                      case.unit_of("ratio_to_ceiling"),
                                      case.targets.get("ratio_to_ceiling")))
