"""Draining a backlog of due refunds quickly: after a gateway outage, an import, or a broker
that lost its queue, thousands of refunds are due at once, and each gateway call spends
most of its time waiting on the network.

``refunds_drain`` runs N threads in one process; each claims a small batch of due refunds
(``services.refunds_claim``: the lease's conditions, one UPDATE, rows other workers are
claiming skipped) and pays them one by one through ``services.refund_pay``, the same code
a single ``refund_execute`` runs: same key, same look-up before a repeated attempt, same
audit and outbox. Any number of such processes can drain side by side; the lease makes
each refund theirs alone.

    python -m rebox.refunds.drain --threads 16 [--batch 8] [--until-empty]
"""

from __future__ import annotations

import logging
import threading
import time

from django.db import close_old_connections, connection

log = logging.getLogger(__name__)


def _drain_thread(*, batch: int, until_empty: bool, stop: threading.Event, counts: dict,
                  lock: threading.Lock, idle: float) -> None:
    from rebox.refunds.services import refund_pay, refunds_claim

    accounts: dict = {}
    try:
        while not stop.is_set():
            claimed = refunds_claim(limit=batch)
            if not claimed:
                if until_empty:
                    return
                stop.wait(idle)
                close_old_connections()
                continue
            for refund in claimed:
                try:
                    outcome = refund_pay(refund, accounts=accounts)
                except Exception:  # noqa: BLE001 - one broken refund must not stop the drain
                    log.exception("refund %s: the attempt broke; its lease will run out", refund.number)
                    outcome = "error"
                with lock:
                    counts[outcome] = counts.get(outcome, 0) + 1
    finally:
        connection.close()


def refunds_drain(*, threads: int = 8, batch: int = 8, until_empty: bool = True,
                  stop: threading.Event | None = None, idle: float = 1.0) -> dict[str, int]:
    """Pay due refunds with ``threads`` threads until none is due (``until_empty``) or
    ``stop`` is set. Returns how many ended how (succeeded, retry, failed, error)."""
    from rebox.refunds.services import LEASE

    LEASE.give_up_abandoned(why="the last attempt stopped without an answer; check the gateway")
    stop = stop or threading.Event()
    counts: dict[str, int] = {}
    lock = threading.Lock()
    workers = [threading.Thread(target=_drain_thread, name=f"refund-drain-{i}", daemon=True,
                                kwargs={"batch": batch, "until_empty": until_empty, "stop": stop,
                                        "counts": counts, "lock": lock, "idle": idle})
               for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return counts


def main(argv: list[str] | None = None) -> None:
    import argparse
    import json
    import os
    import signal

    import django

    parser = argparse.ArgumentParser(prog="python -m rebox.refunds.drain", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--batch", type=int, default=8, help="refunds claimed at once per thread")
    parser.add_argument("--until-empty", action="store_true", help="stop once nothing is due")
    opts = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rebox.settings")
    django.setup()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    started = time.monotonic()
    counts = refunds_drain(threads=opts.threads, batch=opts.batch, until_empty=opts.until_empty, stop=stop)
    print(json.dumps({"pid": os.getpid(), "seconds": round(time.monotonic() - started, 2), **counts}),
          flush=True)


if __name__ == "__main__":
    main()
