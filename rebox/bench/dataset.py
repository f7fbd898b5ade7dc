"""The benchmark's data: one store with a catalog, huge stock, customers and (when a case
needs it) 1,000,000 orders with lines, payments, shipments and tracking events.

The orders are written by SQL (``INSERT ... SELECT generate_series``) in one transaction,
with explicit ids so that children point at parents without joins; the API is far too
slow for a million. They are kept between runs: the store slug carries the dataset
version, and the last order's number proves a complete load.
"""

import time
from dataclasses import dataclass

from django.db import connection, models, transaction

from rebox.catalog.models import Product, Variant
from rebox.core.api_keys import api_key_create
from rebox.core.models import ApiKey, Store
from rebox.inventory.models import Location, StockLevel
from rebox.orders.models import (
    Customer,
    Order,
    OrderLine,
    Payment,
    Shipment,
    ShipmentLine,
    TrackingEvent,
)
from rebox.testing import make_location, make_store, make_variant

STORE_SLUG = "bench-v1"  # bump the version when the shape of the generated data changes
SKU_COUNT = 1_000
CUSTOMER_COUNT = 100_000
STOCK = 1_000_000_000
LINES_PER_ORDER = 3


@dataclass(frozen=True)
class Dataset:
    store_id: int
    api_key: str
    sku_count: int
    customer_count: int
    order_count: int
    first_order_id: int


def order_number(n: int) -> str:
    return f"B{n:07d}"


def dataset_prepare(*, orders: int, say=print) -> Dataset:
    """The store, catalog, customers and a fresh API key; ``orders`` generated orders."""
    store = Store.objects.filter(slug=STORE_SLUG).first() or _store_create(say=say)
    ApiKey.objects.filter(store=store, name="bench").delete()
    _, raw_key = api_key_create(store=store, name="bench")
    first_order_id = 0
    if orders:
        first = Order.objects.filter(store=store, number=order_number(1)).first()
        complete = Order.objects.filter(store=store, number=order_number(orders)).exists()
        if first is None or not complete:
            first_order_id = _orders_generate(store=store, count=orders, say=say)
        else:
            say(f"   dataset: {orders:,} orders already stored (cached)")
            first_order_id = first.pk
    return Dataset(store_id=store.pk, api_key=raw_key, sku_count=SKU_COUNT,
                   customer_count=CUSTOMER_COUNT, order_count=orders,
                   first_order_id=first_order_id)


def _store_create(*, say) -> Store:
    started = time.monotonic()
    with transaction.atomic():
        store = make_store(STORE_SLUG, name="Bench", currency="EUR", country="DK")
        location = make_location(store)
        for i in range(1, SKU_COUNT + 1):
            make_variant(store, f"BV{i:04d}", price_minor=1000 + i, stock=STOCK,
                         location=location, title=f"Bench item {i}")
        _insert_select(Customer, {
            "store": str(store.pk), "email": "'c' || c || '@bench.example'",
            "name": "'Customer ' || c", "language": "'en'", "country": "'DK'",
            "created_at": "now()",
        }, f"generate_series(1, {CUSTOMER_COUNT}) AS c", with_id=f"{_next_id(Customer)} + c")
        _sequence_catch_up(Customer)
    say(f"   dataset: store, {SKU_COUNT} variants, {CUSTOMER_COUNT:,} customers "
        f"in {time.monotonic() - started:.1f}s")
    return store


def _next_id(model) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {model._meta.db_table}")
        return cursor.fetchone()[0]


