"""`python -m rebox.bench [CASES]`: prepare the database, start Rebox under gunicorn, run the
chosen cases with wrk, print a table and write bench/results/latest.json.

Everything is configured by the environment (scripts/bench sets it) or by flags; see
``--help``. The benchmark only ever touches its own database (``rebox_bench``) and
its own Redis database (14).
"""

import argparse
import os
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/rebox_bench"
DEFAULT_BROKER_URL = "redis://127.0.0.1:6379/14"


def _parse(argv: list[str]) -> argparse.Namespace:
    env = os.environ.get
    parser = argparse.ArgumentParser(prog="python -m rebox.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cases", nargs="*", help="names or prefixes, comma separated "
                        "(e.g. orders.create,orders.get); default: all")
    parser.add_argument("--list", action="store_true", help="list the cases and exit")
    parser.add_argument("--seconds", type=int, default=int(env("REBOX_BENCH_SECONDS", "15")))
    parser.add_argument("--warmup", type=int, default=int(env("REBOX_BENCH_WARMUP", "3")))
    parser.add_argument("--connections", type=int,
                        default=int(env("REBOX_BENCH_CONNECTIONS", "32")))
    parser.add_argument("--wrk-threads", type=int, default=int(env("REBOX_BENCH_WRK_THREADS", "2")))
    parser.add_argument("--workers", type=int, default=int(env("REBOX_BENCH_WORKERS", "2")))
    parser.add_argument("--worker-class", default=env("REBOX_BENCH_WORKER_CLASS", "sync"))
    parser.add_argument("--threads", type=int, default=int(env("REBOX_BENCH_THREADS", "1")),
                        help="threads per worker (gthread)")
    parser.add_argument("--port", type=int, default=int(env("REBOX_BENCH_PORT", "8100")))
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "latest.json")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    return parser.parse_args(argv)


def _configure_environment() -> None:
    """Production settings against the benchmark's own database, before Django loads."""
    os.environ["DATABASE_URL"] = os.environ.get("REBOX_BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ.setdefault("CELERY_BROKER_URL", DEFAULT_BROKER_URL)
    os.environ["REBOX_BENCH_ENDPOINTS"] = "1"
    os.environ["REBOX_DEBUG"] = "0"
    os.environ.setdefault("REBOX_SECRET_KEY", "bench-not-secret-" + "x" * 40)
    os.environ.setdefault("REBOX_DB_CONN_MAX_AGE", "600")
    os.environ.setdefault("REBOX_LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rebox.settings")


def _on_sigterm(signum, frame):
    raise KeyboardInterrupt  # so that `finally` stops the server


def main(argv: list[str]) -> int:
    opts = _parse(argv)
    _configure_environment()
    import django

    django.setup()
    from rebox.bench.cases import CASES

    if opts.list:
        for case in CASES.values():
            print(f"{case.name:16} {case.description}")
        return 0
    try:
        names = _select([n for arg in opts.cases for n in arg.split(",") if n], CASES)
    except KeyError as exc:
        print(f"unknown case {exc.args[0]!r}; known: {', '.join(CASES)}", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _on_sigterm)
    from rebox.bench.session import bench_session

    started = time.monotonic()
    outcomes = bench_session(names=names, opts=opts, say=_say)
    from rebox.bench.report import report_print, report_write

    report_write(outcomes, opts.output)
    failed, missed = report_print(outcomes, say=_say)
    _say(f"\nwrote {opts.output.relative_to(ROOT) if opts.output.is_relative_to(ROOT) else opts.output}"
         f" in {time.monotonic() - started:.0f}s")
    return 1 if failed or (opts.strict and missed) else 0


def _select(wanted: list[str], cases: dict) -> list[str]:
    """Chosen cases in registry order, plus the ceilings they are compared with."""
    if not wanted:
        chosen = set(cases)
    else:
        chosen = set()
        for name in wanted:
            matches = {c for c in cases if c == name or c.startswith(name + ".")}
            if not matches:
                raise KeyError(name)
            chosen |= matches
    chosen |= {cases[c].ceiling for c in chosen if cases[c].ceiling}
    return [c for c in cases if c in chosen]


def _say(text: str) -> None:
    print(text, flush=True)
