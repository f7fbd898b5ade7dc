"""The PostgreSQL write path of POST /orders writes what the ORM path writes, row for row.

Two stores with the same catalog and stock take the same requests, one through the ORM
path (`order_create` under `run_idempotent`) and one through `pg_create`; everything
either wrote is compared with ids replaced by what they point at.
"""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rebox.api.orders import draft_from
from rebox.api.schemas import OrderIn
from rebox.catalog.models import Supplier, Variant
from rebox.core.actors import Actor
from rebox.core.errors import Conflict, IdempotencyKeyReused, OutOfStock, ValidationFailed
from rebox.core.models import AuditEntry, IdempotencyRecord, OutboxEvent
from rebox.inventory.models import StockLevel, StockMovement
from rebox.inventory.services import stock_level_from_ledger
from rebox.orders import pg_create
from rebox.orders.models import Customer, Order, OrderLine, Payment
from rebox.orders.services import order_create_idempotent
from rebox.testing import make_location, make_store, make_variant

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

ACTOR = Actor.integration("API key tests")


def _catalog(store):
    main = make_location(store)
    back = make_location(store, "back", default=False)
    make_variant(store, "TEE-S", price_minor=1_500, stock=5, location=main, title="Tee",
                 final_sale=True, policy_tags=["hygiene"])
    Variant.objects.filter(store=store, sku="TEE-S").update(size="S", colour="Blue")
    # 1 at the default location, 6 at the back: an order of 3 must be reserved at the back
    make_variant(store, "MUG", price_minor=900, stock=1, location=main, category="home")
    from rebox.inventory.services import stock_move

    mug = Variant.objects.get(store=store, sku="MUG")
    stock_move(store_id=store.pk, variant_id=mug.pk, location_id=back.pk, kind="received",
               quantity=6, actor=ACTOR, why="opening stock")
    supplier = Supplier.objects.create(store=store, code="acme", name="Acme", is_dropship=True,
                                       email="acme@example.com")
    make_variant(store, "SOFA", price_minor=50_000, stock=0, supplier=supplier, category="home")


def _body(**changes) -> dict:
    body = {
        "number": "EQ-1", "currency": "EUR", "language": "da",
        "customer": {"email": "Ana@Example.com", "name": "Ana", "phone": "+45 1",
                     "language": "da"},
        "shipping_address": {"name": "Ana", "line1": "Nørregade 1", "city": "København",
                             "postal_code": "1165", "country": "DK"},
        "lines": [
            {"sku": "TEE-S", "quantity": 2, "unit_price_minor": 1_500, "discount_minor": 300,
             "tax_minor": 200},
            {"sku": "MUG", "quantity": 3, "unit_price_minor": 900, "title": "Big mug"},
            {"sku": "SOFA", "quantity": 1, "unit_price_minor": 50_000},
        ],
        "payments": [{"method": "card", "gateway": "stripe", "reference": "ch_1",
                      "amount_minor": 40_000},
                     {"method": "gift_card", "amount_minor": 16_090}],
        "shipping_minor": 490,
        "placed_at": "2025-03-01T10:00:00+00:00",
    }
    body.update(changes)
    return body


def _create(store, body, *, fast: bool, key: str | None = "k-1", monkeypatch):
    monkeypatch.setattr(pg_create, "supported", lambda: fast)
    payload = OrderIn(**body)
    return order_create_idempotent(store=store, draft=draft_from(payload), actor=ACTOR,
                                   idempotency_key=key, body=payload.dict)


def _no_ids(reply: dict) -> dict:
    return {**reply, "lines": [{k: v for k, v in line.items() if k != "id"}
                               for line in reply["lines"]]}


