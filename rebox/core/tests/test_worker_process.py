"""The embedded worker, as `make run` starts it: a process of its own."""

import os
import subprocess
import sys
from pathlib import Path


def test_the_worker_process_runs_every_scheduled_job_without_errors(tmp_path):
    env = {**os.environ, "REBOX_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "rebox.settings"}
    env.pop("DATABASE_URL", None)
    env.pop("CELERY_BROKER_URL", None)
    root = Path(__file__).resolve().parents[3]
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=root, env=env, check=True,
                   timeout=120)

    done = subprocess.run([sys.executable, "manage.py", "worker", "--once"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=120)

    assert done.returncode == 0
    assert done.stderr == ""
