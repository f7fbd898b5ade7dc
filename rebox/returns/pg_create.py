"""POST /api/v1/returns on PostgreSQL in two statements: the portal's write path under load.

The ORM path (`run_idempotent` around `return_request_create`, then `return_get` for the
reply) costs ~27 statements. Here, in one transaction:

1. `pg_snapshot.order_snapshot(for_create=True)`: the order row locked (as the ORM path
   locks it, so two requests cannot both take the last unit), its lines, the governing
   policy, what was delivered and what earlier returns took, the store's reasons, the
   Idempotency-Key's stored answer, and ids for every row to write (so the reply, line ids
   included, is known before writing and stored with everything else);
2. the checks of the ORM path, by the same code (`lines_check`, `request_errors`): the same
   field errors in the same order;
3. one data-modifying statement writing the return (approved at once when every line is
   auto-approvable, with both steps audited and published, as `return_transition` would),
   its lines, the audit entries, the outbox events and the idempotency record. It counts
   the units earlier returns hold again, under its own snapshot: when the first statement
   waited for the order's lock, what it read of them may be older than the lock. When
   the units are gone meanwhile, nothing is written and the checks run again on fresh
   counts (a 422 naming what is left, as the ORM path would answer).

Rows are built from model instances (`Model(...)`, each field's `pre_save`), so a column
added to one of these tables with a default is written here too; a test holds the rows
equal to the ORM path's (rebox/returns/tests/test_pg_fast_path.py).
Gift returns and exchanges (more reads: the gift code, variants, stock) take the ORM path.
"""

import json
import uuid
from datetime import date, datetime, timedelta

from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from rebox.core.actors import Actor
from rebox.core.errors import NotFound, ValidationFailed
from rebox.core.idempotency import check_key, replay, request_fingerprint
from rebox.core.ids import random_code
from rebox.core.models import AuditEntry, IdempotencyRecord, OutboxEvent, Store
from rebox.core.outbox import outbox_deliver_after_commit
from rebox.orders.pg import Statement
from rebox.returns import pg_snapshot
from rebox.returns.models import Channel, Return, ReturnLine
from rebox.returns.states import RELEASED, ReturnStatus

SCOPE = "returns.create"
AUTO_APPROVED = "the policy approves these lines automatically"


def handles(*, gift_code: str | None, lines) -> bool:
    """Whether this request can take the fast path (else: the ORM path answers)."""
    return (pg_snapshot.supported() and gift_code is None
            and not any(line.exchange_variant_id for line in lines))


# $1 units asked per order line [{order_line_id, quantity, returnable}], $2 released
# statuses, $3 the return, $4 its lines, $5 audit entries, $6 outbox events,
# $7 idempotency records (none or one); rows as JSON objects column -> value.
_WRITE = Statement("rebox_return_create_write", """
WITH
asked AS (
  SELECT * FROM jsonb_to_recordset($1) AS a(order_line_id bigint, quantity integer,
                                             returnable integer)),
short AS (
  SELECT a.order_line_id FROM asked a
  WHERE a.quantity + COALESCE((SELECT sum(rl.quantity) FROM returns_returnline rl
                                 JOIN returns_return r ON r.id = rl.ret_id
                               WHERE rl.order_line_id = a.order_line_id
                                 AND r.status <> ALL ($2)), 0) > a.returnable),
new_return AS (
  INSERT INTO returns_return
  SELECT * FROM jsonb_populate_record(NULL::returns_return, $3)
  WHERE NOT EXISTS (SELECT 1 FROM short)
  ON CONFLICT (store_id, number) DO NOTHING
  RETURNING id),
new_lines AS (
  INSERT INTO returns_returnline
  SELECT r.* FROM jsonb_populate_recordset(NULL::returns_returnline, $4) r
  WHERE EXISTS (SELECT 1 FROM new_return)),
audit AS (
  INSERT INTO core_auditentry
  SELECT r.* FROM jsonb_populate_recordset(NULL::core_auditentry, $5) r
  WHERE EXISTS (SELECT 1 FROM new_return)),
outbox AS (
  INSERT INTO core_outboxevent
  SELECT r.* FROM jsonb_populate_recordset(NULL::core_outboxevent, $6) r
  WHERE EXISTS (SELECT 1 FROM new_return)),
idempotency AS (
  INSERT INTO core_idempotencyrecord
  SELECT r.* FROM jsonb_populate_recordset(NULL::core_idempotencyrecord, $7) r
  WHERE EXISTS (SELECT 1 FROM new_return))
SELECT EXISTS (SELECT 1 FROM short), EXISTS (SELECT 1 FROM new_return)
""", ("jsonb", "text[]", "jsonb", "jsonb", "jsonb", "jsonb", "jsonb"))


