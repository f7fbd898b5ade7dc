"""The deadlines job run twice at once on PostgreSQL: one reminder, one expiry, no errors."""

from datetime import timedelta

import pytest

from rebox.core.actors import Actor
from rebox.core.models import AuditEntry, OutboxEvent
from rebox.returns.deadlines import deadlines_run, return_remind_before_expiry
from rebox.returns.models import Return
from rebox.returns.services import return_approve
from rebox.returns.tests.helpers import delivered_order, return_body
from rebox.testing import api_client_for, make_location, make_store, run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _approved(slug: str) -> Return:
    store = make_store(slug)
    make_location(store)
    api = api_client_for(store)
    lines = delivered_order(api, store)
    number = api.post("/returns", return_body("R1", (lines["TEE"], 1))).json()["number"]
    return return_approve(ret=Return.objects.get(number=number), actor=Actor("staff", "a"))


def test_two_job_runs_at_once_send_exactly_one_reminder():
    ret = _approved("race-remind")
    at = ret.send_by - timedelta(days=1)

    results = run_at_once([lambda: deadlines_run(now=at) for _ in range(3)])

    assert sorted(len(r["reminded"]) for r in results) == [0, 0, 1]
    assert OutboxEvent.objects.filter(topic="return.expiry_reminder", subject_id=ret.pk).count() == 1
    assert AuditEntry.objects.filter(action="return.expiry_reminder", subject_id=ret.pk).count() == 1


def test_racing_reminders_past_the_candidate_query_still_write_one():
    ret = _approved("race-remind-inner")
    at = ret.send_by - timedelta(days=1)

    results = run_at_once([lambda: return_remind_before_expiry(ret=ret, now=at) for _ in range(4)])

    assert sorted(results) == [False, False, False, True]
    assert OutboxEvent.objects.filter(topic="return.expiry_reminder", subject_id=ret.pk).count() == 1


def test_two_job_runs_at_once_expire_once():
    ret = _approved("race-expire")
    at = ret.send_by + timedelta(minutes=5)

    results = run_at_once([lambda: deadlines_run(now=at) for _ in range(2)])

    assert sorted(len(r["expired"]) for r in results) == [0, 1]
    assert Return.objects.get(pk=ret.pk).status == "expired"
    assert OutboxEvent.objects.filter(topic="return.expired", subject_id=ret.pk).count() == 1
