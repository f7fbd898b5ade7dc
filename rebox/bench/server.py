"""Rebox under gunicorn, as production runs it, for the length of a benchmark."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ServerConfig:
    host: str = "127.0.0.1"
    port: int = 8100
    workers: int = 2
    worker_class: str = "sync"
    threads: int = 1

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def describe(self) -> str:
        threads = f" x {self.threads} threads" if self.worker_class == "gthread" else ""
        return f"gunicorn {self.workers} {self.worker_class} workers{threads}"


class Server:
    """Start with ``with Server(config, log_path):``; stopped on exit, also on error."""

    def __init__(self, config: ServerConfig, log_path: Path):
        self.config = config
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        c = self.config
        if _port_taken(c.host, c.port):
            raise RuntimeError(f"{c.host}:{c.port} is already in use (a server left running?)")
        gunicorn = Path(sys.executable).with_name("gunicorn")
        command = [
            str(gunicorn), "rebox.wsgi:application", "--bind", f"{c.host}:{c.port}",
            "--workers", str(c.workers), "--worker-class", c.worker_class,
            "--threads", str(c.threads), "--backlog", "2048", "--timeout", "60",
            "--error-logfile", "-",
        ]
        if _has_setting("control_socket_disable"):  # gunicorn >= 25.1: one shared socket path
            command.append("--no-control-socket")
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "w")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                        env=os.environ.copy(), start_new_session=True)
        log.close()
        self._wait_healthy()

    def _wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; "
                                   f"see {self.log_path}")
            try:
                with urllib.request.urlopen(f"{self.config.base_url}/healthz", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.25)
        raise RuntimeError(f"gunicorn did not answer /healthz within {timeout:.0f}s")

    @property
    def process_group(self) -> int | None:
        return self.process.pid if self.process else None  # a session of its own

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # the master stops its workers
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)  # our own session: master + workers
            self.process.wait(timeout=5)


def _has_setting(name: str) -> bool:
    from gunicorn.config import KNOWN_SETTINGS

    return any(setting.name == name for setting in KNOWN_SETTINGS)


def _port_taken(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0