class _OrmPath(Exception):
    """The snapshot lacks what the ORM path would seed: roll back and let it answer."""


def _column_value(field: models.Field, instance: models.Model):
    value = field.pre_save(instance, True)
    if isinstance(field, models.JSONField) or value is None:
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return field.get_db_prep_save(value, connection)


def row(instance: models.Model) -> dict:
    """Every column of ``instance`` as PostgreSQL's JSON row functions read it."""
    return {f.column: _column_value(f, instance) for f in instance._meta.concrete_fields}


def return_create_fast(*, store: Store, number: str, lines, resolution: str, method: str,
                       pickup_date: date | None, actor: Actor, key: str | None, body,
                       ) -> tuple[int, dict] | None:
    """Create a return as the API's ORM path would: (status, reply); None when the ORM path
    must answer instead (nothing was written). ``body`` gives the request body whose
    fingerprint guards the key (asked only with one)."""
    if key is not None:
        check_key(key)
    fingerprint = request_fingerprint(SCOPE, body()) if key is not None else ""
    try:
        with transaction.atomic():
            return _create(store=store, number=number, lines=lines, resolution=resolution,
                           method=method, pickup_date=pickup_date, actor=actor, key=key,
                           fingerprint=fingerprint)
    except _OrmPath:
        return None
    except IntegrityError:
        if key is None:
            raise
        record = IdempotencyRecord.objects.filter(store=store, key=key).first()
        if record is None:
            raise
        return replay(stored_hash=record.request_hash, status=record.response_status,
                      body=record.response_body, fingerprint=fingerprint)


def _create(*, store, number, lines, resolution, method, pickup_date, actor, key, fingerprint):
    from rebox.returns.services import lines_check, request_errors

    snapshot = pg_snapshot.order_snapshot(store=store, number=number, for_create=True, key=key,
                                          line_count=len(lines))
    if snapshot is None:
        stored = IdempotencyRecord.objects.filter(store=store, key=key).first() if key else None
        if stored is not None:
            return replay(stored_hash=stored.request_hash, status=stored.response_status,
                          body=stored.response_body, fingerprint=fingerprint)
        raise NotFound(f"No order {number}")
    if snapshot.stored is not None:
        return replay(stored_hash=snapshot.stored.request_hash, status=snapshot.stored.status,
                      body=snapshot.stored.body, fingerprint=fingerprint)
    if not snapshot.complete:
        raise _OrmPath
    taken = snapshot.taken
    now = timezone.now()
    for _attempt in range(5):
        errors, checked = lines_check(lines=lines, resolution=resolution, method=method, gift=False,
                                      reasons=snapshot.reasons, policy=snapshot.policy, taken=taken,
                                      at=now)
        errors += request_errors(store=store, checked=checked, resolution=resolution, method=method,
                                 pickup_date=pickup_date)
        if errors:
            raise ValidationFailed(errors=errors)
        written, reply, events = _write(store=store, snapshot=snapshot, checked=checked,
                                        resolution=resolution, method=method,
                                        pickup_date=pickup_date, actor=actor, key=key,
                                        fingerprint=fingerprint, now=now)
        if written:
            for event_id in events:
                outbox_deliver_after_commit(event_id)
            return 201, reply
        if written is None:  # units taken meanwhile: check again on fresh counts
            from rebox.returns.services import quantities_taken

            taken = quantities_taken(order=snapshot.order)
    raise RuntimeError("no free return number after 5 tries")


