"""Settings of the Celery worker that test_celery_worker starts: the project's own, on a
private queue, so that workers other test runs start on the same Redis never take its tasks."""

import os

from rebox.settings import *  # noqa: F403

CELERY_TASK_DEFAULT_QUEUE = os.environ["REBOX_TEST_QUEUE"]
