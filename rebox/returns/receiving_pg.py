"""The receiving API's hot path on PostgreSQL: scan, complete and inspect in a few prepared
statements instead of ~15-27 ORM queries each.

Only the common case is done here, and each function answers ``None`` (before writing
anything) when its case is not the common one; the caller then runs the ORM services of
`rebox.returns.receiving` and `rebox.returns.inspection`, which hold every rule. So:

- a scan that counts a unit on an open line is one statement: it locks the return row
  (``FOR UPDATE``, only while the return can be received), counts the unit on the first
  open line whose SKU or barcode matches (the UPDATE re-checks ``quantity_received <
  quantity`` on the newest row version, so two scanners never count past the announced
  quantity), creates the unit and writes the audit entry. A wrong item, an extra one, an
  unknown code, a return not found or not receivable: no row, and the ORM path decides
  (and raises or records the exception), in the same transaction;
- completing a parcel whose every line arrived whole is the lock plus `return_transition`;
  a short or empty parcel goes to `receiving_complete`. A scan asked to complete the
  parcel when it is whole does the same after its count, without the lock's statement;
- inspecting a unit is one read that also locks the return, one write (unit, audit,
  outbox), and for the last unit the lines' acceptance and `return_transition`.
  A store without checklists yet (they are seeded by the ORM path), or a unit not on
  this return: the ORM path.

Status changes still go through `return_transition`, the one owner of transitions.
The answer (`receiving_read`) is one statement too. Rows written here equal the ORM
path's: rebox/returns/tests/test_receiving_pg.py compares them, field by field.
"""

import json
import uuid
from datetime import datetime

from django.db import connection
from django.utils import timezone

from rebox.core.actors import Actor
from rebox.core.errors import Conflict, ValidationFailed
from rebox.core.models import Store
from rebox.core.outbox import outbox_deliver_after_commit
from rebox.orders.pg import Statement
from rebox.returns.inspection import _inspection_errors, line_acceptance, reason_mismatch
from rebox.returns.models import Acceptance, Return
from rebox.returns.receiving import AUTO_COMPLETED, RECEIVABLE, _label_candidates
from rebox.returns.services import return_transition
from rebox.returns.states import ReturnStatus

_RECEIVABLE = sorted(str(s) for s in RECEIVABLE)


def supported() -> bool:
    return connection.vendor == "postgresql"


# Returns are found by label through (store, number), materialized: with ``ORDER BY id LIMIT 1``
# the generic plan of a prepared statement walks the primary key instead.
# $1 store, $2 label candidates, $3 receivable statuses, $4 scanned code upper-cased,
# $5 scanned code as typed, $6 now, $7 actor type, $8 actor label
_COUNT = Statement("rebox_receiving_count", """
WITH labelled AS MATERIALIZED (
  SELECT id FROM returns_return WHERE store_id = $1 AND number = ANY($2)),
ret AS (
  SELECT r.id, r.status FROM returns_return r
  WHERE r.id = (SELECT min(id) FROM labelled) AND r.status = ANY($3)
  FOR UPDATE),
line AS (
  SELECT l.id, ol.sku FROM returns_returnline l
  JOIN orders_orderline ol ON ol.id = l.order_line_id
  LEFT JOIN catalog_variant v ON v.id = ol.variant_id
  WHERE l.ret_id = (SELECT id FROM ret) AND l.quantity_received < l.quantity
    AND $4 IN (upper(ol.sku), upper(v.barcode), upper(v.sku))
  ORDER BY l.id LIMIT 1),
counted AS (
  UPDATE returns_returnline l
  SET quantity_received = l.quantity_received + 1,
      reception = CASE WHEN l.reception = 'awaiting' THEN 'received' ELSE l.reception END
  FROM line WHERE l.id = line.id AND l.quantity_received < l.quantity
  RETURNING l.id, l.ret_id, l.quantity_received, l.quantity, line.sku),
unit AS (
  INSERT INTO returns_returnunit (line_id, index, grade, acceptance, rejection_reason,
    deduction_percent, checklist, notes, serial_number, mismatch, inspected_by, inspected_at,
    disposition, location_id, value_recovered_minor, disposed_by, disposed_at)
  SELECT id, quantity_received, '', 'pending', '', 0, '{}', '', '', '', '', NULL, '', NULL, 0,
    '', NULL FROM counted
  RETURNING id, line_id),
audit AS (
  INSERT INTO core_auditentry (store_id, at, actor_type, actor_label, action, subject_type,
    subject_id, why, details)
  SELECT $1, $6, $7, $8, 'return.unit_received', 'return', c.ret_id, '',
    jsonb_build_object('line', c.id, 'unit', u.id, 'barcode', $5, 'received', c.quantity_received)
  FROM counted c JOIN unit u ON u.line_id = c.id)
SELECT c.ret_id, c.quantity_received, c.quantity, c.sku, (SELECT status FROM ret),
  c.quantity_received >= c.quantity AND NOT EXISTS (
    SELECT 1 FROM returns_returnline o
    WHERE o.ret_id = c.ret_id AND o.id <> c.id AND o.quantity_received < o.quantity)
FROM counted c
""", ("bigint", "text[]", "text[]", "text", "text", "timestamptz", "text", "text"))

