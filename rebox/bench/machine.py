"""Who used the CPU during a measurement: on a shared 2-core machine another process's
test run halves a benchmark, so each case reports the share taken by everything else
(and the runner waits, a while, for the machine to be quiet before measuring)."""

import os
import time
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
TICK = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class CpuSnapshot:
    at: float
    busy: int  # ticks, all CPUs
    ours: int  # ticks of the benchmark's processes alive at both snapshots
    per_pid: dict


def _machine_busy() -> int:
    # user, nice, system; interrupts (our own loopback traffic, mostly) are left out
    fields = [int(x) for x in (PROC / "stat").read_text().split("\n", 1)[0].split()[1:]]
    return fields[0] + fields[1] + fields[2]


def _is_ours(pid: str, stat: list[str], server_group: int | None) -> bool:
    comm = stat[1]
    if comm == "(wrk)" or (server_group and int(stat[4]) == server_group):
        return True
    if comm.startswith(("(ksoftirqd", "(kworker")) or int(pid) == os.getpid():
        return True  # the kernel moving our packets, and the runner itself
    if comm.startswith("(postgres"):
        title = (PROC / pid / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        # our backends, and the server's own writers (they work for whoever writes most)
        return " rebox_bench " in title or not any(c in title for c in (" 127.", " [local]"))
    return False


def cpu_snapshot(server_group: int | None = None) -> CpuSnapshot:
    per_pid = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
            head, tail = raw.split(") ", 1)
            stat = [head.split(" (", 1)[0], "(" + head.split(" (", 1)[1] + ")", *tail.split()]
            if _is_ours(entry.name, stat, server_group):
                per_pid[entry.name] = int(stat[13]) + int(stat[14])
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
    return CpuSnapshot(at=time.monotonic(), busy=_machine_busy(), ours=sum(per_pid.values()),
                       per_pid=per_pid)


def background_share(before: CpuSnapshot, after: CpuSnapshot, *,
                     also_ours_seconds: float = 0.0) -> float:
    """Share (0..1) of the machine's CPU capacity used by processes not in the benchmark.

    ``also_ours_seconds``: CPU of benchmark processes that were not alive at both
    snapshots (a wrk run started and waited for in between: `Run.cpu_seconds`)."""
    ours = sum(t - before.per_pid.get(pid, t) for pid, t in after.per_pid.items())
    ours += also_ours_seconds * TICK
    capacity = (after.at - before.at) * TICK * (os.cpu_count() or 1)
    other = (after.busy - before.busy) - ours
    return max(0.0, min(1.0, other / capacity)) if capacity > 0 else 0.0


def wait_for_quiet(*, server_group: int | None, limit: float = 0.15, patience: float | None = None,
                   say=print) -> float:
    """Wait up to ``patience`` seconds (REBOX_BENCH_QUIET_WAIT, 20) for other processes to
    use less than ``limit`` of the CPU."""
    if patience is None:
        patience = float(os.environ.get("REBOX_BENCH_QUIET_WAIT", "20"))
    deadline = time.monotonic() + patience
    while True:
        before = cpu_snapshot(server_group)
        time.sleep(1)
        share = background_share(before, cpu_snapshot(server_group))
        if share < limit or time.monotonic() > deadline:
            if share >= limit:
                say(f"   !! machine still busy ({share:.0%} CPU used by other processes)")
            return share


def cpu_ms_by_kind(before: CpuSnapshot, after: CpuSnapshot, server_group: int | None
                   ) -> dict[str, float]:
    """CPU milliseconds the benchmark's processes used between two snapshots: the web
    server ("server"), PostgreSQL ("database") and the rest (kernel threads, runner).

    Unlike a throughput, CPU per request hardly depends on what else the machine runs:
    it is the figure to compare between runs on a shared machine."""
    used = {"server": 0.0, "database": 0.0, "other": 0.0}
    for pid, ticks in after.per_pid.items():
        delta = ticks - before.per_pid.get(pid, ticks)
        if not delta:
            continue
        try:
            head, tail = (PROC / pid / "stat").read_text().split(") ", 1)
        except OSError:
            continue
        if server_group and int(tail.split()[2]) == server_group:
            kind = "server"
        elif head.split(" (", 1)[-1].startswith("postgres"):
            kind = "database"
        else:
            kind = "other"
        used[kind] += delta * 1000 / TICK
    return used
