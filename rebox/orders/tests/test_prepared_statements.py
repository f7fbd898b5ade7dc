"""The hot order statements run prepared on PostgreSQL, and plain when that is turned off."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from rebox.orders import detail_sql
from rebox.orders.pg import Statement
from rebox.testing import make_variant, order_payload

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

ADD = Statement("rebox_test_add", "SELECT $1 + $2, $3 || '%'", ("integer", "integer", "text"))


def _prepared_here() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.parametrize("prepared", [True, False])
def test_a_statement_gives_the_same_answer_prepared_or_plain(settings, prepared):
    settings.REBOX_DB_PREPARED_STATEMENTS = prepared
    with CaptureQueriesContext(connection) as queries, connection.cursor() as cursor:
        ADD.execute(cursor, [2, 3, "50"])
        assert cursor.fetchone() == (5, "50%")
    assert queries.captured_queries[-1]["sql"].startswith("EXECUTE rebox_test_add") is prepared
    if prepared:
        assert "rebox_test_add" in _prepared_here()


def test_a_statement_the_session_lost_is_prepared_again_next_time():
    with connection.cursor() as cursor:
        ADD.execute(cursor, [1, 1, "a"])
        cursor.execute("DEALLOCATE ALL")  # as a pooler handing over another session would
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        ADD.execute(cursor, [1, 1, "a"])
    with connection.cursor() as cursor:
        ADD.execute(cursor, [1, 2, "b"])
        assert cursor.fetchone() == (3, "b%")


def test_a_statement_refuses_the_wrong_number_of_parameters():
    with pytest.raises(ValueError), connection.cursor() as cursor:
        ADD.execute(cursor, [1, 2])


@pytest.mark.parametrize("prepared", [True, False])
def test_the_order_read_is_the_same_prepared_or_plain(api, store, settings, prepared):
    settings.REBOX_DB_PREPARED_STATEMENTS = prepared
    make_variant(store, "P-1", price_minor=1_000, stock=5)
    created = api.post("/orders", order_payload(("P-1", 2, 1_000), number="PREP"))

    read = api.get("/orders/PREP")

    assert read.status_code == 200
    assert read.json() == created.json()
    assert detail_sql.order_detail_json(store_id=store.pk, number="NONE") is None
