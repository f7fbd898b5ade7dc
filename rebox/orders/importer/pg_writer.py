"""Chunks into PostgreSQL by COPY, straight into the order tables.

``prepare`` (on the reading thread) upserts the chunk's new customers, asks which order
numbers the store already has, draws ids for the others from the sequence and formats
the COPY data; ``write`` (on the writing thread) only streams that data, so the database
is never kept waiting on Python. Knowing the ids up front needs no staging table or join.
"""

import json

import psycopg
from django.db import connection, transaction
from django.utils import timezone

from rebox.core.models import Store
from rebox.orders.importer.catalog import CatalogEntry
from rebox.orders.importer.orm_writer import customer_fields
from rebox.orders.importer.records import Chunk, ImportedOrder, Written
from rebox.orders.rules import line_total

# An existing customer keeps what is on file; the import only fills in blanks. The WHERE
# leaves untouched rows unwritten; `xmax = 0` is true for the rows this statement inserted.
# Emails come sorted, so that two imports running at once lock customers in one order.
CUSTOMERS_UPSERT = """
INSERT INTO orders_customer AS c (store_id, email, name, phone, language, country, created_at)
SELECT %(store)s, t.email, t.name, t.phone, t.language, t.country, now()
FROM unnest(%(emails)s::text[], %(names)s::text[], %(phones)s::text[], %(languages)s::text[],
            %(countries)s::text[]) AS t(email, name, phone, language, country)
ON CONFLICT (store_id, email) DO UPDATE SET
    name = CASE WHEN c.name = '' THEN EXCLUDED.name ELSE c.name END,
    phone = CASE WHEN c.phone = '' THEN EXCLUDED.phone ELSE c.phone END,
    language = CASE WHEN c.language = '' THEN EXCLUDED.language ELSE c.language END,
    country = CASE WHEN c.country = '' THEN EXCLUDED.country ELSE c.country END
WHERE (c.name = '' AND EXCLUDED.name <> '') OR (c.phone = '' AND EXCLUDED.phone <> '')
   OR (c.language = '' AND EXCLUDED.language <> '') OR (c.country = '' AND EXCLUDED.country <> '')
RETURNING xmax = 0
"""
CUSTOMERS_FIND = """SELECT email, id, language FROM orders_customer
WHERE store_id = %(store)s AND email = ANY(%(emails)s::text[])"""
ORDERS_PRESENT = """SELECT number FROM orders_order
WHERE store_id = %(store)s AND number = ANY(%(numbers)s::text[])"""
ORDER_IDS = "SELECT nextval(pg_get_serial_sequence('orders_order', 'id')) FROM generate_series(1, %s)"
COPIES = (
    """COPY orders_order (id, store_id, number, customer_id, email, status, currency, language,
       placed_at, shipping_address, subtotal_minor, discount_minor, shipping_minor, tax_minor,
       total_minor, source, delivered_at, created_at) FROM STDIN""",
    """COPY orders_orderline (store_id, order_id, position, variant_id, sku, title, quantity,
       unit_price_minor, discount_minor, tax_minor, total_minor, category_slug, supplier_code,
       final_sale, policy_tags) FROM STDIN""",
    """COPY orders_payment (store_id, order_id, method, gateway, reference, amount_minor,
       currency, status, created_at) FROM STDIN""",
)
RETRIES = 3
NULL = "\\N"
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(value: str) -> str:
    """A string as COPY's text format carries it."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_ESCAPES)
    return value


class PostgresWriter:
    def __init__(self, store: Store, catalog: dict[str, CatalogEntry]):
        self.store = store
        self.customers: dict[str, tuple[int, str]] = {}  # email: (id, language), committed
        # Per SKU, the line columns the catalog gives, in COPY text once and for all.
        self.from_catalog = {sku: (
            f"{e.variant_id}\t{copy_text(sku)}", copy_text(e.title),
            f"{copy_text(e.category_slug)}\t{copy_text(e.supplier_code)}\t{'t' if e.final_sale else 'f'}"
            f"\t{copy_text(json.dumps(e.policy_tags))}") for sku, e in catalog.items()}

    def prepare(self, orders: list[ImportedOrder]) -> Chunk:
        """Customers are committed here, before the chunk: should the chunk then fail,
        they are simply found again by the re-run."""
        with transaction.atomic():
            connection.ensure_connection()
            with connection.connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")  # see `write`
                met, created = self._customers(cursor, orders)
                cursor.execute(ORDERS_PRESENT, {"store": self.store.pk,
                                                "numbers": [o.number for o in orders]})
                present = {number for (number,) in cursor.fetchall()}
                fresh = [o for o in orders if o.number not in present]
                cursor.execute(ORDER_IDS, [len(fresh)])
                ids = [pk for (pk,) in cursor.fetchall()]
        self.customers.update(met)
        written = Written(orders=len(fresh), lines=sum(len(o.draft.lines) for o in fresh),
                          payments=sum(len(o.draft.payments) for o in fresh), customers=created,
                          orders_present=len(present))
        return Chunk(orders, written=written, copy_data=self._copy_data(fresh, ids))

    def write(self, chunk: Chunk) -> Written:
        for attempt in range(1, RETRIES + 1):
            try:
                with transaction.atomic():
                    connection.ensure_connection()
                    with connection.connection.cursor() as cursor:
                        # A chunk's commit need not wait for the disk: the run's audit entry
                        # commits synchronously at the end, which makes every earlier commit
                        # durable too (one WAL). A crash before it loses chunks of a run
                        # that never reported success, and a re-run writes them again.
                        cursor.execute("SET LOCAL synchronous_commit = off")
                        for statement, data in zip(COPIES, chunk.copy_data, strict=True):
                            if data:
                                with cursor.copy(statement) as copy:
                                    copy.write(data)
                return chunk.written
            except psycopg.errors.UniqueViolation:
                if attempt == RETRIES:
                    raise
                # Another writer stored some of these numbers since `prepare` asked.
                chunk = self.prepare(chunk.orders)
        raise AssertionError("unreachable")

    def _customers(self, cursor, orders: list[ImportedOrder]) -> tuple[dict, int]:
        """Ids and languages of the customers this run has not met yet, after creating
        them or filling in their blanks."""
        known, unmet = self.customers, {}
        for order in orders:
            email = order.draft.customer.email
            if email not in known and email not in unmet:
                unmet[email] = order
        if not unmet:
            return {}, 0
        emails = sorted(unmet)
        details = [customer_fields(unmet[email]) for email in emails]
        cursor.execute(CUSTOMERS_UPSERT, {
            "store": self.store.pk, "emails": emails, "names": [d["name"] for d in details],
            "phones": [d["phone"] for d in details], "languages": [d["language"] for d in details],
            "countries": [d["country"] for d in details]})
        created = sum(1 for (inserted,) in cursor.fetchall() if inserted)
        cursor.execute(CUSTOMERS_FIND, {"store": self.store.pk, "emails": emails})
        return {email: (pk, language) for email, pk, language in cursor.fetchall()}, created

    def _copy_data(self, fresh: list[ImportedOrder], ids: list[int]) -> tuple[bytes, ...]:
        store_id, customers, from_catalog = self.store.pk, self.customers, self.from_catalog
        now, default_language = timezone.now().isoformat(), self.store.default_language
        orders, lines, payments = [], [], []
        for pk, order in zip(ids, fresh, strict=True):
            draft, totals = order.draft, order.totals
            customer_id, customer_language = customers[draft.customer.email]
            language = draft.language or customer_language or default_language
            address = json.dumps(draft.shipping_address.as_dict(), ensure_ascii=False)
            delivered = order.delivered_at.isoformat() if order.delivered_at else NULL
            orders.append(
                f"{pk}\t{store_id}\t{copy_text(order.number)}\t{customer_id}\t"
                f"{copy_text(draft.customer.email)}\t{order.status}\t{draft.currency}\t"
                f"{copy_text(language)}\t{draft.placed_at.isoformat()}\t{copy_text(address)}\t"
                f"{totals['subtotal_minor']}\t{totals['discount_minor']}\t{totals['shipping_minor']}\t"
                f"{totals['tax_minor']}\t{totals['total_minor']}\timport\t{delivered}\t{now}\n")
            included = draft.taxes_included
            for position, line in enumerate(draft.lines):
                variant_and_sku, title, tail = from_catalog[line.sku]
                lines.append(
                    f"{store_id}\t{pk}\t{position}\t{variant_and_sku}\t"
                    f"{copy_text(line.title) if line.title else title}\t{line.quantity}\t"
                    f"{line.unit_price_minor}\t{line.discount_minor}\t{line.tax_minor}\t"
                    f"{line_total(line, taxes_included=included)}\t{tail}\n")
            for p in draft.payments:
                payments.append(
                    f"{store_id}\t{pk}\t{p.method}\t{copy_text(p.gateway)}\t"
                    f"{copy_text(p.reference)}\t{p.amount_minor}\t{draft.currency}\t{p.status}\t{now}\n")
        return tuple("".join(part).encode() for part in (orders, lines, payments))
