"""One failing outbox handler does not undo what the other handlers of the event did."""

import pytest
from django.utils import timezone

from rebox.core import outbox
from rebox.core.models import AuditEntry, OutboxEvent
from rebox.core.outbox import outbox_deliver_event

pytestmark = pytest.mark.django_db


def test_a_failing_handler_keeps_the_others_work_and_the_event_is_retried(store, monkeypatch):
    def records(event):
        AuditEntry.objects.create(store=store, at=timezone.now(), actor_type="system", actor_label="t",
                                  action="handled", subject_type="x", subject_id=1)

    def breaks(event):
        raise RuntimeError("template missing")

    monkeypatch.setattr(outbox, "_handlers", {"test.topic": [records, breaks]})
    event = OutboxEvent.objects.create(store=store, topic="test.topic", subject_type="x", subject_id=1,
                                       created_at=timezone.now(), next_attempt_at=timezone.now(),
                                       payload={})

    assert outbox_deliver_event(event.pk) is False

    event.refresh_from_db()
    assert event.processed_at is None and event.attempts == 1
    assert "breaks: RuntimeError: template missing" in event.last_error
    assert AuditEntry.objects.filter(action="handled").count() == 1
