"""The order as the return path needs it, read in one prepared statement on PostgreSQL.

The ORM path reads the same facts in 9 to 12 statements (the order with its payments and
parcels, its lines with their products, the version of the policy that governs it, what was
delivered, what earlier returns took, the store's reasons). `order_snapshot` reads them in
one: for GET /orders/{n}/eligibility, and (locking the order row, with the
Idempotency-Key's stored answer and ids for the rows to write) for POST /returns
(`rebox.returns.pg_create`). The answers are built by the same code as the ORM path's
(`OrderPolicy`, `lines_check`); `rebox/returns/tests/test_pg_fast_path.py` holds both equal.

Not handled here (the caller uses the ORM path): a store without published policy or
without reasons yet (they are seeded on first use).
"""

import json
from dataclasses import dataclass

from django.db import connection

from rebox.core.models import Store
from rebox.orders.models import Order, OrderLine
from rebox.orders.pg import Statement
from rebox.orders.states import ShipmentStatus
from rebox.policies.models import StoredPolicyVersion
from rebox.policies.selectors import OrderPolicy, decoded_version, delivered_in_full, order_facts
from rebox.policies.types import Reason
from rebox.returns.states import RELEASED


def supported() -> bool:
    return connection.vendor == "postgresql"


def _sql(*, for_create: bool) -> str:
    # $1 store, $2 order number, $3 delivered (parcel status), $4 released (return statuses);
    # for a create: $5 Idempotency-Key, $6 lines asked for (ids for return lines)
    taken = """,
          (SELECT sum(rl.quantity) FROM returns_returnline rl
             JOIN returns_return r ON r.id = rl.ret_id
           WHERE rl.order_line_id = l.id AND r.status <> ALL ($4))""" if for_create else ", NULL"
    create = """,
  (SELECT json_build_array(k.request_hash, k.response_status, k.response_body)
     FROM core_idempotencyrecord k WHERE k.store_id = $1 AND k.key = $5),
  nextval(pg_get_serial_sequence('returns_return', 'id')),
  ARRAY(SELECT nextval(pg_get_serial_sequence('returns_returnline', 'id'))
        FROM generate_series(1, $6)),
  ARRAY(SELECT nextval(pg_get_serial_sequence('core_auditentry', 'id'))
        FROM generate_series(1, 2)),
  CASE WHEN $5 IS NOT NULL
       THEN nextval(pg_get_serial_sequence('core_idempotencyrecord', 'id')) END""" \
        if for_create else ""
    return f"""
SELECT o.id, o.number, o.email, o.language, o.currency, o.placed_at, o.delivered_at,
  COALESCE(o.shipping_address ->> 'country', ''),
  (SELECT json_agg(json_build_array(l.id, l.position, l.sku, l.title, l.quantity,
          l.unit_price_minor, l.discount_minor, l.tax_minor, l.total_minor, l.category_slug,
          l.supplier_code, l.final_sale, l.policy_tags, l.variant_id, COALESCE(p.handle, ''),
          (SELECT sum(sl.quantity) FROM orders_shipmentline sl
             JOIN orders_shipment s ON s.id = sl.shipment_id
           WHERE sl.order_line_id = l.id AND s.status = $3){taken}) ORDER BY l.position)
     FROM orders_orderline l
     LEFT JOIN catalog_variant v ON v.id = l.variant_id
     LEFT JOIN catalog_product p ON p.id = v.product_id
   WHERE l.order_id = o.id),
  EXISTS (SELECT 1 FROM orders_shipment s WHERE s.order_id = o.id),
  pv.id, pv.number, pv.effective_from, pv.currency,
  (SELECT json_agg(json_build_array(rr.code, rr.store_fault, rr.is_active))
     FROM policies_returnreason rr WHERE rr.store_id = $1){create}
FROM orders_order o
LEFT JOIN LATERAL (
  (SELECT v.id, v.number, v.effective_from, v.currency FROM policies_storedpolicyversion v
    WHERE v.store_id = $1 AND v.status = 'published' AND v.effective_from <= o.placed_at
    ORDER BY v.effective_from DESC, v.number DESC LIMIT 1)
  UNION ALL
  (SELECT v.id, v.number, v.effective_from, v.currency FROM policies_storedpolicyversion v
    WHERE v.store_id = $1 AND v.status = 'published'
    ORDER BY v.effective_from ASC, v.number ASC LIMIT 1)
  LIMIT 1) pv ON true
WHERE o.store_id = $1 AND o.number = $2
{"FOR UPDATE OF o" if for_create else ""}
"""