# $1 return: are all its lines whole? Read after the count, in a snapshot of its own, for
# the case where the count's snapshot predates another line's count committed meanwhile.
_WHOLE = Statement("rebox_receiving_whole", """
SELECT bool_and(quantity_received >= quantity) FROM returns_returnline WHERE ret_id = $1
""", ("bigint",))

# $1 store, $2 label candidates, $3 receivable statuses: the return, locked, and its lines.
# The lines are read in this statement's snapshot, which may predate a scan committed while
# it waited for the lock; units are only ever added, so lines seen whole are whole.
_LOCK_LINES = Statement("rebox_receiving_lock_lines", """
WITH labelled AS MATERIALIZED (
  SELECT id FROM returns_return WHERE store_id = $1 AND number = ANY($2))
SELECT r.id, r.status,
  (SELECT json_agg(json_build_array(l.quantity, l.quantity_received))
     FROM returns_returnline l WHERE l.ret_id = r.id)
FROM returns_return r
WHERE r.id = (SELECT min(id) FROM labelled) AND r.status = ANY($3)
FOR UPDATE OF r
""", ("bigint", "text[]", "text[]"))

# $1 store, $2 label candidates, $3 unit: the return (locked), the unit's line and the
# checklist for the line's category (its snapshot's category, else the product's), else
# the store default.
_INSPECT_LOOKUP = Statement("rebox_receiving_inspect_lookup", """
SELECT r.id, r.number, r.status, u.line_id, l.reason_code, l.basis, ol.sku,
  EXISTS (SELECT 1 FROM returns_inspectionchecklist WHERE store_id = $1),
  COALESCE(
    (SELECT ic.items FROM returns_inspectionchecklist ic
      WHERE ic.store_id = $1 AND ic.category_id = COALESCE(
        (SELECT c.id FROM catalog_category c
          WHERE ol.category_slug <> '' AND c.store_id = ol.store_id AND c.slug = ol.category_slug
          ORDER BY c.id LIMIT 1),
        (SELECT p.category_id FROM catalog_variant v JOIN catalog_product p ON p.id = v.product_id
          WHERE v.id = ol.variant_id))
      ORDER BY ic.id LIMIT 1),
    (SELECT ic.items FROM returns_inspectionchecklist ic
      WHERE ic.store_id = $1 AND ic.category_id IS NULL ORDER BY ic.id LIMIT 1))::json
FROM returns_return r
JOIN returns_returnline l ON l.ret_id = r.id
JOIN returns_returnunit u ON u.line_id = l.id AND u.id = $3
JOIN orders_orderline ol ON ol.id = l.order_line_id
WHERE r.store_id = $1 AND r.number = ANY($2)
ORDER BY r.id LIMIT 1
FOR UPDATE OF r
""", ("bigint", "text[]", "bigint"))

# $1 unit, $2 grade, $3 acceptance, $4 checklist, $5 rejection reason, $6 deduction, $7 notes,
# $8 serial, $9 mismatch, $10 inspected by, $11 now, $12 store, $13 return, $14 actor type,
# $15 audit why, $16 audit details, $17 event id, $18 event payload.
# Answers every unit of the return as it is after this write: line, acceptance, inspected.
_INSPECT_WRITE = Statement("rebox_receiving_inspect_write", """
WITH unit AS (
  UPDATE returns_returnunit SET grade = $2, acceptance = $3, checklist = $4,
    rejection_reason = $5, deduction_percent = $6, notes = $7, serial_number = $8,
    mismatch = $9, inspected_by = $10, inspected_at = $11
  WHERE id = $1
  RETURNING id),
audit AS (
  INSERT INTO core_auditentry (store_id, at, actor_type, actor_label, action, subject_type,
    subject_id, why, details)
  SELECT $12, $11, $14, $10, 'return.unit_inspected', 'return', $13, $15, $16 FROM unit),
outbox AS (
  INSERT INTO core_outboxevent (id, store_id, topic, subject_type, subject_id, payload,
    created_at, processed_at, attempts, next_attempt_at, last_error)
  SELECT $17, $12, 'return.unit_inspected', 'return', $13, $18, $11, NULL, 0, $11, '' FROM unit)
SELECT u.line_id, CASE WHEN u.id = $1 THEN $3 ELSE u.acceptance END,
  u.id = $1 OR u.inspected_at IS NOT NULL
FROM returns_returnunit u JOIN returns_returnline l ON l.id = u.line_id
WHERE l.ret_id = $13
ORDER BY u.line_id, u.index
""", ("bigint", "text", "text", "jsonb", "text", "smallint", "text", "text", "text", "text",
      "timestamptz", "bigint", "bigint", "text", "text", "jsonb", "uuid", "jsonb"))

