"""orders.import: order lines per second through ``rebox import-orders`` (the importer, in
process) from a generated CSV of N lines, 3 per order, into the configured database.

The store ("bench-import") and its catalog are created once; its orders, lines, payments
and customers are deleted before each run (not timed), so every run imports everything.
Time includes checking the whole file (encoding scan, hash), parsing, validation and the
writes, as an operator would see it.
"""

import random
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.db import connection, transaction

from rebox.catalog.models import Category, Product, Variant
from rebox.core.models import Store
from rebox.orders.importer.run import orders_import
from rebox.testing import make_store

STORE_SLUG = "bench-import"
SKU_COUNT = 500
CUSTOMERS = 50_000
LINES_PER_ORDER = 3
TARGET = 20_000
HEADER = ("order_number,placed_at,status,currency,customer_email,customer_name,country,city,"
          "postal_code,line1,sku,quantity,unit_price_minor,discount_minor,tax_minor,"
          "shipping_minor,payment_method,paid_minor,delivered_at\n")


def run_import_bench(lines: int, *, directory: Path | None = None, say=None) -> dict:
    store = _store()
    _clear(store)
    with tempfile.TemporaryDirectory(dir=directory) as tmp:
        path = Path(tmp) / "orders.csv"
        csv_write(path, lines=lines, skus=list(_prices(store)))
        result = orders_import(store=store, path=path, progress=say is not None)
    if say:
        say(result.summary())
    if result.written.lines != lines or result.orders_rejected:
        raise RuntimeError(f"the import did not take every line: {result.summary()}")
    return {"case": "orders.import", "metric": "throughput",
            "value": round(result.lines_per_second), "unit": "lines/s", "target": TARGET}


def _store() -> Store:
    store = Store.objects.filter(slug=STORE_SLUG).first()
    if store is not None:
        return store
    with transaction.atomic():
        store = make_store(STORE_SLUG, name="Bench import")
        category = Category.objects.create(store=store, name="Things", slug="things")
        products = Product.objects.bulk_create([
            Product(store=store, handle=f"thing-{n}", title=f"Thing {n}", category=category)
            for n in range(SKU_COUNT)])
        Variant.objects.bulk_create([
            Variant(store=store, product=p, sku=f"BI-{n:04d}", size="M",
                    price_minor=1_000 + 37 * n, currency=store.currency)
            for n, p in enumerate(products)])
    return store


def _prices(store: Store) -> dict[str, int]:
    return dict(Variant.objects.filter(store=store).values_list("sku", "price_minor"))


TABLES = ("orders_payment", "orders_orderline", "orders_order", "orders_customer")


def _clear(store: Store) -> None:
    """The last run's rows go; VACUUM then drops their index entries, which would otherwise
    slow down the next run's lookups of the very same order numbers."""
    with transaction.atomic(), connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"DELETE FROM {table} WHERE store_id = %s", [store.pk])
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            for table in TABLES:
                cursor.execute(f"VACUUM ANALYZE {table}")


def csv_write(path: Path, *, lines: int, skus: list[str], seed: int = 7) -> None:
    """N order lines, 3 per order (the last order may be shorter), order columns repeated
    on every row as most shop exports do; prices are the SKU's number plus 1000."""
    rng = random.Random(seed)
    start = datetime(2023, 1, 1, tzinfo=UTC)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER)
        rows: list[str] = []
        for n in range(0, (lines + LINES_PER_ORDER - 1) // LINES_PER_ORDER):
            count = min(LINES_PER_ORDER, lines - n * LINES_PER_ORDER)
            placed = start + timedelta(minutes=n)
            customer = rng.randrange(CUSTOMERS)
            chosen = rng.sample(skus, count)
            quantities = [rng.choice((1, 1, 2)) for _ in chosen]
            prices = [1_000 + 37 * int(sku[3:]) for sku in chosen]
            shipping = 495 if n % 3 else 0
            paid = sum(q * p for q, p in zip(quantities, prices, strict=True)) + shipping
            delivered = n % 2 == 0
            order = (f"BI{n:08d},{placed.isoformat()},{'delivered' if delivered else 'paid'},EUR,"
                     f"c{customer}@example.com,Customer {customer},DK,København,{1000 + customer % 9000},"
                     f"Vestergade {customer % 200 + 1}")
            tail = (f"{shipping},card,{paid},"
                    f"{(placed + timedelta(days=3)).isoformat() if delivered else ''}")
            rows.extend(f"{order},{sku},{q},{p},0,0,{tail}\n"
                        for sku, q, p in zip(chosen, quantities, prices, strict=True))
            if len(rows) >= 30_000:
                out.write("".join(rows))
                rows.clear()
        out.write("".join(rows))