def _written(store) -> dict:
    """Everything the order intake writes for ``store``, without ids and write times."""
    numbers = dict(Order.objects.filter(store=store).values_list("pk", "number"))
    positions = {line.pk: (numbers[line.order_id], line.position)
                 for line in OrderLine.objects.filter(store=store)}
    skus = dict(Variant.objects.filter(store=store).values_list("pk", "sku"))
    return {
        "customers": list(Customer.objects.filter(store=store).order_by("email").values(
            "email", "name", "phone", "language", "country")),
        "orders": [
            {**row, "customer": row.pop("customer__email")} for row in
            Order.objects.filter(store=store).order_by("number").values(
                "number", "customer__email", "email", "status", "currency", "language",
                "placed_at", "shipping_address", "subtotal_minor", "discount_minor",
                "shipping_minor", "tax_minor", "total_minor", "source", "external_id",
                "delivered_at", "gift_receipt_code")],
        "lines": list(OrderLine.objects.filter(store=store).order_by("order__number", "position")
                      .values("order__number", "position", "variant__sku", "sku", "title",
                              "quantity", "unit_price_minor", "discount_minor", "tax_minor",
                              "total_minor", "category_slug", "supplier_code", "final_sale",
                              "policy_tags")),
        "payments": list(Payment.objects.filter(store=store).order_by("order__number", "pk")
                         .values("order__number", "method", "gateway", "reference",
                                 "amount_minor", "currency", "status")),
        "movements": sorted(
            (skus[m.variant_id], m.location.code, m.kind, m.on_hand_delta, m.reserved_delta,
             positions.get(m.order_line_id), m.actor_label, m.why)
            for m in StockMovement.objects.filter(store=store).select_related("location")),
        "levels": sorted((skus[level.variant_id], level.location.code, level.on_hand, level.reserved)
                         for level in StockLevel.objects.filter(store=store)
                         .select_related("location")),
        "audit": [(e.actor_type, e.actor_label, e.action, e.subject_type,
                   numbers[e.subject_id], e.why, e.details)
                  for e in AuditEntry.objects.filter(store=store, subject_type="order")
                  .order_by("pk")],
        "outbox": [(e.topic, e.subject_type, numbers[e.subject_id], e.payload, e.attempts,
                    e.processed_at, e.last_error, e.next_attempt_at == e.created_at)
                   for e in OutboxEvent.objects.filter(store=store).order_by("created_at")],
        "idempotency": [(r.key, r.scope, r.request_hash, r.response_status,
                         _no_ids(r.response_body))
                        for r in IdempotencyRecord.objects.filter(store=store).order_by("pk")],
    }


def test_the_sql_path_writes_the_same_rows_and_answers_the_same_as_the_orm(monkeypatch):
    orm_store, sql_store = make_store("orm-path"), make_store("sql-path")
    _catalog(orm_store)
    _catalog(sql_store)
    second = _body(number="EQ-2", placed_at=None, language="",
                   customer={"email": "ana@example.com", "name": "Someone else"},
                   lines=[{"sku": "TEE-S", "quantity": 1, "unit_price_minor": 1_500}],
                   payments=[], shipping_minor=0)
    replies = {}
    for store, fast in ((orm_store, False), (sql_store, True)):
        first_reply = _create(store, _body(), fast=fast, monkeypatch=monkeypatch)
        second_reply = _create(store, second, fast=fast, key=None, monkeypatch=monkeypatch)
        replayed = _create(store, _body(), fast=fast, monkeypatch=monkeypatch)
        assert replayed == first_reply
        replies[fast] = (first_reply, second_reply)

    (orm_first, orm_second), (sql_first, sql_second) = replies[False], replies[True]
    assert orm_first[0] == sql_first[0] == 201
    assert _no_ids(sql_first[1]) == _no_ids(orm_first[1])
    assert sql_second[1].pop("placed_at") and orm_second[1].pop("placed_at")
    assert _no_ids(sql_second[1]) == _no_ids(orm_second[1])
    assert sql_second[1]["customer_name"] == "Ana"  # a known customer keeps their name
    orm_rows, sql_rows = _written(orm_store), _written(sql_store)
    for rows in (orm_rows, sql_rows):  # the second order was placed "now": compare the rest
        assert rows["orders"][1].pop("placed_at") is not None
    assert sql_rows == orm_rows
    # and what is in it is what a careful reader expects
    assert [o["status"] for o in sql_rows["orders"]] == ["paid", "pending"]
    assert sql_rows["customers"] == [{"email": "ana@example.com", "name": "Ana",
                                      "phone": "+45 1", "language": "da", "country": "DK"}]
    assert ("MUG", "back", "reserved", 0, 3, ("EQ-1", 1), "API key tests", "order placed") \
        in sql_rows["movements"]
    assert not any(m[0] == "SOFA" for m in sql_rows["movements"])  # dropship: not our stock
    assert sql_rows["lines"][0]["title"] == "Tee — S / Blue"
    assert sql_first[1]["lines"][0]["id"] == OrderLine.objects.get(
        order__store=sql_store, order__number="EQ-1", position=0).pk
    for level in StockLevel.objects.filter(store=sql_store):
        assert stock_level_from_ledger(variant_id=level.variant_id,
                                       location_id=level.location_id) == (level.on_hand,
                                                                          level.reserved)