_LINES_ACCEPT = Statement("rebox_receiving_lines_accept", """
UPDATE returns_returnline l SET acceptance = s.acceptance
FROM unnest($1, $2) AS s(id, acceptance) WHERE l.id = s.id
""", ("bigint[]", "text[]"))

# $1 return: the parcel as the warehouse sees it (the API's answer).
_READ = Statement("rebox_receiving_read", """
SELECT r.number, r.status, r.currency,
  (SELECT json_agg(json_build_array(l.id, ol.sku, ol.title, COALESCE(v.barcode, ''), l.quantity,
      l.quantity_received, l.reason_code, l.reception, l.acceptance,
      (SELECT json_agg(json_build_array(u.id, u.index, u.grade, u.acceptance, u.rejection_reason,
          u.deduction_percent, u.checklist, u.notes, u.serial_number, u.mismatch,
          u.inspected_at IS NOT NULL, u.disposition, loc.code, u.value_recovered_minor)
          ORDER BY u.index, u.id)
         FROM returns_returnunit u LEFT JOIN inventory_location loc ON loc.id = u.location_id
         WHERE u.line_id = l.id)) ORDER BY l.id)
     FROM returns_returnline l JOIN orders_orderline ol ON ol.id = l.order_line_id
     LEFT JOIN catalog_variant v ON v.id = ol.variant_id
     WHERE l.ret_id = r.id),
  (SELECT json_agg(json_build_array(e.kind, e.line_id, e.quantity, e.barcode, e.note,
      e.recorded_by, e.created_at) ORDER BY e.id)
     FROM returns_receivingexception e WHERE e.ret_id = r.id)
FROM returns_return r WHERE r.id = $1
""", ("bigint",))

_UNIT_FIELDS = ("id", "index", "grade", "acceptance", "rejection_reason", "deduction_percent",
                "checklist", "notes", "serial_number", "mismatch", "inspected", "disposition",
                "location", "value_recovered_minor")


def _one(statement: Statement, params: list):
    with connection.cursor() as cursor:
        statement.execute(cursor, params)
        return cursor.fetchone()


def receiving_read(ret_id: int, scan: dict | None = None) -> dict:
    """The API's answer for a parcel: the same dict as `rebox.api.receiving.receiving_detail`."""
    number, status, currency, lines, exceptions = _one(_READ, [ret_id])
    return {
        "number": number, "status": status, "currency": currency,
        "lines": [{"id": line_id, "sku": sku, "title": title, "barcode": barcode, "quantity": quantity,
                   "quantity_received": received, "reason": reason, "reception": reception,
                   "acceptance": acceptance, "units": [dict(zip(_UNIT_FIELDS, u, strict=True))
                                                       for u in units or ()]}
                  for (line_id, sku, title, barcode, quantity, received, reason, reception, acceptance,
                       units) in lines or ()],
        "exceptions": [{"kind": kind, "line_id": line_id, "quantity": quantity, "barcode": barcode,
                        "note": note, "recorded_by": by, "at": datetime.fromisoformat(at).isoformat()}
                       for kind, line_id, quantity, barcode, note, by, at in exceptions or ()],
        "scan": scan,
    }


def scan_count(*, store: Store, code: str, barcode: str, actor: Actor,
               complete_when_whole: bool = False) -> tuple[int, str] | None:
    """Count one scanned unit on an open line of the receivable return labelled ``code``:
    (return id, message), or None when this scan is not simply counted (nothing written).
    With ``complete_when_whole``, the count that makes every line whole completes receiving,
    as `rebox.returns.receiving.receiving_scan` does."""
    scanned = (barcode or "").strip()
    candidates = _label_candidates(code)
    if not scanned or not candidates:
        return None
    row = _one(_COUNT, [store.pk, candidates, _RECEIVABLE, scanned.upper(), scanned, timezone.now(),
                        str(actor.type), actor.label])
    if row is None:
        return None
    ret_id, received, quantity, sku, status, whole = row
    if complete_when_whole and (whole or _one(_WHOLE, [ret_id])[0]):
        _receive(store, ret_id, status, actor, why=AUTO_COMPLETED)
    return ret_id, f"{sku}: {received} of {quantity}"


