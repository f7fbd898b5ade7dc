"""Approved returns not sent in time: one reminder before, then expiry (the scheduled job)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from rebox.core.actors import Actor
from rebox.core.management.commands.worker import run_due_jobs
from rebox.core.models import AuditEntry, OutboxEvent
from rebox.returns.deadlines import deadlines_run, return_remind_before_expiry
from rebox.returns.models import Return
from rebox.returns.services import return_approve, return_transition
from rebox.returns.tests.helpers import delivered_order, return_body

pytestmark = pytest.mark.django_db
AGENT = Actor("staff", "agent@shop.example")


@pytest.fixture
def approved(api, store):
    """An approved return; the store gives 14 days to send it and reminds 3 days before."""
    lines = delivered_order(api, store)
    number = api.post("/returns", return_body("R1", (lines["TEE"], 1))).json()["number"]
    return return_approve(ret=Return.objects.get(number=number), actor=AGENT)


def _reminders(ret):
    return OutboxEvent.objects.filter(topic="return.expiry_reminder", subject_id=ret.pk).count()


def test_nothing_happens_while_there_is_time(approved):
    done = deadlines_run(now=approved.send_by - timedelta(days=4))

    assert done == {"reminded": [], "expired": []}
    assert _reminders(approved) == 0


def test_a_reminder_goes_once_when_the_reminder_period_starts(approved):
    at = approved.send_by - timedelta(days=3) + timedelta(minutes=1)

    first = deadlines_run(now=at)
    second = deadlines_run(now=at + timedelta(hours=1))

    assert first["reminded"] == [approved.number] and second["reminded"] == []
    assert _reminders(approved) == 1
    event = OutboxEvent.objects.get(topic="return.expiry_reminder", subject_id=approved.pk)
    assert event.payload["number"] == approved.number
    entry = AuditEntry.objects.get(action="return.expiry_reminder", subject_id=approved.pk)
    assert entry.actor_type == "system"
    Return.objects.filter(pk=approved.pk).update(status="requested")  # even if moved back and forth
    Return.objects.filter(pk=approved.pk).update(status="approved")
    assert return_remind_before_expiry(ret=approved, now=at + timedelta(hours=2)) is False


def test_the_stores_own_reminder_period_counts(store, approved):
    store.return_reminder_days = 1
    store.save()

    assert deadlines_run(now=approved.send_by - timedelta(days=2))["reminded"] == []
    assert deadlines_run(now=approved.send_by - timedelta(hours=20))["reminded"] == [approved.number]


def test_an_approved_return_not_sent_by_its_deadline_expires_with_the_reason(approved):
    done = deadlines_run(now=approved.send_by + timedelta(minutes=1))

    assert done["expired"] == [approved.number]
    approved.refresh_from_db()
    assert approved.status == "expired"
    entry = AuditEntry.objects.get(action="return.expired", subject_id=approved.pk)
    assert entry.actor_type == "system" and "not sent by the deadline" in entry.why
    assert OutboxEvent.objects.filter(topic="return.expired", subject_id=approved.pk).count() == 1
    assert deadlines_run(now=approved.send_by + timedelta(hours=1))["expired"] == []


def test_a_return_on_its_way_does_not_expire_nor_get_reminded(approved):
    return_transition(ret=approved, to="in_transit", actor=Actor("carrier", "dhl"))

    done = deadlines_run(now=approved.send_by + timedelta(days=1))

    assert done == {"reminded": [], "expired": []}
    assert Return.objects.get(pk=approved.pk).status == "in_transit"


def test_requests_past_their_answer_deadline_stay_requested(api, store):
    lines = delivered_order(api, store)
    number = api.post("/returns", return_body("R1", (lines["TEE"], 1))).json()["number"]

    deadlines_run(now=timezone.now() + timedelta(days=30))

    assert Return.objects.get(number=number).status == "requested"  # overdue is derived, not stored


def test_the_job_is_on_the_schedule_and_the_embedded_worker_runs_it(approved):
    assert settings.CELERY_BEAT_SCHEDULE["return-deadlines"]["schedule"] <= 600
    Return.objects.filter(pk=approved.pk).update(send_by=timezone.now() - timedelta(minutes=1))

    ran = run_due_jobs({}, 0.0)

    assert "return-deadlines" in ran
    assert Return.objects.get(pk=approved.pk).status == "expired"
