"""The embedded job worker: delivers the outbox and runs periodic jobs, with no broker.

In scale mode run Celery instead (`celery -A rebox worker` and `celery -A rebox beat`);
both call the same task functions.
"""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from rebox.core.tasks import outbox_sweep


class Command(BaseCommand):
    help = "Run background jobs in-process (embedded mode)"

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument("--once", action="store_true", help="one sweep, then exit")

    def handle(self, *args, interval, once, **options):
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        while not stopping:
            close_old_connections()
            try:
                outbox_sweep()
            except Exception as exc:  # noqa: BLE001 - keep the worker alive, say why
                self.stderr.write(f"worker: sweep failed: {exc}")
            if once:
                return
            time.sleep(interval)
