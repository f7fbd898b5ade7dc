"""Every index on a table that each order writes to is paid for on every insert, so none
may be only the first columns of another index there: that other index answers the same
lookups. (Django gives each ForeignKey an index of its own unless told db_index=False.)
"""

import pytest
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

# The tables POST /orders inserts into for every order (rebox/orders/pg_create.py)
WRITTEN_PER_ORDER = ("orders_order", "orders_orderline", "orders_payment",
                     "inventory_stockmovement", "core_auditentry", "core_outboxevent",
                     "core_idempotencyrecord")


def _indexes(table: str) -> dict[str, tuple[list[str], bool, bool]]:
    """name -> (columns in order, unique, partial)"""
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT i.relname, ARRAY(SELECT a.attname FROM unnest(x.indkey) WITH ORDINALITY k(n, o)
                                    JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.n
                                    ORDER BY k.o),
                   x.indisunique, x.indpred IS NOT NULL
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
            WHERE x.indrelid = %s::regclass""", [table])
        return {name: (columns, unique, partial) for name, columns, unique, partial in cursor}


def _covered(table: str) -> list[str]:
    indexes = _indexes(table)
    return [f"{name} {columns} is the start of {other} {other_columns}"
            for name, (columns, unique, partial) in indexes.items()
            if not unique and not partial
            for other, (other_columns, _, other_partial) in indexes.items()
            if other != name and not other_partial and len(other_columns) > len(columns)
            and other_columns[:len(columns)] == columns]


@pytest.mark.parametrize("table", WRITTEN_PER_ORDER)
def test_no_index_on_a_table_written_per_order_is_covered_by_another(table):
    assert _indexes(table), f"{table} has no indexes: is the table name right?"
    assert _covered(table) == []


def test_a_covered_index_is_noticed():
    with connection.cursor() as cursor:
        cursor.execute("CREATE INDEX test_covered_line_order ON orders_orderline (order_id)")
    assert _covered("orders_orderline") == [
        "test_covered_line_order ['order_id'] is the start of line_position_per_order "
        "['order_id', 'position']"]
