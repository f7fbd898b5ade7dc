"""`rebox run`: migrate, load the demo store once, start the web app and the worker."""

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Start Rebox on embedded defaults with a demo store (what `make run` does)"

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true")
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, no_demo, workers, **options):
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        call_command("compile_translations", verbosity=0)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if not no_demo:
            call_command("seed_demo")
        port = os.environ.get("PORT", "8000")
        bin_dir = os.path.dirname(sys.executable)
        gunicorn = shutil.which("gunicorn", path=bin_dir) or "gunicorn"
        web = subprocess.Popen([gunicorn, "rebox.wsgi", "--bind", f"127.0.0.1:{port}",
                                "--workers", str(workers), "--access-logfile", "-"])
        worker = subprocess.Popen([sys.executable, "-m", "rebox.cli", "worker"])
        try:
            self._announce(port)
            while web.poll() is None and worker.poll() is None:
                time.sleep(1)
        except KeyboardInterrupt:
            pass
        finally:
            for process in (web, worker):
                process.terminate()
            for process in (web, worker):
                process.wait(timeout=15)

    def _announce(self, port: str) -> None:
        url = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        demo_file = settings.VAR_DIR / "demo.json"
        demo = json.loads(demo_file.read_text()) if demo_file.exists() else {}
        lines = [
            "",
            f"Rebox is running: {url}",
            f"  back office   {url}/",
            f"  API docs      {url}/api/v1/docs",
        ]
        if demo:
            lines += [
                f"  staff login   {demo['username']} / {demo['password']}",
                f"  demo API key  {demo['api_key']}  (store '{demo['store']}')",
                f"  try           curl -H 'Authorization: Bearer {demo['api_key']}' "
                f"{url}/api/v1/orders?limit=2",
            ]
        lines.append("Stop with Ctrl-C. Data stays in var/.\n")
        self.stdout.write("\n".join(lines))
