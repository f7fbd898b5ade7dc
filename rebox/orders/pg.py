"""Named prepared statements on PostgreSQL, for the hot API paths (order read, order write).

Django opens its psycopg connections with prepared statements off, so every query is
parsed and planned again. For the one-statement order read and the few-statement order
write, that costs more than running them (measured: the order read drops from ~0.7 to
~0.2 ms of database CPU). A `Statement` is PREPAREd once per database session, the first
time it runs there, and then only EXECUTEd. PREPARE is not transactional (a rollback
keeps it), and a session that is closed takes its statements with it: a new connection
object starts with none.

Behind a pooler that moves sessions between clients (PgBouncer in transaction mode), set
REBOX_DB_PREPARED_STATEMENTS=0: the same SQL then runs as plain queries.
"""

import re
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection

# psycopg connection -> names prepared on it
_prepared: "weakref.WeakKeyDictionary[object, set[str]]" = weakref.WeakKeyDictionary()

_PLACEHOLDER = re.compile(r"\$(\d+)")


def enabled() -> bool:
    return connection.vendor == "postgresql" and getattr(
        settings, "REBOX_DB_PREPARED_STATEMENTS", True)


@dataclass(frozen=True)
class Statement:
    """SQL with PostgreSQL's own placeholders ($1, $2 ...) and a type for each of them."""

    name: str
    sql: str
    types: tuple[str, ...]
    _execute: str = field(init=False, repr=False)
    _plain: str = field(init=False, repr=False)

    def __post_init__(self):
        casts = ", ".join(f"%s::{t}" for t in self.types)
        object.__setattr__(self, "_execute", f"EXECUTE {self.name}({casts})")
        # The same statement as a plain query: $n becomes a cast parameter.
        object.__setattr__(self, "_plain", _PLACEHOLDER.sub(
            lambda m: f"(%({m.group(1)})s::{self.types[int(m.group(1)) - 1]})",
            self.sql.replace("%", "%%")))

    def execute(self, cursor, params: Sequence) -> None:
        """Run on ``cursor`` (a Django cursor of the default connection)."""
        if len(params) != len(self.types):
            raise ValueError(f"{self.name} takes {len(self.types)} parameters, not {len(params)}")
        if not enabled():
            cursor.execute(self._plain, {str(i): p for i, p in enumerate(params, 1)})
            return
        raw = connection.connection
        names = _prepared.get(raw)
        if names is None:
            names = _prepared[raw] = set()
        if self.name not in names:
            cursor.execute(f"PREPARE {self.name}({', '.join(self.types)}) AS {self.sql}")
            names.add(self.name)
        try:
            cursor.execute(self._execute, list(params))
        except Exception as exc:
            if getattr(getattr(exc, "__cause__", None), "sqlstate", None) == "26000":
                # The session lost its statements (DISCARD ALL, a pooler): prepare each
                # again when next used.
                names.clear()
            raise
