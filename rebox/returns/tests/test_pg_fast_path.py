"""The portal's path on PostgreSQL (`pg_snapshot`, `pg_create`) answers and writes exactly
what the ORM path does, in 1 statement for the eligibility and 2 (plus BEGIN/COMMIT) for a
return."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rebox.core.models import AuditEntry, IdempotencyRecord, OutboxEvent
from rebox.policies.models import StoredPolicyVersion
from rebox.policies.services import policy_seed, reasons_seed
from rebox.returns import pg_create, pg_snapshot
from rebox.returns.models import Return, ReturnLine
from rebox.returns.tests.helpers import delivered_order, return_body
from rebox.testing import api_client_for, make_location, make_store, run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db, pytest.mark.usefixtures("seeded")]


@pytest.fixture
def seeded(store):
    """A store past its first request: policy and reasons seeded (else the ORM path seeds them)."""
    policy_seed(store=store)
    reasons_seed(store=store)


@pytest.fixture
def fast_writes(monkeypatch):
    """How many returns the fast path wrote."""
    written = []
    write = pg_create._write

    def counting(**kwargs):
        answer = write(**kwargs)
        written.append(answer[0])
        return answer

    monkeypatch.setattr(pg_create, "_write", counting)
    return written


@pytest.fixture
def orm_path(monkeypatch):
    """Within the block, the API answers through the ORM path."""
    class Switch:
        def __enter__(self):
            monkeypatch.setattr(pg_snapshot, "supported", lambda: False)

        def __exit__(self, *exc):
            monkeypatch.undo()

    return Switch()


def _auto_approving(store):
    version = StoredPolicyVersion.objects.get(store=store, status="published")
    StoredPolicyVersion.objects.filter(pk=version.pk).update(
        default_rule={**version.default_rule, "auto_approve_below_minor": 100_000})


def _return_rows(number):
    ret = Return.objects.get(number=number)
    skip = {"id", "number", "order", "created_at", "status_changed_at", "respond_by", "send_by"}
    row = {f.name: getattr(ret, f.attname) for f in Return._meta.concrete_fields if f.name not in skip}
    row["send_by"] = ret.send_by is not None
    lines = [{f.name: getattr(line, f.attname) for f in ReturnLine._meta.concrete_fields
              if f.name not in {"id", "ret", "order_line"}} for line in ret.lines.order_by("pk")]
    audit = [(a.actor_type, a.actor_label, a.action, a.why, sorted(a.details))
             for a in AuditEntry.objects.filter(subject_type="return", subject_id=ret.pk)
             .order_by("at", "id")]
    events = [(e.topic, e.processed_at is None, sorted(e.payload))
              for e in OutboxEvent.objects.filter(subject_type="return", subject_id=ret.pk)
              .order_by("created_at", "topic")]
    return row, lines, audit, events


def _without_ids(reply):
    return {**reply, "number": "-", "order": "-", "created_at": "-",
            "lines": [{**line, "id": "-", "order_line_id": "-"} for line in reply["lines"]]}


@pytest.mark.parametrize("auto", [False, True], ids=["waiting", "auto-approved"])
def test_the_fast_path_writes_the_rows_and_reply_of_the_orm_path(api, store, orm_path, auto,
                                                                  fast_writes):
    if auto:
        _auto_approving(store)
    fast_lines = delivered_order(api, store, number="F1")
    orm_lines = delivered_order(api, store, number="O1")
    fast = api.post("/returns", return_body("F1", (fast_lines["TEE"], 2), (fast_lines["MUG"], 1),
                                            reason="too_small"), idempotency_key="k-fast")
    with orm_path:
        orm = api.post("/returns", return_body("O1", (orm_lines["TEE"], 2), (orm_lines["MUG"], 1),
                                               reason="too_small"), idempotency_key="k-orm")

    assert fast.status_code == orm.status_code == 201
    assert fast_writes == [True]
    assert fast.json()["status"] == ("approved" if auto else "requested")
    assert _without_ids(fast.json()) == _without_ids(orm.json())
    assert fast.json() == api.get(f"/returns/{fast.json()['number']}").json()
    assert _return_rows(fast.json()["number"]) == _return_rows(orm.json()["number"])
    stored = IdempotencyRecord.objects.get(store=store, key="k-fast")
    assert (stored.scope, stored.response_status) == ("returns.create", 201)
    assert stored.response_body == fast.json()


def test_the_eligibility_answer_is_the_orm_paths_for_every_reason_and_language(api, store, orm_path):
    delivered_order(api, store, number="E1")
    asked = [{}, {"reason": "defective"}, {"reason": "too_small", "language": "he"}, {"language": "da"},
             {"reason": "no-such-reason"}, {"language": "xx"}]
    fast = [api.get("/orders/E1/eligibility", **params) for params in asked]
    missing = api.get("/orders/NOPE/eligibility")
    with orm_path:
        orm = [api.get("/orders/E1/eligibility", **params) for params in asked]
        orm_missing = api.get("/orders/NOPE/eligibility")

    assert [(r.status_code, r.json()) for r in fast] == [(r.status_code, r.json()) for r in orm]
    assert fast[0].json()["lines"][0]["eligible"] is True
    assert (missing.status_code, missing.json()) == (orm_missing.status_code, orm_missing.json()) == (
        404, missing.json())


def test_refused_requests_get_the_orm_paths_field_errors_and_write_nothing(api, store, orm_path):
    lines = delivered_order(api, store, number="B1", tee=1)
    other = delivered_order(api, store, number="B2")
    bodies = [
        return_body("B1", (lines["TEE"], 2)),  # more than delivered
        return_body("B1", (lines["TEE"], 1), (lines["TEE"], 1)),  # the same unit twice
        return_body("B1", (other["TEE"], 1)),  # another order's line
        return_body("B1", (lines["TEE"], 1), reason="bored"),  # no such reason
        return_body("B1", (lines["TEE"], 1), resolution="cash", method="pigeon"),
        {**return_body("B1", (lines["TEE"], 1), method="mail_label"), "pickup_date": "2030-01-01"},
        return_body("B1"),  # no lines
        return_body("NOPE", (lines["TEE"], 1)),
    ]
    fast = [api.post("/returns", body) for body in bodies]
    with orm_path:
        orm = [api.post("/returns", body) for body in bodies]

    assert [(r.status_code, r.json()) for r in fast] == [(r.status_code, r.json()) for r in orm]
    assert [r.status_code for r in fast] == [422] * 7 + [404]
    assert not Return.objects.filter(store=store).exists()
    assert not AuditEntry.objects.filter(subject_type="return").exists()


def test_units_already_returned_cannot_be_returned_again(api, store, fast_writes):
    lines = delivered_order(api, store, number="T1", tee=2)
    assert api.post("/returns", return_body("T1", (lines["TEE"], 1))).status_code == 201

    again = api.post("/returns", return_body("T1", (lines["TEE"], 2)))

    assert again.status_code == 422
    assert again.json()["errors"] == [{"field": "lines[0].quantity",
                                       "message": "between 1 and 1 can still be returned"}]
    assert fast_writes == [True]


def test_a_key_replays_its_first_answer_and_refuses_another_request(api, store):
    lines = delivered_order(api, store, number="K1")
    first = api.post("/returns", return_body("K1", (lines["TEE"], 1)), idempotency_key="k")
    again = api.post("/returns", return_body("K1", (lines["TEE"], 1)), idempotency_key="k")
    other = api.post("/returns", return_body("K1", (lines["MUG"], 1)), idempotency_key="k")

    assert (first.status_code, again.status_code, other.status_code) == (201, 201, 409)
    assert again.json() == first.json()
    assert Return.objects.filter(store=store).count() == 1


def test_the_fast_path_reads_once_for_eligibility_and_twice_for_a_return(api, store):
    warm = delivered_order(api, store, number="Q0")
    lines = delivered_order(api, store, number="Q1")
    api.post("/returns", return_body("Q0", (warm["TEE"], 1)))  # statements are prepared once
    api.get("/orders/Q0/eligibility")

    with CaptureQueriesContext(connection) as eligibility:
        assert api.get("/orders/Q1/eligibility").status_code == 200
    with CaptureQueriesContext(connection) as create:
        created = api.post("/returns", return_body("Q1", (lines["TEE"], 1), (lines["MUG"], 1)),
                           idempotency_key="q")

    assert created.status_code == 201
    assert len(eligibility.captured_queries) == 1
    statements = [q["sql"].split()[0] for q in create.captured_queries
                  if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    assert statements == ["EXECUTE", "EXECUTE"]  # Django's test transaction stands for BEGIN/COMMIT


@pytest.mark.django_db(transaction=True)
def test_two_returns_racing_for_the_last_unit_on_the_fast_path_one_succeeds(fast_writes):
    store = make_store("race-fast")
    make_location(store)
    policy_seed(store=store)
    reasons_seed(store=store)
    api = api_client_for(store)
    lines = delivered_order(api, store, tee=1)
    body = return_body("R1", (lines["TEE"], 1))

    results = run_at_once([lambda key=key: api.post("/returns", body, idempotency_key=key)
                           for key in ("k1", "k2")])

    assert sorted(r.status_code for r in results) == [201, 422]
    refused = next(r for r in results if r.status_code == 422)
    assert refused.json()["errors"] == [{"field": "lines[0].quantity",
                                         "message": "between 1 and 0 can still be returned"}]
    assert Return.objects.filter(store=store).count() == 1
    assert True in fast_writes


def test_the_fast_path_works_without_prepared_statements(api, store, settings, fast_writes):
    settings.REBOX_DB_PREPARED_STATEMENTS = False  # behind PgBouncer in transaction mode
    lines = delivered_order(api, store, number="P1")

    with CaptureQueriesContext(connection) as queries:
        eligibility = api.get("/orders/P1/eligibility")
        created = api.post("/returns", return_body("P1", (lines["TEE"], 1)), idempotency_key="p")

    assert eligibility.status_code == 200 and created.status_code == 201
    assert fast_writes == [True]
    assert not any(q["sql"].startswith(("PREPARE", "EXECUTE")) for q in queries.captured_queries)
