"""`return_transition`'s one-statement path on PostgreSQL (`rebox.returns.pg_transition`)
writes the rows the ORM path writes, refuses what it refuses, and lets one of two racing
moves win."""

from datetime import timedelta

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext

from rebox.core.actors import Actor
from rebox.core.errors import Conflict
from rebox.core.models import AuditEntry, OutboxEvent
from rebox.returns.models import Return
from rebox.returns.services import _return_transition_orm, return_transition
from rebox.returns.states import ReturnStatus as S
from rebox.returns.tests.helpers import delivered_order, return_body
from rebox.testing import api_client_for, make_location, make_store, run_at_once

pytestmark = [pytest.mark.postgres]

CLERK = Actor.integration("clerk")
MOVES = [  # (target, changes, why)
    (S.APPROVED, {}, "looks fine"),
    (S.IN_TRANSIT, {}, ""),
    (S.RECEIVED, {}, "2 of 2 units received"),
]


def _two_returns(api, store, order: str = "R1") -> tuple[Return, Return]:
    lines = delivered_order(api, store, number=order, tee=2)
    numbers = [api.post("/returns", return_body(order, (lines["TEE"], 1))).json()["number"]
               for _ in range(2)]
    first, second = (Return.objects.get(store=store, number=n) for n in numbers)
    assert first.status == second.status == S.REQUESTED
    return first, second


def _trail(ret: Return) -> dict:
    """What the moves left on ``ret``: its fields and its transition audit entries and events,
    with the return's own number and id and the clock taken out."""
    ret.refresh_from_db()
    fields = {k: v for k, v in model_to_dict(ret).items()
              if k not in ("id", "number", "created_at", "respond_by", "send_by", "status_changed_at")}
    moved = [f"return.{to}" for to, _, _ in [*MOVES, (S.DECLINED, None, None)]]
    audit = AuditEntry.objects.filter(subject_type="return", subject_id=ret.pk, action__in=moved)
    events = OutboxEvent.objects.filter(subject_type="return", subject_id=ret.pk, topic__in=moved)
    return {
        "return": fields,
        "changed": ret.status_changed_at is not None,
        "audit": [(e.store_id, e.actor_type, e.actor_label, e.action, e.subject_type, e.why, e.details)
                  for e in audit.order_by("at", "id")],
        "events": [(e.store_id, e.topic, e.subject_type, {**e.payload, "number": "N"})
                   for e in events.order_by("created_at", "topic")],
        "numbers": [e.payload["number"] == ret.number for e in events],
    }


@pytest.mark.django_db
def test_the_statement_writes_what_the_orm_writes(api, store, django_capture_on_commit_callbacks):
    orm, fast = _two_returns(api, store)
    for to, changes, why in MOVES:
        answer_orm = _return_transition_orm(ret=orm, to=to, actor=CLERK, why=why, changes=changes)
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            answer_fast = return_transition(ret=fast, to=to, actor=CLERK, why=why, changes=changes)
        # the event's delivery is scheduled after commit, as outbox_publish does
        assert any(c.__qualname__.startswith("outbox_deliver_after_commit") for c in callbacks)
        # the answer is the return as stored, like the ORM path's
        assert model_to_dict(answer_fast) == model_to_dict(Return.objects.get(pk=fast.pk))
        assert answer_fast.status == answer_orm.status == to
    assert _trail(fast) == _trail(orm)
    for event in OutboxEvent.objects.filter(subject_id=fast.pk, topic__in=[f"return.{m[0]}" for m in MOVES]):
        assert event.processed_at is not None and event.attempts == 1  # delivered (embedded mode)
    for ret in (orm, fast):
        approved_at = AuditEntry.objects.get(subject_id=ret.pk, action="return.approved").at
        send_by = Return.objects.get(pk=ret.pk).send_by  # the ORM's audit clock is read a moment later
        assert abs(send_by - (approved_at + timedelta(days=store.return_send_days))) < timedelta(seconds=1)


@pytest.mark.django_db
def test_decline_with_its_reason_and_an_explicit_send_by(api, store):
    orm, fast = _two_returns(api, store)
    for ret, move in ((orm, _return_transition_orm), (fast, return_transition)):
        move(ret=ret, to=S.DECLINED, actor=CLERK, why="worn", changes={"decline_reason": "worn"})
    assert _trail(fast) == _trail(orm)
    assert Return.objects.get(pk=fast.pk).decline_reason == "worn"

    orm, fast = _two_returns(api, store, "R2")
    when = orm.created_at + timedelta(days=3)
    for ret, move in ((orm, _return_transition_orm), (fast, return_transition)):
        move(ret=ret, to=S.APPROVED, actor=CLERK, why="", changes={"send_by": when})
    assert Return.objects.get(pk=fast.pk).send_by == Return.objects.get(pk=orm.pk).send_by == when


@pytest.mark.django_db
def test_one_statement_per_move(api, store):
    _, fast = _two_returns(api, store)
    return_transition(ret=fast, to=S.APPROVED, actor=CLERK)  # prepares the statement
    with CaptureQueriesContext(connection) as queries:
        return_transition(ret=fast, to=S.IN_TRANSIT, actor=CLERK)
    assert len(queries) == 1


@pytest.mark.django_db
def test_a_forbidden_move_is_the_same_conflict_and_writes_nothing(api, store):
    orm, fast = _two_returns(api, store)
    for ret in (orm, fast):
        _return_transition_orm(ret=ret, to=S.DECLINED, actor=CLERK, why="", changes={})
    before = (AuditEntry.objects.count(), OutboxEvent.objects.count())
    messages = []
    for ret, move in ((orm, _return_transition_orm), (fast, return_transition)):
        with pytest.raises(Conflict) as caught:
            move(ret=ret, to=S.APPROVED, actor=CLERK, why="", changes={})
        messages.append(str(caught.value).replace(ret.number, "N"))
    assert messages[0] == messages[1] == "Return N is declined and cannot become approved"
    assert (AuditEntry.objects.count(), OutboxEvent.objects.count()) == before
    assert Return.objects.get(pk=fast.pk).status == S.DECLINED
    with pytest.raises(Return.DoesNotExist):
        return_transition(ret=Return(pk=10**12), to=S.APPROVED, actor=CLERK)


@pytest.mark.django_db(transaction=True)
def test_two_conflicting_moves_at_once_one_wins():
    store = make_store("race-transition")
    make_location(store)
    _, ret = _two_returns(api_client_for(store), store)

    def move(to, changes):
        def run():
            try:
                return return_transition(ret=ret, to=to, actor=CLERK, changes=changes).status
            except Conflict as exc:
                return str(exc)
        return run

    results = run_at_once([move(S.APPROVED, {}), move(S.DECLINED, {"decline_reason": "no"})])

    winner = Return.objects.get(pk=ret.pk).status
    assert winner in results
    loser = next(r for r in results if r != winner)
    assert loser.endswith(f"is {winner} and cannot become "
                          f"{S.DECLINED if winner == S.APPROVED else S.APPROVED}")
    moved = ["return.approved", "return.declined"]
    assert AuditEntry.objects.filter(subject_id=ret.pk, action__in=moved).count() == 1
    assert OutboxEvent.objects.filter(subject_id=ret.pk, topic__in=moved).count() == 1