def test_the_sql_path_is_two_statements_and_a_transaction(monkeypatch):
    store = make_store("count")
    _catalog(store)
    _create(store, _body(number="WARM"), fast=True, key="warm", monkeypatch=monkeypatch)

    with CaptureQueriesContext(connection) as queries:
        status, _ = _create(store, _body(number="COUNTED"), fast=True, key="k-2",
                            monkeypatch=monkeypatch)

    assert status == 201
    statements = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(
        ("SAVEPOINT", "RELEASE SAVEPOINT"))]
    assert len(statements) == 2, statements
    assert all(s.startswith("EXECUTE rebox_order_create_") for s in statements)


@pytest.mark.parametrize("prepared", [True, False])
def test_out_of_stock_writes_nothing_and_names_the_line(monkeypatch, settings, prepared):
    settings.REBOX_DB_PREPARED_STATEMENTS = prepared
    store = make_store("short")
    _catalog(store)
    body = _body(lines=[{"sku": "TEE-S", "quantity": 1, "unit_price_minor": 1_500},
                        {"sku": "MUG", "quantity": 7, "unit_price_minor": 900}],
                 payments=[], shipping_minor=0)

    with pytest.raises(OutOfStock) as refused:
        _create(store, body, fast=True, monkeypatch=monkeypatch)

    assert [e.field for e in refused.value.errors] == ["lines[1].quantity"]
    assert "not enough stock of MUG for 7" in refused.value.errors[0].message
    assert not Order.objects.filter(store=store).exists()
    assert not Customer.objects.filter(store=store).exists()
    assert not IdempotencyRecord.objects.filter(store=store).exists()
    assert not OutboxEvent.objects.filter(store=store).exists()
    assert sum(level.reserved for level in StockLevel.objects.filter(store=store)) == 0
    assert not StockMovement.objects.filter(store=store, kind="reserved").exists()


def test_two_lines_of_one_sku_are_each_reserved_or_refused_together(monkeypatch):
    store = make_store("twice")
    _catalog(store)
    line = {"sku": "MUG", "quantity": 3, "unit_price_minor": 900}
    body = _body(number="T-1", lines=[line, line], payments=[], shipping_minor=0)

    _create(store, body, fast=True, monkeypatch=monkeypatch)

    # 1 + 6 on hand: 3 at the back, then 3 more at the back; the default's 1 stays free
    levels = {lv.location.code: (lv.on_hand, lv.reserved)
              for lv in StockLevel.objects.filter(variant__store=store, variant__sku="MUG")}
    assert levels == {"main": (1, 0), "back": (6, 6)}
    assert StockMovement.objects.filter(store=store, kind="reserved",
                                        order_line__order__number="T-1").count() == 2
    with pytest.raises(OutOfStock):
        _create(store, _body(number="T-2", lines=[{**line, "quantity": 1}] * 2, payments=[],
                             shipping_minor=0), fast=True, key="k-2", monkeypatch=monkeypatch)
    assert StockLevel.objects.get(variant__store=store, variant__sku="MUG",
                                  location__code="main").reserved == 0


