"""How Rebox's PostgreSQL sessions are set up."""

import pytest
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_sessions_run_without_jit_compilation():
    """A JIT compile costs tens of milliseconds and triggers on estimated costs, which stale
    statistics can inflate; Rebox's short statements never gain from it."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
