"""With a broker, a burst of committed events wakes one delayed sweep, not one task each."""

import pytest

from rebox.core import outbox
from rebox.core.outbox import WAKE_EVERY, outbox_publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker(settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    sent = []
    monkeypatch.setattr("rebox.core.tasks.outbox_sweep.apply_async",
                        lambda countdown: sent.append(countdown))
    monkeypatch.setattr(outbox, "_last_wake", float("-inf"))
    return sent


def _publish(store, django_capture_on_commit_callbacks, n):
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(n):
            outbox_publish(store=store, topic="test.happened", subject_type="test", subject_id=i,
                           payload={})


def test_a_burst_of_events_schedules_one_sweep_late_enough_to_see_them_all(
        store, broker, django_capture_on_commit_callbacks):
    _publish(store, django_capture_on_commit_callbacks, 50)

    assert broker == [WAKE_EVERY]


def test_an_event_after_the_window_schedules_the_next_sweep(
        store, broker, django_capture_on_commit_callbacks, monkeypatch):
    clock = iter([100.0, 100.0 + WAKE_EVERY + 0.01])
    monkeypatch.setattr(outbox.time, "monotonic", lambda: next(clock))

    _publish(store, django_capture_on_commit_callbacks, 1)
    _publish(store, django_capture_on_commit_callbacks, 1)

    assert broker == [WAKE_EVERY, WAKE_EVERY]


def test_the_sweep_delivers_every_event_published_in_the_window(store, broker,
                                                                django_capture_on_commit_callbacks):
    from rebox.core.models import OutboxEvent
    from rebox.core.tasks import outbox_sweep

    _publish(store, django_capture_on_commit_callbacks, 5)
    outbox_sweep.run()

    assert OutboxEvent.objects.filter(processed_at__isnull=True).count() == 0
