"""Writing checked orders, a chunk (5,000 orders) per transaction, so that a crash loses
at most the chunk in flight and a re-run completes it: an order whose number the store
already has is skipped with its lines and payments, never written twice or changed.

Each writer has two steps. ``prepare`` works out what the chunk needs: customers (created
by (store, email), or blanks filled in), which orders are new, and on PostgreSQL their ids
and the COPY data. ``write`` stores the new orders, lines and payments in one transaction.
The run prepares chunk N+1 while a second thread writes chunk N (``run._Beside``).

``PostgresWriter`` COPYs straight into the tables; ``OrmWriter`` uses ``bulk_create`` for
SQLite (the embedded mode) and wherever a second connection cannot be used.

Imported orders are history: they reserve no stock and publish no outbox events (no
emails, no webhooks), and they get no per-order audit entry (one entry covers the run).
"""

from django.db import connection

from rebox.core.models import Store
from rebox.orders.importer.catalog import CatalogEntry
from rebox.orders.importer.orm_writer import OrmWriter
from rebox.orders.importer.pg_writer import PostgresWriter


def writer_for(store: Store, catalog: dict[str, CatalogEntry]) -> PostgresWriter | OrmWriter:
    cls = PostgresWriter if connection.vendor == "postgresql" else OrmWriter
    return cls(store, catalog)
