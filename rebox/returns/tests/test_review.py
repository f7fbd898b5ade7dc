"""The approval queue (filters, urgency, overdue), asking for more, and bulk approval."""

from datetime import timedelta

import pytest
from django.utils import timezone

from rebox.core.actors import Actor
from rebox.core.errors import Conflict, ValidationFailed
from rebox.core.models import AuditEntry, OutboxEvent
from rebox.returns.models import Return
from rebox.returns.review import (
    QueueFilters,
    queue_counts,
    return_is_overdue,
    return_request_info,
    returns_bulk_approve,
    returns_for_queue,
)
from rebox.returns.services import return_decline
from rebox.returns.tests.helpers import delivered_order, return_body

pytestmark = pytest.mark.django_db
AGENT = Actor("staff", "agent@shop.example")


def _return(api, store, order: str, *lines, reason="changed_mind") -> Return:
    response = api.post("/returns", return_body(order, *lines, reason=reason))
    assert response.status_code == 201, response.content
    return Return.objects.get(store=store, number=response.json()["number"])


@pytest.fixture
def three(api, store):
    """A: a TEE (200.00, change of mind); B: a MUG (150.00, defective); C: both (350.00,
    change of mind), declined."""
    a_lines = delivered_order(api, store, number="OA")
    b_lines = delivered_order(api, store, number="OB")
    c_lines = delivered_order(api, store, number="OC")
    a = _return(api, store, "OA", (a_lines["TEE"], 1))
    b = _return(api, store, "OB", (b_lines["MUG"], 1), reason="defective")
    c = _return(api, store, "OC", (c_lines["TEE"], 1), (c_lines["MUG"], 1))
    return_decline(ret=c, actor=AGENT, reason="worn")
    return {"a": a, "b": b, "c": Return.objects.get(pk=c.pk)}


def _numbers(store, **filters):
    return [r.number for r in returns_for_queue(store=store, filters=QueueFilters(**filters))]


def test_requests_waiting_come_first_earliest_answer_deadline_first(store, three):
    a, b, c = three["a"], three["b"], three["c"]
    Return.objects.filter(pk=b.pk).update(respond_by=timezone.now() - timedelta(hours=1))

    rows = list(returns_for_queue(store=store))

    assert [r.number for r in rows] == [b.number, a.number, c.number]
    assert [r.overdue for r in rows] == [True, False, False]


@pytest.mark.parametrize(("filters", "expected"), [
    ({"status": "declined"}, ["c"]),
    ({"reason": "defective"}, ["b"]),
    ({"reason": "changed_mind"}, ["a", "c"]),
    ({"store_fault": True}, ["b"]),
    ({"store_fault": False}, ["a", "c"]),
    ({"value_min_minor": 20_000}, ["a", "c"]),
    ({"value_max_minor": 15_000}, ["b"]),
    ({"value_min_minor": 16_000, "value_max_minor": 30_000}, ["a"]),
    ({"channel": "api"}, ["a", "b", "c"]),
    ({"channel": "backoffice"}, []),
    ({"search": "ob"}, ["b"]),
])
def test_the_queue_filters(store, three, filters, expected):
    assert sorted(_numbers(store, **filters)) == sorted(three[k].number for k in expected)


def test_search_finds_a_return_by_its_number_typed_loosely_and_by_email(store, three):
    a = three["a"]
    typed = a.number.lower()[:5] + "-" + a.number.lower()[5:]

    assert _numbers(store, search=typed) == [a.number]
    assert len(_numbers(store, search=a.email.upper())) == 3


def test_age_filters_overdue_and_old(store, three):
    a, b = three["a"], three["b"]
    Return.objects.filter(pk=a.pk).update(respond_by=timezone.now() - timedelta(minutes=1))
    Return.objects.filter(pk=b.pk).update(created_at=timezone.now() - timedelta(days=8))

    assert _numbers(store, age="overdue") == [a.number]
    assert _numbers(store, age="old") == [b.number]
    assert sorted(_numbers(store, age="new")) == sorted([a.number, three["c"].number])
    assert queue_counts(store=store) == {"waiting": 2, "overdue": 1}


def test_overdue_is_only_for_requests_still_waiting(store, three):
    past = timezone.now() - timedelta(hours=1)
    a, c = three["a"], three["c"]
    a.respond_by = c.respond_by = past

    assert return_is_overdue(a) and not return_is_overdue(c)


def test_another_stores_returns_never_show(store, other_store, three):
    assert list(returns_for_queue(store=other_store)) == []


def test_asking_for_more_records_the_question_without_moving_the_return(store, three):
    a = three["a"]

    ret = return_request_info(ret=a, question="  A photo of the seam, please. ", actor=AGENT)

    ret.refresh_from_db()
    assert ret.status == "requested"
    assert ret.info_requested == "A photo of the seam, please." and ret.info_requested_at
    entry = AuditEntry.objects.get(subject_id=a.pk, action="return.info_requested")
    assert entry.actor_label == "agent@shop.example" and entry.why == "A photo of the seam, please."
    event = OutboxEvent.objects.get(subject_id=a.pk, topic="return.info_requested")
    assert event.payload == {"number": a.number, "question": "A photo of the seam, please."}


def test_an_empty_question_is_a_field_error_and_changes_nothing(store, three):
    with pytest.raises(ValidationFailed) as error:
        return_request_info(ret=three["a"], question="   ", actor=AGENT)

    assert [e.field for e in error.value.errors] == ["question"]
    assert not AuditEntry.objects.filter(action="return.info_requested").exists()


def test_asking_about_a_decided_return_is_a_conflict_naming_its_status(store, three):
    with pytest.raises(Conflict, match="is declined"):
        return_request_info(ret=three["c"], question="Why?", actor=AGENT)
    assert not OutboxEvent.objects.filter(topic="return.info_requested").exists()


def test_bulk_approve_approves_each_and_reports_the_ones_that_could_not_be(store, three):
    a, b, c = three["a"], three["b"], three["c"]

    result = returns_bulk_approve(store=store, numbers=[a.number, c.number, b.number.lower(), "NOPE"],
                                  actor=AGENT)

    assert result.approved == [a.number, b.number]
    assert [(n.number, n.status) for n in result.not_approved] == [(c.number, "declined"), ("N0PE", None)]
    statuses = set(Return.objects.filter(store=store).values_list("status", flat=True))
    assert statuses == {"approved", "declined"}
    assert AuditEntry.objects.filter(action="return.approved", actor_label=AGENT.label).count() == 2


def test_bulk_approve_never_reaches_another_stores_return(store, other_store, three):
    result = returns_bulk_approve(store=other_store, numbers=[three["a"].number], actor=AGENT)

    assert result.approved == [] and result.not_approved[0].status is None
    assert Return.objects.get(pk=three["a"].pk).status == "requested"


def test_bulk_approve_needs_a_selection(store):
    with pytest.raises(ValidationFailed):
        returns_bulk_approve(store=store, numbers=[" "], actor=AGENT)