def _sequence_catch_up(model) -> None:
    """After rows were written with explicit ids, make the next generated id follow them."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                       f"(SELECT MAX(id) FROM {table}))")


def _insert_select(model, exprs: dict[str, str], source: str, *, with_id: str = "") -> None:
    """INSERT INTO model's table SELECT the given SQL per field FROM ``source``.

    Fields not named take their model default (or NULL), so a new column with a default
    does not break the generator; a new required column without one stops it loudly.
    """
    columns, values, params = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            if with_id:
                columns.append(field.column)
                values.append(with_id)
            continue
        if field.name in exprs:
            values.append(exprs[field.name])
        elif field.has_default() or (field.blank and field.empty_strings_allowed):
            values.append("%s")
            params.append(field.get_db_prep_save(field.get_default(), connection))
        elif field.null:
            values.append("NULL")
        else:
            raise RuntimeError(f"bench dataset: no value for {model.__name__}.{field.name}")
        columns.append(field.column)
    sql = (f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "
           f"SELECT {', '.join(values)} FROM {source}")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _orders_generate(*, store: Store, count: int, say) -> int:
    """Write ``count`` orders with 3 lines, a payment, a shipment of everything and two
    tracking events each. Returns the first order's id (they are consecutive)."""
    started = time.monotonic()
    variants = list(Variant.objects.filter(store=store).order_by("pk").values_list("pk", "sku"))
    variant_ids = "ARRAY[" + ",".join(str(pk) for pk, _ in variants) + "]::bigint[]"
    customer_first = Customer.objects.filter(store=store).order_by("pk").values_list(
        "pk", flat=True).first()
    o, ln, sh = _next_id(Order), _next_id(OrderLine), _next_id(Shipment)
    s = store.pk
    k = len(variants)
    # Variant of line p of order n, its price, and the timestamps, as SQL over (n, p).
    vidx = f"mod((n::bigint * {LINES_PER_ORDER} + p) * 7919, {k})"
    placed = "now() - (n * interval '47 seconds')"
    with transaction.atomic(), connection.cursor() as cursor:
        # Parents are written before children, ids are explicit: skip per-row FK triggers.
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("SET LOCAL synchronous_commit = off")
        orders_src = f"generate_series(1, {count}) AS n"
        _insert_select(Order, {
            "store": str(s), "number": "'B' || lpad(n::text, 7, '0')",
            "customer": f"{customer_first} + mod(n, {CUSTOMER_COUNT})",
            "email": f"'c' || (1 + mod(n, {CUSTOMER_COUNT})) || '@bench.example'",
            "status": "'delivered'", "currency": "'EUR'", "language": "'en'",
            "placed_at": placed, "created_at": placed, "delivered_at": f"{placed} + interval '3 days'",
            "shipping_address": """jsonb_build_object('name', 'Customer ' || n, 'line1',
                'Norregade ' || mod(n, 200), 'line2', '', 'city', 'Kobenhavn', 'postal_code',
                '1165', 'country', 'DK', 'phone', '')""",
            "subtotal_minor": "4500", "discount_minor": "0", "shipping_minor": "0",
            "tax_minor": "0", "total_minor": "4500", "source": "'api'",
        }, orders_src, with_id=f"{o} + n")
        say(f"   dataset: {count:,} orders in {time.monotonic() - started:.0f}s")
        lines_src = (f"generate_series(1, {count}) AS n CROSS JOIN "
                     f"generate_series(0, {LINES_PER_ORDER - 1}) AS p")
        line_id = f"{ln} + (n - 1) * {LINES_PER_ORDER} + p + 1"
        _insert_select(OrderLine, {
            "store": str(s), "order": f"{o} + n", "position": "p",
            "variant": f"({variant_ids})[1 + {vidx}]",
            "sku": f"'BV' || lpad((1 + {vidx})::text, 4, '0')",
            "title": f"'Bench item ' || (1 + {vidx})", "quantity": "1",
            "unit_price_minor": "1500", "discount_minor": "0", "tax_minor": "0",
            "total_minor": "1500", "category_slug": "'tops'", "supplier_code": "''",
            "final_sale": "false", "policy_tags": "'[]'::jsonb",
        }, lines_src, with_id=line_id)
        say(f"   dataset: + {count * LINES_PER_ORDER:,} lines at {time.monotonic() - started:.0f}s")
        _insert_select(Payment, {
            "store": str(s), "order": f"{o} + n", "method": "'card'", "gateway": "'stripe'",
            "reference": "'ch_b' || n", "amount_minor": "4500", "currency": "'EUR'",
            "status": "'captured'", "created_at": placed,
        }, orders_src)
        _insert_select(Shipment, {
            "store": str(s), "order": f"{o} + n", "carrier": "'gls'", "service": "'parcel'",
            "tracking_number": "'GLS' || lpad(n::text, 10, '0')",
            "tracking_url": "'https://gls-group.eu/track/GLS' || lpad(n::text, 10, '0')",
            "status": "'delivered'", "shipped_at": f"{placed} + interval '1 day'",
            "delivered_at": f"{placed} + interval '3 days'",
        }, orders_src, with_id=f"{sh} + n")
        _insert_select(ShipmentLine, {
            "shipment": f"{sh} + n", "order_line": line_id, "quantity": "1",
        }, lines_src)
        events_src = (f"generate_series(1, {count}) AS n CROSS JOIN "
                      "(VALUES (1, 'in_transit'), (3, 'delivered')) AS e(day, status)")
        _insert_select(TrackingEvent, {
            "store": str(s), "shipment": f"{sh} + n", "external_id": "'ev' || n || '-' || e.day",
            "status": "e.status", "occurred_at": f"{placed} + e.day * interval '1 day'",
            "location": "'Kobenhavn'", "description": "e.status", "received_at": "now()",
        }, events_src)
        for model in (Order, OrderLine, Shipment):
            _sequence_catch_up(model)
    say(f"   dataset: + payments, shipments, events at {time.monotonic() - started:.0f}s")
    # the catalogue and stock too: without statistics (autovacuum may be off, as on CI), a
    # generic plan reads every variant of the store by store_id to find one by SKU
    _vacuum_analyze([Customer, Order, OrderLine, Payment, Shipment, ShipmentLine, TrackingEvent,
                     Product, Variant, Location, StockLevel])
    say(f"   dataset: {count:,} orders ready in {time.monotonic() - started:.0f}s")
    return o + 1


def _vacuum_analyze(model_list: list[type[models.Model]]) -> None:
    """VACUUM sets hint bits and the visibility map now, not during the measured reads."""
    if connection.in_atomic_block:
        return  # (tests) VACUUM cannot run inside a transaction
    with connection.cursor() as cursor:
        for model in model_list:
            cursor.execute(f"VACUUM (ANALYZE) {model._meta.db_table}")