_READ = Statement("rebox_return_order_read", _sql(for_create=False),
                  ("bigint", "text", "text", "text[]"))
_READ_FOR_CREATE = Statement("rebox_return_order_read_for_create", _sql(for_create=True),
                             ("bigint", "text", "text", "text[]", "text", "integer"))
_RULES = Statement("rebox_return_policy_rules",
                   "SELECT default_rule::text, rules::text FROM policies_storedpolicyversion "
                   "WHERE id = $1", ("bigint",))


@dataclass(frozen=True)
class Stored:
    """An Idempotency-Key's first answer."""

    request_hash: str
    status: int
    body: dict


@dataclass(frozen=True)
class OrderSnapshot:
    order: Order  # unsaved copy: the columns the return path reads
    policy: OrderPolicy | None  # None: the store has no published policy yet
    reasons: dict[str, Reason] | None  # active ones by code; None: the store has none yet
    taken: dict[int, int]  # units per line held by returns still standing (create only)
    stored: Stored | None = None  # create: the key's first answer, if any
    return_id: int = 0  # create: ids for the rows to write
    line_ids: tuple[int, ...] = ()
    audit_ids: tuple[int, ...] = ()
    idempotency_id: int | None = None

    @property
    def complete(self) -> bool:
        """False when the ORM path must answer (it seeds the policy or the reasons)."""
        return self.policy is not None and self.reasons is not None


def order_snapshot(*, store: Store, number: str, for_create: bool = False, key: str | None = None,
                   line_count: int = 0) -> OrderSnapshot | None:
    """The store's order ``number`` (None: no such order). ``for_create``: inside a
    transaction; the order row is locked until it ends."""
    params = [store.pk, number, str(ShipmentStatus.DELIVERED), sorted(RELEASED)]
    statement = _READ
    if for_create:
        params += [key, line_count]
        statement = _READ_FOR_CREATE
    with connection.cursor() as cursor:
        statement.execute(cursor, params)
        row = cursor.fetchone()
    if row is None:
        return None
    (order_id, number, email, language, currency, placed_at, delivered_at, country, lines,
     has_parcels, version_id, version_number, effective_from, version_currency, reasons) = row[:15]
    order = Order(id=order_id, store_id=store.pk, number=number, email=email, language=language,
                  currency=currency, placed_at=placed_at, delivered_at=delivered_at,
                  shipping_address={"country": country} if country else {})
    order_lines, handles, by_parcels, ordered, taken = {}, {}, {}, {}, {}
    for (line_id, position, sku, title, quantity, unit_price, discount, tax, total, category,
         supplier, final_sale, tags, variant_id, handle, delivered, held) in lines or ():
        order_lines[line_id] = OrderLine(
            id=line_id, store_id=store.pk, order=order, position=position, variant_id=variant_id,
            sku=sku, title=title, quantity=quantity, unit_price_minor=unit_price,
            discount_minor=discount, tax_minor=tax, total_minor=total, category_slug=category,
            supplier_code=supplier, final_sale=final_sale, policy_tags=tags)
        handles[line_id] = handle
        ordered[line_id] = quantity
        if delivered is not None:
            by_parcels[line_id] = delivered
        if held:
            taken[line_id] = held
    policy = None
    if version_id is not None:
        stored = StoredPolicyVersion(id=version_id, store_id=store.pk, number=version_number,
                                     status="published", currency=version_currency,
                                     effective_from=effective_from)
        policy = OrderPolicy(
            version=decoded_version(stored, contents=lambda: _rules(version_id)),
            version_number=version_number, facts=order_facts(order, store), lines=order_lines,
            delivered=delivered_in_full(by_parcels=by_parcels, delivered_at=delivered_at,
                                        has_parcels=has_parcels, ordered=ordered),
            handles=handles)
    active = {code: Reason(code=code, store_fault=fault)
              for code, fault, is_active in reasons or () if is_active} if reasons else None
    snapshot = OrderSnapshot(order=order, policy=policy, reasons=active, taken=taken)
    if not for_create:
        return snapshot
    stored_answer, return_id, line_ids, audit_ids, idempotency_id = row[15:]
    return OrderSnapshot(
        order=order, policy=policy, reasons=active, taken=taken,
        stored=Stored(*stored_answer) if stored_answer is not None else None,
        return_id=return_id, line_ids=tuple(line_ids), audit_ids=tuple(audit_ids),
        idempotency_id=idempotency_id)


def _rules(version_id: int) -> tuple:
    with connection.cursor() as cursor:
        _RULES.execute(cursor, [version_id])
        default_rule, rules = cursor.fetchone()
    return json.loads(default_rule), json.loads(rules)

