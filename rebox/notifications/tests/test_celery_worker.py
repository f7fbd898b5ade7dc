"""Scale mode: a real Celery worker on Redis delivers the outbox and sends the email."""

import os
import subprocess
import sys
import time
import uuid
from urllib.parse import quote

import pytest
import redis
from celery import Celery
from django.db import connection

from rebox.core.models import OutboxEvent
from rebox.notifications.models import Notification
from rebox.notifications.tests.conftest import parts

REDIS_URL = os.environ.get("REBOX_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")  # as conftest.py


def database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def celery_worker(smtp_server, tmp_path):
    """`celery -A rebox worker` on Redis, against the test database and the test SMTP server."""
    queue = f"rebox-test-{uuid.uuid4().hex}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rebox.notifications.tests.worker_settings",
        "REBOX_TEST_QUEUE": queue,
        "CELERY_BROKER_URL": REDIS_URL,
        "DATABASE_URL": database_url(),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_server.port),
        "REBOX_VAR_DIR": str(tmp_path),
    }
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "rebox", "worker", "-Q", queue, "--pool=solo",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    client = Celery("rebox-test-client", broker=REDIS_URL, set_as_current=False)
    try:
        yield client, queue, worker
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
        log.close()
        client.close()
        broker = redis.Redis.from_url(REDIS_URL)
        broker.delete(queue)
        for key in broker.scan_iter("_kombu.binding.*"):
            for member in broker.smembers(key):
                if queue.encode() in member:
                    broker.srem(key, member)


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_celery_worker_on_redis_turns_the_order_event_into_a_sent_email(
        celery_worker, smtp_server, place_order, monkeypatch, tmp_path):
    client, queue, worker = celery_worker
    monkeypatch.setattr("rebox.core.outbox._enqueue", lambda event_id: None)  # leave it to Celery
    order = place_order(language="he")
    event = OutboxEvent.objects.get(topic="order.placed", subject_id=order.pk)
    assert Notification.objects.count() == 0

    client.send_task("rebox.core.tasks.outbox_deliver", args=[str(event.pk)], queue=queue)

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and worker.poll() is None:
        if Notification.objects.filter(event_id=event.pk, status="sent").exists():
            break
        time.sleep(0.2)
    else:
        pytest.fail("the worker did not send the email:\n" + (tmp_path / "worker.log").read_text())
    event.refresh_from_db()
    assert event.processed_at is not None
    [message] = smtp_server.messages
    assert order.number in message["Subject"]
    assert 'dir="rtl"' in parts(message)[1]
    assert message["Message-ID"] == Notification.objects.get().message_id