def test_refusals_are_the_orm_paths(monkeypatch):
    store = make_store("refusals")
    _catalog(store)
    bad = _body(currency="XXQ", lines=[{"sku": "NOPE", "quantity": 1, "unit_price_minor": 1}],
                payments=[], shipping_minor=0)
    for fast in (False, True):
        with pytest.raises(ValidationFailed) as refused:
            _create(store, bad, fast=fast, monkeypatch=monkeypatch)
        assert {e.field for e in refused.value.errors} == {"currency", "lines[0].sku"}

    _create(store, _body(), fast=True, monkeypatch=monkeypatch)
    with pytest.raises(IdempotencyKeyReused):
        _create(store, _body(shipping_minor=0), fast=True, monkeypatch=monkeypatch)
    with pytest.raises(Conflict) as used:
        _create(store, _body(), fast=True, key="another", monkeypatch=monkeypatch)
    assert used.value.errors[0].field == "number"
    assert Order.objects.filter(store=store).count() == 1
    assert StockLevel.objects.get(variant__store=store, variant__sku="TEE-S").reserved == 2


def test_a_new_order_is_announced_once_its_transaction_commits(monkeypatch):
    store = make_store("announce")
    _catalog(store)
    with pytest.MonkeyPatch.context() as patch:
        enqueued = []
        patch.setattr("rebox.core.outbox._enqueue", enqueued.append)
        from django.test import TestCase

        with TestCase.captureOnCommitCallbacks(execute=True):
            _create(store, _body(), fast=True, monkeypatch=monkeypatch)

    event = OutboxEvent.objects.get(store=store, topic="order.placed")
    assert enqueued == [event.pk]
    assert event.payload == {"number": "EQ-1"}
    assert event.created_at <= datetime.now(UTC)


@pytest.mark.django_db(transaction=True)
def test_committed_for_real_the_write_is_all_or_nothing(monkeypatch):
    store = make_store("alone")
    _catalog(store)
    _create(store, _body(number="WARM"), fast=True, key="warm", monkeypatch=monkeypatch)

    with CaptureQueriesContext(connection) as queries:
        status, reply = _create(store, _body(number="A-1"), fast=True, key="a-1",
                                monkeypatch=monkeypatch)
    assert status == 201 and reply["number"] == "A-1"
    # (what follows them is the outbox delivering the event, in-process in tests)
    assert [q["sql"].split("(")[0] for q in queries.captured_queries][:4] == [
        "EXECUTE rebox_order_create_lookup", "BEGIN", "EXECUTE rebox_order_create_write",
        "COMMIT"]
    assert OrderLine.objects.filter(order__store=store, order__number="A-1").count() == 3

    short = _body(number="A-2", customer={"email": "new@example.com", "name": "New"},
                  lines=[{"sku": "MUG", "quantity": 50, "unit_price_minor": 900}],
                  payments=[], shipping_minor=0)
    with pytest.raises(OutOfStock):
        _create(store, short, fast=True, key="a-2", monkeypatch=monkeypatch)
    with pytest.raises(Conflict):
        _create(store, {**short, "number": "A-1", "lines": [{"sku": "TEE-S", "quantity": 1,
                                                             "unit_price_minor": 1_500}]},
                fast=True, key="a-3", monkeypatch=monkeypatch)
    assert not Customer.objects.filter(store=store, email="new@example.com").exists()
    assert not IdempotencyRecord.objects.filter(store=store, key__in=["a-2", "a-3"]).exists()

    # two lines of one SKU: the statement reserves one, the fallback the other
    make_variant(store, "CUP", price_minor=400, stock=5)
    twice = [{"sku": "CUP", "quantity": 1, "unit_price_minor": 400}] * 2
    _create(store, _body(number="A-4", lines=twice, payments=[], shipping_minor=0),
            fast=True, key="a-4", monkeypatch=monkeypatch)
    assert StockMovement.objects.filter(order_line__order__number="A-4",
                                        order_line__order__store=store).count() == 2
    assert StockLevel.objects.get(variant__store=store, variant__sku="CUP").reserved == 2
    for level in StockLevel.objects.filter(store=store):
        assert stock_level_from_ledger(variant_id=level.variant_id,
                                       location_id=level.location_id) == (level.on_hand,
                                                                          level.reserved)