def _write(*, store, snapshot, checked, resolution, method, pickup_date, actor, key, fingerprint,
           now) -> tuple[bool | None, dict, list]:
    """(True, reply, outbox event ids) when written; (None, ...) when the units were taken
    meanwhile; (False, ...) when the return number was taken."""
    order = snapshot.order
    auto = all(answer.decision.auto_approvable for _line, answer, _reason in checked)
    # approved right after being requested: the timeline and the outbox keep the two apart
    approved_at = now + timedelta(microseconds=1)
    unit_paid = {line.order_line_id: answer.line.total_minor // answer.line.quantity
                 for line, answer, _r in checked}
    ret = Return(
        id=snapshot.return_id, store_id=store.pk, number=random_code(10), order_id=order.pk,
        status=ReturnStatus.APPROVED if auto else ReturnStatus.REQUESTED, resolution=resolution,
        method=method, email=order.email, policy_version=snapshot.policy.version_number,
        channel=Channel.API, language=order.language, currency=order.currency, gift=False,
        withdrawal=False, quote={}, pickup_date=pickup_date,
        store_fault=any(reason.store_fault for _line, _answer, reason in checked),
        value_minor=sum(unit_paid[line.order_line_id] * line.quantity for line, _a, _r in checked),
        respond_by=now + timedelta(hours=store.return_response_hours),
        status_changed_at=approved_at if auto else now,
        send_by=approved_at + timedelta(days=store.return_send_days) if auto else None)
    ret_row = row(ret)
    ret_row["created_at"] = now.isoformat()
    return_lines = [
        ReturnLine(id=line_id, ret_id=ret.pk, order_line_id=line.order_line_id,
                   quantity=line.quantity, reason_code=reason.code, comment=line.comment,
                   basis=str(reason.basis), unit_value_minor=unit_paid[line.order_line_id],
                   exchange_variant_id=line.exchange_variant_id)
        for line_id, (line, _answer, reason) in zip(snapshot.line_ids, checked, strict=True)]
    audits = [AuditEntry(id=snapshot.audit_ids[0], store_id=store.pk, at=now, actor_type=actor.type,
                         actor_label=actor.label, action="return.requested", subject_type="return",
                         subject_id=ret.pk, why="", details={"order": order.number, "channel": "api"})]
    events = [OutboxEvent(store_id=store.pk, topic="return.requested", subject_type="return",
                          subject_id=ret.pk, created_at=now, next_attempt_at=now, payload={
                              "number": ret.number, "order": order.number, "channel": "api",
                              "language": ret.language, "gift": False, "withdrawal": False,
                              "declared_at": None})]
    if auto:
        audits.append(AuditEntry(
            id=snapshot.audit_ids[1], store_id=store.pk, at=approved_at, actor_type=actor.type,
            actor_label=actor.label, action="return.approved", subject_type="return",
            subject_id=ret.pk, why=AUTO_APPROVED, details={"from": ReturnStatus.REQUESTED}))
        events.append(OutboxEvent(
            store_id=store.pk, topic="return.approved", subject_type="return", subject_id=ret.pk,
            created_at=approved_at, next_attempt_at=approved_at,
            payload={"number": ret.number, "status": ReturnStatus.APPROVED,
                     "from": ReturnStatus.REQUESTED}))
    reply = {
        "number": ret.number, "order": order.number, "status": str(ret.status),
        "resolution": resolution, "method": method, "email": ret.email, "decline_reason": "",
        "policy_version": ret.policy_version, "created_at": now.isoformat(),
        "lines": [{"id": rl.pk, "order_line_id": rl.order_line_id,
                   "sku": answer.line.sku, "quantity": rl.quantity, "reason": rl.reason_code,
                   "comment": rl.comment, "basis": rl.basis, "reception": rl.reception,
                   "acceptance": rl.acceptance, "quantity_received": rl.quantity_received}
                  for rl, (_line, answer, _reason) in zip(return_lines, checked, strict=True)],
    }
    records = []
    if key is not None:
        record = IdempotencyRecord(id=snapshot.idempotency_id, store_id=store.pk, key=key,
                                   scope=SCOPE, request_hash=fingerprint, response_status=201,
                                   response_body=reply)
        records.append({**row(record), "created_at": now.isoformat()})
    asked: dict[int, dict] = {}
    for line, answer, _reason in checked:
        entry = asked.setdefault(line.order_line_id, {
            "order_line_id": line.order_line_id, "quantity": 0,
            "returnable": answer.returnable_quantity})
        entry["quantity"] += line.quantity
    with connection.cursor() as cursor:
        _WRITE.execute(cursor, [
            json.dumps(list(asked.values())), sorted(RELEASED), json.dumps(ret_row),
            json.dumps([row(rl) for rl in return_lines]), json.dumps([row(a) for a in audits]),
            json.dumps([row(e) for e in events]), json.dumps(records)])
        short, inserted = cursor.fetchone()
    if short:
        return None, reply, []
    return inserted, reply, [e.pk for e in events]
