"""POST /api/v1/orders on PostgreSQL in two statements: the write path under load.

The ORM path (`services.order_create` inside `run_idempotent`) costs ~16 statements and
~8 ms of Python per order. Here the same rows are written by:

1. one read, outside any transaction: the Idempotency-Key's stored answer (if any), the
   order's variants with what a line copies from them, the customer (if known), and ids
   for the order and its lines taken from their sequences (so that the whole reply,
   line ids included, is known before writing and the idempotency record can be written
   with everything else);
2. one data-modifying statement in a transaction: the customer (when new), the order,
   its lines, its payments, the stock reservation of every line (levels locked in
   variant order, each line reserved whole at the first location that has it, exactly as
   `stock_reserve_lines` does) with its ledger movements, the audit entry, the outbox
   event and the idempotency record. It answers whether the order number was free and
   which lines got their stock.

Checks and answers are the ORM path's: the same field errors (`services.draft_errors`),
409 for a used number, 409 out of stock with nothing written (the transaction is rolled
back), a retry with the same key replays the stored answer and a concurrent duplicate
waits on the key's unique index, fails, and replays. A line whose chosen location was
taken meanwhile falls back to `stock_reserve_anywhere`, as in the ORM path.
A test holds the rows written here equal to the ORM path's
(rebox/orders/tests/test_pg_create.py); a column added to one of these tables must be
added here too (that test fails until it is).
"""

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from rebox.core.actors import Actor
from rebox.core.errors import Conflict, FieldError, OutOfStock, ValidationFailed
from rebox.core.idempotency import check_key, replay, request_fingerprint
from rebox.core.ids import random_code
from rebox.core.models import Store
from rebox.core.outbox import outbox_deliver_after_commit
from rebox.inventory.models import MovementKind, StockMovement
from rebox.inventory.services import stock_reserve_anywhere
from rebox.orders.drafts import OrderDraft
from rebox.orders.pg import Statement
from rebox.orders.rules import line_total, order_totals
from rebox.orders.states import OrderStatus

SCOPE = "orders.create"


def supported() -> bool:
    return connection.vendor == "postgresql"


_LOOKUP = Statement("rebox_order_create_lookup", """
SELECT
  (SELECT json_build_array(r.request_hash, r.response_status, r.response_body)
     FROM core_idempotencyrecord r WHERE r.store_id = $1 AND r.key = $2),
  (SELECT json_agg(json_build_array(v.id, v.sku, v.size, v.colour, p.title, p.final_sale,
                                    p.policy_tags, c.slug, s.code, s.is_dropship))
     FROM catalog_variant v JOIN catalog_product p ON p.id = v.product_id
     LEFT JOIN catalog_category c ON c.id = p.category_id
     LEFT JOIN catalog_supplier s ON s.id = p.supplier_id
     WHERE v.store_id = $1 AND v.sku = ANY($3)),
  (SELECT json_build_array(cu.id, cu.name, cu.language)
     FROM orders_customer cu WHERE cu.store_id = $1 AND cu.email = $4),
  nextval(pg_get_serial_sequence('orders_order', 'id')),
  ARRAY(SELECT nextval(pg_get_serial_sequence('orders_orderline', 'id'))
        FROM generate_series(1, $5))
""", ("bigint", "text", "text[]", "text", "integer"))

