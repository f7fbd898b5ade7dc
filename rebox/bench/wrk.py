"""Drive the server with wrk (another process) and read its Lua ``done()`` report."""

import json
import resource
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parents[2] / "bench" / "wrk"


@dataclass(frozen=True)
class Load:
    connections: int = 32
    threads: int = 2
    seconds: int = 20
    warmup_seconds: int = 3


@dataclass(frozen=True)
class Run:
    requests: int
    seconds: float
    non2xx: int
    socket_errors: int
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    bad_sample: str
    cpu_seconds: float = 0.0  # wrk's own CPU time (it competes with the server for the cores)

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def wrk_binary() -> str:
    found = shutil.which("wrk") or "/usr/bin/wrk"
    if not Path(found).exists():
        raise RuntimeError("wrk not found: apt-get install wrk")
    return found


def wrk_run(*, base_url: str, script: str, args: list[str], load: Load, seconds: int) -> Run:
    """One wrk run of ``seconds``; the script's own args follow ``--``."""
    command = [
        wrk_binary(), "-t", str(load.threads), "-c", str(load.connections),
        "-d", f"{seconds}s", "--timeout", "10s", "-s", str(SCRIPTS / script),
        base_url, "--", *[str(a) for a in args],
    ]
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    report = next((line[len("WRK_JSON "):] for line in done.stdout.splitlines()
                   if line.startswith("WRK_JSON ")), None)
    if done.returncode != 0 or report is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    data = json.loads(report)
    errors, latency = data["errors"], data["latency_us"]
    return Run(
        requests=data["requests"], seconds=data["duration_us"] / 1e6, non2xx=data["non2xx"],
        socket_errors=errors["connect"] + errors["read"] + errors["write"] + errors["timeout"],
        p50_ms=latency["p50"] / 1000, p90_ms=latency["p90"] / 1000,
        p99_ms=latency["p99"] / 1000, max_ms=latency["max"] / 1000,
        bad_sample=data["bad_sample"],
        cpu_seconds=(after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime),
    )
