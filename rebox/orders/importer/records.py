"""What the importer produces and needs, as plain data (no ORM): a checked order, a
rejected one with its row errors, the facts about the store that checking needs."""

from collections.abc import Container
from dataclasses import dataclass, field, fields
from datetime import datetime, tzinfo

from rebox.core.errors import ApplicationError
from rebox.orders.drafts import OrderDraft


class ImportFileRefused(ApplicationError):
    """The file as a whole cannot be read as orders (encoding, delimiter, header): nothing
    was imported. The message names the problem and how to fix it."""

    code = "import_file_refused"
    title = "The import file cannot be read"


class ImportInterrupted(ApplicationError):
    """The import stopped part-way (a write failed, or the file became unreadable): the
    chunks written before stay, and running the same file again completes the import."""

    code = "import_interrupted"
    title = "The import stopped part-way"


@dataclass(frozen=True, slots=True)
class RowError:
    """One line of the error report. ``row`` is the CSV record (the header is row 1, as a
    spreadsheet shows it) or the JSON Lines line number."""

    row: int
    order_number: str
    field: str
    message: str


@dataclass(slots=True)
class ImportedOrder:
    """An order that passed every check; ``rows[i]`` is where ``draft.lines[i]`` came from."""

    number: str
    rows: list[int]
    draft: OrderDraft
    status: str
    delivered_at: datetime | None
    totals: dict[str, int]  # rules.order_totals of the draft


@dataclass(slots=True)
class RejectedOrder:
    number: str
    rows: list[int]
    errors: list[RowError]

    def report(self) -> list[RowError]:
        """Its errors, plus one line for each of its rows that was skipped only because a
        sibling row was wrong, so that every row not imported appears in the report."""
        with_errors = {e.row for e in self.errors}
        where = ", ".join(str(r) for r in sorted(with_errors)) or "?"
        skipped = [RowError(row, self.number, "", f"not imported: order {self.number} has errors "
                                                  f"on row {where}")
                   for row in sorted(set(self.rows) - with_errors)]
        return sorted(self.errors + skipped, key=lambda e: e.row)


@dataclass(frozen=True)
class StoreFacts:
    """What checking an order needs to know about the store."""

    skus: Container[str]
    languages: frozenset[str]
    time_zone: tzinfo
    now: datetime


# Longest values the tables and the API accept (mirrors the models; a test keeps them equal).
MAX_LENGTH = {
    "number": 64, "email": 254, "customer_name": 200, "phone": 40, "language": 8,
    "address_name": 200, "line1": 200, "line2": 200, "city": 100, "postal_code": 20,
    "sku": 64, "title": 300, "gateway": 40, "reference": 200,
    "code": 64,  # currency, country, status, method: checked against their lists afterwards
}
MAX_QUANTITY = 10_000
MAX_LINES = 500
MAX_PAYMENTS = 20
PAYMENT_METHODS = frozenset({"card", "gift_card", "store_credit", "paypal", "bank_transfer",
                             "cash_on_delivery", "other"})
PAYMENT_STATUSES = frozenset({"captured", "authorized"})


@dataclass
class Written:
    """What a chunk (or a run) wrote."""

    orders: int = 0
    lines: int = 0
    payments: int = 0
    customers: int = 0
    orders_present: int = 0  # skipped: the store already had their numbers

    def add(self, other: "Written") -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


@dataclass
class Chunk:
    """Orders on their way to the database: ``prepare`` has done what can be done beside
    the write (on PostgreSQL: customers, new ids, the COPY data), ``write`` does the rest."""

    orders: list[ImportedOrder]
    written: Written = field(default_factory=Written)
    copy_data: tuple[bytes, ...] = ()

    @property
    def rows(self) -> tuple[int, int]:
        return self.orders[0].rows[0], self.orders[-1].rows[-1]