# $1 store, $2 order id, $3 number, $4 known customer id (NULL: insert it), $5 email,
# $6 name, $7 phone, $8 language, $9 country (customer), $10 status, $11 currency,
# $12 order language, $13 placed_at, $14 shipping address, $15 source, $16 external id,
# $17 subtotal, $18 discount, $19 shipping, $20 tax, $21 total, $22 now, $23 lines,
# $24 payments, $25 actor type, $26 actor label, $27 audit why, $28 audit details,
# $29 outbox event id, $30 outbox payload, $31 idempotency key (NULL: none), $32 scope,
# $33 request hash, $34 response status, $35 response body.
_WRITE = Statement("rebox_order_create_write", """
WITH
new_customer AS (
  INSERT INTO orders_customer (store_id, email, name, phone, language, country, created_at)
  SELECT $1, $5, $6, $7, $8, $9, $22 WHERE $4 IS NULL
  ON CONFLICT (store_id, email) DO UPDATE SET email = EXCLUDED.email
  RETURNING id),
new_order AS (
  INSERT INTO orders_order (id, store_id, number, customer_id, email, status, currency,
    language, placed_at, shipping_address, subtotal_minor, discount_minor, shipping_minor,
    tax_minor, total_minor, source, external_id, created_at)
  SELECT $2, $1, $3, COALESCE($4, (SELECT id FROM new_customer)), $5, $10, $11, $12, $13,
    $14, $17, $18, $19, $20, $21, $15, $16, $22
  ON CONFLICT (store_id, number) DO NOTHING
  RETURNING id),
line AS (
  SELECT * FROM jsonb_to_recordset($23) AS l(id bigint, position integer, variant_id bigint,
    sku text, title text, quantity integer, unit_price_minor bigint, discount_minor bigint,
    tax_minor bigint, total_minor bigint, category_slug text, supplier_code text,
    final_sale boolean, policy_tags jsonb, reserve boolean)),
new_lines AS (
  INSERT INTO orders_orderline (id, store_id, order_id, position, variant_id, sku, title,
    quantity, unit_price_minor, discount_minor, tax_minor, total_minor, category_slug,
    supplier_code, final_sale, policy_tags)
  SELECT l.id, $1, o.id, l.position, l.variant_id, l.sku, l.title, l.quantity,
    l.unit_price_minor, l.discount_minor, l.tax_minor, l.total_minor, l.category_slug,
    l.supplier_code, l.final_sale, l.policy_tags
  FROM line l CROSS JOIN new_order o),
new_payments AS (
  INSERT INTO orders_payment (store_id, order_id, method, gateway, reference, amount_minor,
    currency, status, created_at)
  SELECT $1, o.id, p.method, p.gateway, p.reference, p.amount_minor, $11, p.status, $22
  FROM jsonb_to_recordset($24) AS p(n integer, method text, gateway text, reference text,
    amount_minor bigint, status text)
  CROSS JOIN new_order o ORDER BY p.n),
locked AS (
  SELECT level.id FROM inventory_stocklevel level
  WHERE level.variant_id = ANY (ARRAY(SELECT variant_id FROM line WHERE reserve))
    AND EXISTS (SELECT 1 FROM new_order)
  ORDER BY level.variant_id, level.id
  FOR UPDATE),
choice AS (
  SELECT l.id AS line_id, l.quantity,
    (SELECT level.id FROM inventory_stocklevel level
     JOIN inventory_location location ON location.id = level.location_id
     WHERE level.variant_id = l.variant_id AND level.on_hand - level.reserved >= l.quantity
     ORDER BY location.is_default DESC, level.location_id LIMIT 1) AS level_id
  FROM line l WHERE l.reserve AND (SELECT count(*) FROM locked) >= 0),
reserved AS (
  UPDATE inventory_stocklevel level SET reserved = level.reserved + c.quantity
  FROM choice c
  WHERE level.id = ANY (ARRAY(SELECT level_id FROM choice)) AND level.id = c.level_id
    AND level.on_hand - level.reserved >= c.quantity
  RETURNING c.line_id, level.variant_id, level.location_id, c.quantity),
movements AS (
  INSERT INTO inventory_stockmovement (store_id, variant_id, location_id, kind,
    on_hand_delta, reserved_delta, order_line_id, at, actor_label, why)
  SELECT $1, r.variant_id, r.location_id, 'reserved', 0, r.quantity, r.line_id, $22, $26,
    'order placed'
  FROM reserved r ORDER BY r.variant_id, r.line_id),
audit AS (
  INSERT INTO core_auditentry (store_id, at, actor_type, actor_label, action, subject_type,
    subject_id, why, details)
  SELECT $1, $22, $25, $26, 'order.placed', 'order', o.id, $27, $28 FROM new_order o),
outbox AS (
  INSERT INTO core_outboxevent (id, store_id, topic, subject_type, subject_id, payload,
    created_at, processed_at, attempts, next_attempt_at, last_error)
  SELECT $29, $1, 'order.placed', 'order', o.id, $30, $22, NULL, 0, $22, ''
  FROM new_order o),
idempotency AS (
  INSERT INTO core_idempotencyrecord (store_id, key, scope, request_hash, response_status,
    response_body, created_at)
  SELECT $1, $31, $32, $33, $34, $35, $22 FROM new_order o WHERE $31 IS NOT NULL)
SELECT EXISTS (SELECT 1 FROM new_order), ARRAY(SELECT line_id FROM reserved)
""", ("bigint", "bigint", "text", "bigint", "text", "text", "text", "text", "text", "text",
      "text", "text", "timestamptz", "jsonb", "text", "text", "bigint", "bigint", "bigint",
      "bigint", "bigint", "timestamptz", "jsonb", "jsonb", "text", "text", "text", "jsonb",
      "uuid", "jsonb", "text", "text", "text", "integer", "jsonb"))