def complete_whole(*, store: Store, code: str, actor: Actor, why: str = "") -> int | None:
    """Complete a receivable parcel of which every line arrived whole: the return moves to
    ``received`` (through ``in_transit`` for a drop-off) as `receiving_complete` moves it.
    The return id, or None (nothing done, the lock kept) for any other parcel."""
    candidates = _label_candidates(code)
    if not candidates:
        return None
    row = _one(_LOCK_LINES, [store.pk, candidates, _RECEIVABLE])
    if row is None:
        return None
    ret_id, status, lines = row
    if not lines or any(received < quantity for quantity, received in lines):
        return None
    units = sum(received for _, received in lines)
    _receive(store, ret_id, status, actor,
             why=why or f"{units} of {sum(q for q, _ in lines)} units received; "
                        "held for inspection, nothing refunded yet")
    return ret_id


def _receive(store: Store, ret_id: int, status: str, actor: Actor, *, why: str) -> None:
    ret = Return(pk=ret_id, store_id=store.pk)  # return_transition locks and reads it by pk
    if status == ReturnStatus.APPROVED:
        return_transition(ret=ret, to=ReturnStatus.IN_TRANSIT, actor=actor,
                          why="handed in at the warehouse without a carrier scan (drop-off)")
    return_transition(ret=ret, to=ReturnStatus.RECEIVED, actor=actor, why=why)


def inspect_unit(*, store: Store, code: str, unit_id: int, grade: str, acceptance: str, actor: Actor,
                 checklist: dict[str, bool] | None = None, rejection_reason: str = "",
                 deduction_percent: int | None = None, notes: str = "",
                 serial_number: str = "") -> int | None:
    """`unit_inspect` for a unit of the store's return labelled ``code``: the return id, or
    None (nothing written) when the ORM path must decide (no such unit, no checklists yet)."""
    candidates = _label_candidates(code)
    if not candidates:
        return None
    row = _one(_INSPECT_LOOKUP, [store.pk, candidates, unit_id])
    if row is None or not row[7]:
        return None
    ret_id, number, status, line_id, reason_code, basis, sku, _, items = row
    checklist = dict(checklist or {})
    codes = {item["code"] for item in items or ()}
    errors = _inspection_errors(codes=codes, grade=grade, acceptance=acceptance,
                                rejection_reason=rejection_reason, deduction_percent=deduction_percent,
                                checklist=checklist)
    if errors:
        raise ValidationFailed(errors=errors)
    if status != ReturnStatus.RECEIVED:
        raise Conflict(f"Return {number} is {status}; units are inspected once it is received")
    found = {c: bool(checklist.get(c, False)) for c in sorted(codes)}
    rejection = rejection_reason.strip() if acceptance == Acceptance.REJECTED else ""
    deduction = deduction_percent if acceptance == Acceptance.PARTLY else 0
    mismatch = reason_mismatch(reason_code=reason_code, basis=basis, grade=grade, checklist=found, sku=sku)
    event_id = uuid.uuid4()
    with connection.cursor() as cursor:
        _INSPECT_WRITE.execute(cursor, [
            unit_id, grade, acceptance, json.dumps(found), rejection, deduction, notes.strip(),
            serial_number.strip(), mismatch, actor.label, timezone.now(), store.pk, ret_id,
            str(actor.type), rejection or mismatch,
            json.dumps({"unit": unit_id, "line": line_id, "grade": grade, "acceptance": acceptance,
                        "deduction_percent": deduction, "mismatch": bool(mismatch)}),
            event_id,
            json.dumps({"number": number, "unit": unit_id, "grade": grade, "acceptance": acceptance,
                        "mismatch": mismatch})])
        units = cursor.fetchall()
    outbox_deliver_after_commit(event_id)
    if all(inspected for _, _, inspected in units):
        _finish(store, ret_id, units, actor)
    return ret_id


def _finish(store: Store, ret_id: int, units: list, actor: Actor) -> None:
    """Every received unit is inspected: settle each line's acceptance, the return is inspected
    (as `rebox.returns.inspection._finish_if_all_inspected` does)."""
    per_line: dict[int, list[str]] = {}
    for line_id, acceptance, _ in units:
        per_line.setdefault(line_id, []).append(acceptance)
    with connection.cursor() as cursor:
        _LINES_ACCEPT.execute(cursor, [list(per_line), [line_acceptance(a) for a in per_line.values()]])
    count = {a: sum(1 for _, x, _ in units if x == a) for a in Acceptance.values}
    return_transition(ret=Return(pk=ret_id, store_id=store.pk), to=ReturnStatus.INSPECTED, actor=actor,
                      why=f"every received unit inspected: {count[Acceptance.ACCEPTED]} accepted, "
                          f"{count[Acceptance.REJECTED]} rejected, "
                          f"{count[Acceptance.PARTLY]} partly accepted")
