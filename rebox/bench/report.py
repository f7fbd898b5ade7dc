"""The session's results: a table on screen, a list of metric rows in JSON."""

import json
from pathlib import Path

from rebox.bench.session import FAILED, SKIPPED, Outcome

NOISY = 0.15  # other processes took this share of the CPU or more: numbers are suspect


def report_write(outcomes: list[Outcome], path: Path) -> None:
    rows = []
    for outcome in outcomes:
        for r in outcome.results:
            row = {"case": r.case, "metric": r.metric, "value": r.value, "unit": r.unit,
                   "target": r.target}
            if outcome.status in (FAILED, SKIPPED):
                row["note"] = f"{outcome.status}: {outcome.note}"
            elif outcome.background is not None and outcome.background >= NOISY:
                row["note"] = f"other processes used {outcome.background:.0%} of the CPU meanwhile"
            rows.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(rows, indent=2) + "\n")


def _target(r) -> str:
    if r.target is None:
        return ""
    sign = ">=" if r.metric in ("throughput", "ratio_to_ceiling") else "<="
    return f"{sign} {r.target:g}"


def report_print(outcomes: list[Outcome], *, say) -> tuple[int, int]:
    """Print the table; returns (cases failed, targets missed)."""
    say(f"\n{'case':16} {'metric':17} {'value':>10}  {'unit':18} {'target':>10}  {'result':8} others")
    say("-" * 92)
    missed = 0
    for outcome in outcomes:
        others = "" if outcome.background is None else f"{outcome.background:.0%} cpu"
        for r in outcome.results:
            verdict = {True: "ok", False: "MISSED", None: ""}[r.meets_target()]
            if outcome.status == SKIPPED:
                verdict = "SKIPPED"
            elif outcome.status == FAILED:
                verdict = "FAILED"
            missed += verdict == "MISSED"
            value = "-" if r.value is None else f"{r.value:,.2f}".rstrip("0").rstrip(".")
            say(f"{r.case:16} {r.metric:17} {value:>10}  {r.unit:18} {_target(r):>10}  "
                f"{verdict:8} {others}")
            others = ""
        if not outcome.results:
            say(f"{outcome.case:16} {'':17} {'-':>10}  {'':18} {'':>10}  {outcome.status.upper()}")
    failed = [o for o in outcomes if o.status == FAILED]
    for outcome in failed + [o for o in outcomes if o.status == SKIPPED]:
        say(f"{outcome.case}: {outcome.status}: {outcome.note}")
    if missed:
        say(f"{missed} target(s) missed")
    noisy = [o.case for o in outcomes if o.background is not None and o.background >= NOISY]
    if noisy:
        say(f"!! other processes took >= {NOISY:.0%} of the CPU during {', '.join(noisy)}: "
            "those numbers understate Rebox")
    return len(failed), missed
