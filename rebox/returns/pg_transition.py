"""`return_transition` on PostgreSQL in one prepared statement instead of ~6 ORM queries.

The statement locks the return (``FOR UPDATE``), checks its current status against the
allowed predecessors of the target (from TRANSITIONS, passed in), updates status,
status_changed_at, send_by (approved: now + the store's ``return_send_days`` unless given)
and the other handled fields, inserts the audit entry and the outbox event with the columns
and values `audit_record` and `outbox_publish` write, and answers the updated row plus the
previous status. No row means the move is not allowed: nothing was written, and a second
query (only on that path) reads the status the Conflict names.

Under READ COMMITTED the lock waits for a concurrent mover and then sees its committed
status, so of two conflicting moves exactly one wins. Delivery of the event is scheduled
with `outbox_deliver_after_commit`, as `outbox_publish` does.

The ORM path in `rebox.returns.services` stays for SQLite and for ``changes`` naming fields
not handled here (``HANDLED``).
"""

import uuid

from django.db import connection

from rebox.core.actors import Actor
from rebox.core.errors import Conflict
from rebox.core.outbox import outbox_deliver_after_commit
from rebox.orders.pg import Statement
from rebox.returns.models import Return
from rebox.returns.states import TRANSITIONS, ReturnStatus

HANDLED = frozenset({"send_by", "decline_reason"})

_FIELDS = Return._meta.concrete_fields
_COLUMNS = ", ".join(f"r.{f.column}" for f in _FIELDS)
_ATTNAMES = [f.attname for f in _FIELDS]
_CONVERT = [(i, f) for i, f in enumerate(_FIELDS) if hasattr(f, "from_db_value")]

# $1 return, $2 target status, $3 allowed predecessors, $4 now, $5 send_by given,
# $6 send_by value, $7 default send_by (approved), $8 decline_reason given, $9 its value,
# $10 actor type, $11 actor label, $12 why, $13 event id
_MOVE = Statement("rebox_return_transition", f"""
WITH cur AS (
  SELECT r.id, r.status, s.return_send_days FROM returns_return r
  JOIN core_store s ON s.id = r.store_id
  WHERE r.id = $1
  FOR UPDATE OF r),
moved AS (
  UPDATE returns_return r SET status = $2, status_changed_at = $4,
    send_by = CASE WHEN $5 THEN $6
                   WHEN $7 THEN $4 + cur.return_send_days * interval '24 hours'
                   ELSE r.send_by END,
    decline_reason = CASE WHEN $8 THEN $9 ELSE r.decline_reason END
  FROM cur WHERE r.id = cur.id AND cur.status = ANY($3)
  RETURNING {_COLUMNS}, cur.status AS previous),
audit AS (
  INSERT INTO core_auditentry (store_id, at, actor_type, actor_label, action, subject_type,
    subject_id, why, details)
  SELECT store_id, $4, $10, $11, 'return.' || $2, 'return', id, $12,
    jsonb_build_object('from', previous)
  FROM moved),
outbox AS (
  INSERT INTO core_outboxevent (id, store_id, topic, subject_type, subject_id, payload,
    created_at, processed_at, attempts, next_attempt_at, last_error)
  SELECT $13, store_id, 'return.' || $2, 'return', id,
    jsonb_build_object('number', number, 'status', $2, 'from', previous), $4, NULL, 0, $4, ''
  FROM moved)
SELECT * FROM moved
""", ("bigint", "text", "text[]", "timestamptz", "boolean", "timestamptz", "boolean", "boolean",
      "text", "text", "text", "text", "uuid"))


def supported(changes: dict) -> bool:
    return connection.vendor == "postgresql" and set(changes) <= HANDLED


def predecessors(to: str) -> list[str]:
    """The statuses a return may be in to move to ``to`` (TRANSITIONS read backwards)."""
    return sorted(str(s) for s, targets in TRANSITIONS.items() if to in targets)


def return_transition_pg(*, ret: Return, to: str, actor: Actor, why: str, changes: dict, now) -> Return:
    to = str(to)
    event_id = uuid.uuid4()
    with connection.cursor() as cursor:
        _MOVE.execute(cursor, [
            ret.pk, to, predecessors(to), now,
            "send_by" in changes, changes.get("send_by"), to == ReturnStatus.APPROVED,
            "decline_reason" in changes, changes.get("decline_reason"),
            str(actor.type), actor.label, why, event_id])
        row = cursor.fetchone()
        if row is None:
            cursor.execute("SELECT number, status FROM returns_return WHERE id = %s", [ret.pk])
            found = cursor.fetchone()
            if found is None:
                raise Return.DoesNotExist("Return matching query does not exist.")
            raise Conflict(f"Return {found[0]} is {found[1]} and cannot become {to}")
    outbox_deliver_after_commit(event_id)
    values = list(row[:-1])
    for i, field in _CONVERT:
        values[i] = field.from_db_value(values[i], None, connection)
    return Return.from_db(connection.alias, _ATTNAMES, values)
