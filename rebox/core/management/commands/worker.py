"""The embedded job worker: runs the periodic jobs of CELERY_BEAT_SCHEDULE in-process.

Embedded mode has no broker and no beat; this loop is both. In scale mode run Celery
instead (`celery -A rebox worker` and one `celery -A rebox beat`): the same schedule,
the same task functions.
"""

import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections


def run_due_jobs(last_run: dict[str, float], now: float) -> list[str]:
    """Run every scheduled task whose interval has passed; returns the names run."""
    from rebox.celery import app

    app.loader.import_default_modules()  # every app's tasks.py, as a Celery worker would
    ran = []
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        interval = float(entry["schedule"])
        if now - last_run.get(name, float("-inf")) < interval:
            continue
        last_run[name] = now
        app.tasks[entry["task"]].run()
        ran.append(name)
    return ran


class Command(BaseCommand):
    help = "Run background jobs in-process (embedded mode)"

    def add_arguments(self, parser):
        parser.add_argument("--tick", type=float, default=1.0, help="seconds between checks")
        parser.add_argument("--once", action="store_true", help="run every job once, then exit")

    def handle(self, *args, tick, once, **options):
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        last_run: dict[str, float] = {}
        while not stopping:
            try:
                run_due_jobs(last_run, time.monotonic())
            except Exception as exc:  # noqa: BLE001 - keep the worker alive, say why
                self.stderr.write(f"worker: a job failed: {exc}")
            if once:
                return
            time.sleep(tick)
            close_old_connections()  # between jobs, as Django does between requests