@dataclass(frozen=True)
class _Known:
    """What the lookup found."""

    stored: list | None  # [request hash, status, body] of the key's first answer
    variants: dict[str, list]  # sku -> [id, sku, size, colour, title, final_sale, tags,
    #                                      category slug, supplier code, is_dropship]
    customer: list | None  # [id, name, language]
    order_id: int
    line_ids: list[int]


def _lookup(*, store: Store, key: str | None, draft: OrderDraft, email: str) -> _Known:
    skus = sorted({line.sku for line in draft.lines})
    with connection.cursor() as cursor:
        _LOOKUP.execute(cursor, [store.pk, key, skus, email, len(draft.lines)])
        stored, variants, customer, order_id, line_ids = cursor.fetchone()
    return _Known(stored=stored, variants={v[1]: v for v in variants or ()},
                  customer=customer, order_id=order_id, line_ids=list(line_ids))


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def order_create_fast(*, store: Store, draft: OrderDraft, actor: Actor, key: str | None,
                      body: Callable[[], object], source: str = "api") -> tuple[int, dict]:
    """Accept an order as `run_idempotent(operation=order_create ...)` would: (status, reply).

    ``body`` gives the request body whose fingerprint guards the key (asked only with one).
    """
    from rebox.orders.services import draft_errors  # services imports this module

    if key is not None:
        check_key(key)
    fingerprint = request_fingerprint(SCOPE, body()) if key is not None else ""
    email = draft.customer.email.strip().lower()
    known = _lookup(store=store, key=key, draft=draft, email=email)
    if known.stored is not None:
        return replay(stored_hash=known.stored[0], status=known.stored[1],
                      body=known.stored[2], fingerprint=fingerprint)
    errors = draft_errors(store=store, draft=draft, known_skus=known.variants.keys())
    if errors:
        raise ValidationFailed(errors=errors)

    now = timezone.now()
    if known.customer is not None:
        customer_id, customer_name, customer_language = known.customer
    else:
        customer_id, customer_name = None, draft.customer.name
        customer_language = draft.customer.language or draft.language
    totals = order_totals(draft)
    number = draft.number or f"R{random_code(9)}"
    language = draft.language or customer_language or store.default_language
    placed_at = draft.placed_at or now
    lines, reply_lines, wanted = [], [], {}
    for position, (line, line_id) in enumerate(zip(draft.lines, known.line_ids, strict=True)):
        (variant_id, sku, size, colour, product_title, final_sale, policy_tags,
         category_slug, supplier_code, is_dropship) = known.variants[line.sku]
        options = " / ".join(v for v in (size, colour) if v)
        title = line.title or (f"{product_title} — {options}" if options else product_title)
        total = line_total(line, taxes_included=draft.taxes_included)
        reserve = not (supplier_code is not None and is_dropship)
        if reserve:
            wanted[line_id] = (position, sku, variant_id, line.quantity)
        lines.append({
            "id": line_id, "position": position, "variant_id": variant_id, "sku": sku,
            "title": title, "quantity": line.quantity, "unit_price_minor": line.unit_price_minor,
            "discount_minor": line.discount_minor, "tax_minor": line.tax_minor,
            "total_minor": total, "category_slug": category_slug or "",
            "supplier_code": supplier_code or "", "final_sale": final_sale,
            "policy_tags": list(policy_tags or []), "reserve": reserve})
        reply_lines.append({
            "id": line_id, "position": position, "sku": sku, "title": title,
            "quantity": line.quantity, "unit_price_minor": line.unit_price_minor,
            "discount_minor": line.discount_minor, "tax_minor": line.tax_minor,
            "total_minor": total, "shipped_quantity": 0})
    payments = [{"n": n, "method": p.method, "gateway": p.gateway, "reference": p.reference,
                 "amount_minor": p.amount_minor, "status": p.status}
                for n, p in enumerate(draft.payments)]
    status = str(OrderStatus.PAID if draft.payments else OrderStatus.PENDING)
    address = draft.shipping_address.as_dict()
    reply = {
        "number": number, "status": status, "email": email, "currency": draft.currency,
        "total_minor": totals["total_minor"], "placed_at": _iso(placed_at),
        "delivered_at": None, "language": language, "source": source,
        "customer_name": customer_name, "shipping_address": address,
        "subtotal_minor": totals["subtotal_minor"], "discount_minor": totals["discount_minor"],
        "shipping_minor": totals["shipping_minor"], "tax_minor": totals["tax_minor"],
        "lines": reply_lines,
        "payments": [{**{k: p[k] for k in ("method", "gateway", "reference", "amount_minor")},
                      "currency": draft.currency, "status": p["status"]} for p in payments],
        "shipments": [],
    }
    event_id = uuid.uuid4()
    params = [
        store.pk, known.order_id, number, customer_id, email, draft.customer.name,
        draft.customer.phone, customer_language, draft.shipping_address.country, status,
        draft.currency, language, placed_at, json.dumps(address), source, draft.external_id,
        totals["subtotal_minor"], totals["discount_minor"], totals["shipping_minor"],
        totals["tax_minor"], totals["total_minor"], now, json.dumps(lines), json.dumps(payments),
        str(actor.type), actor.label, f"received from {source}",
        json.dumps({"total_minor": totals["total_minor"], "currency": draft.currency}),
        event_id, json.dumps({"number": number}), key, SCOPE, fingerprint, 201,
        json.dumps(reply),
    ]
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                _WRITE.execute(cursor, params)
                inserted, reserved = cursor.fetchone()
            if not inserted:
                raise Conflict(f"Order {number} already exists",
                               errors=[FieldError("number", "already used by another order")])
            _reserve_the_rest(store=store, wanted=wanted, reserved=set(reserved), now=now,
                              actor=actor)
            outbox_deliver_after_commit(event_id)
    except IntegrityError:
        if key is None:
            raise
        from rebox.core.models import IdempotencyRecord

        record = IdempotencyRecord.objects.filter(store=store, key=key).first()
        if record is None:
            raise
        return replay(stored_hash=record.request_hash, status=record.response_status,
                      body=record.response_body, fingerprint=fingerprint)
    return 201, reply


def _reserve_the_rest(*, store: Store, wanted: dict, reserved: set[int], now, actor: Actor):
    """Lines the one statement could not reserve: another location, or out of stock."""
    missing = [line_id for line_id in wanted if line_id not in reserved]
    if not missing:
        return
    short, movements = [], []
    for line_id in sorted(missing, key=lambda i: wanted[i][2]):
        position, sku, variant_id, quantity = wanted[line_id]
        row = stock_reserve_anywhere(variant_id, quantity)
        if row is None:
            short.append((position, sku, quantity))
            continue
        movements.append(StockMovement(
            store_id=store.pk, variant_id=variant_id, location_id=row[0],
            kind=MovementKind.RESERVED, on_hand_delta=0, reserved_delta=quantity,
            order_line_id=line_id, at=now, actor_label=actor.label, why="order placed"))
    if short:
        raise OutOfStock("Some lines are out of stock; nothing was reserved.", errors=[
            FieldError(f"lines[{position}].quantity", f"not enough stock of {sku} for {quantity}")
            for position, sku, quantity in sorted(short)])
    StockMovement.objects.bulk_create(movements)
