"""One import run: look at the file, read it in chunks of orders, write each chunk in its
own transaction, report the rows that were not imported, and audit the run once."""

import csv
import gc
import os
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from rebox.core.actors import SYSTEM, Actor
from rebox.core.audit import audit_record
from rebox.core.models import AuditEntry, Store
from rebox.orders.importer.catalog import catalog_for
from rebox.orders.importer.csv_source import orders_from_csv
from rebox.orders.importer.jsonl_source import orders_from_jsonl
from rebox.orders.importer.pipeline import sink_for
from rebox.orders.importer.records import (
    ImportedOrder,
    ImportFileRefused,
    ImportInterrupted,
    RejectedOrder,
    StoreFacts,
    Written,
)
from rebox.orders.importer.sniff import SourceFile, inspect_file
from rebox.orders.importer.writer import writer_for

__all__ = ["ImportInterrupted", "ImportResult", "orders_import"]

CHUNK_ORDERS = 5_000
REPORT_COLUMNS = ("row", "order_number", "field", "message")


@dataclass
class ImportResult:
    file: Path
    format: str
    orders_read: int
    lines_read: int
    written: Written
    orders_rejected: int
    rows_rejected: int
    error_report: Path | None
    seconds: float

    @property
    def lines_per_second(self) -> float:
        return self.lines_read / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        w = self.written
        text = (f"{self.file.name}: {w.orders} orders imported ({w.lines} lines, {w.payments} "
                f"payments, {w.customers} new customers); {w.orders_present} already there, "
                f"skipped; {self.orders_rejected} refused ({self.rows_rejected} rows). "
                f"{self.lines_read} lines in {self.seconds:.1f} s ({self.lines_per_second:,.0f}/s).")
        if self.error_report:
            text += f" Errors: {self.error_report}"
        return text


def errors_path_for(path: Path) -> Path:
    return path.with_name(path.name + ".errors.csv")


class ErrorReport:
    """The rows not imported, beside the input: row, order_number, field, message. Opened
    on the first error; a stale report from an earlier run is removed at the start."""

    def __init__(self, path: Path):
        if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
            raise ImportFileRefused(f"Cannot write the error report {path}: pass --errors with a "
                                    "place that can be written. Nothing was imported.")
        self.path = path
        self.stream = None
        self.rows: set[int] = set()
        self.orders = 0
        path.unlink(missing_ok=True)

    def add(self, rejected: RejectedOrder) -> None:
        if self.stream is None:
            self.stream = self.path.open("w", encoding="utf-8", newline="")
            self.writer = csv.writer(self.stream)
            self.writer.writerow(REPORT_COLUMNS)
        errors = rejected.report()
        self.writer.writerows((e.row, e.order_number, e.field, e.message) for e in errors)
        self.rows.update(e.row for e in errors)
        self.orders += 1

    def close(self) -> Path | None:
        if self.stream is None:
            return None
        self.stream.close()
        return self.path


def orders_import(*, store: Store, path: Path, file_format: str | None = None,
                  encoding: str | None = None, delimiter: str | None = None,
                  actor: Actor = SYSTEM, errors_path: Path | None = None,
                  chunk_orders: int = CHUNK_ORDERS, progress: bool = False) -> ImportResult:
    """Import historical orders from a CSV or JSON Lines file into ``store``.

    The file is checked as a whole first (format, encoding, delimiter, header); a file that
    fails is refused with ImportFileRefused and nothing is imported. Then each order is
    checked on its own: good orders are imported, a bad one is skipped whole and its rows
    go to the error report. Orders whose number the store already has are skipped, so a
    re-run imports only what is missing. See ``rebox.orders.importer`` for the formats.
    A failing write raises ImportInterrupted; the chunks before it stay imported.
    """
    started = time.perf_counter()
    path = Path(path)
    source = inspect_file(path, file_format=file_format, encoding=encoding, delimiter=delimiter)
    catalog = catalog_for(store)
    facts = StoreFacts(skus=catalog, languages=frozenset(store.languages),
                       time_zone=ZoneInfo(store.time_zone), now=timezone.now())
    report = ErrorReport(Path(errors_path) if errors_path else errors_path_for(path))
    sink = sink_for(writer_for(store, catalog))
    bar = tqdm(total=source.lines, unit=" lines", unit_scale=True, file=sys.stderr,
               disable=not progress, desc=path.name)
    orders_read = lines_read = 0
    try:
        with _fewer_collections(), source.path.open(encoding=source.encoding, newline="") as stream:
            chunk: list[ImportedOrder] = []
            unreadable = None
            for order in _orders(source, stream, facts):
                if isinstance(order, ImportInterrupted):
                    unreadable = order  # raised once the orders read before it are written
                    break
                orders_read += 1
                if isinstance(order, RejectedOrder):
                    report.add(order)
                    lines_read += len(order.rows)
                    continue
                lines_read += len(order.draft.lines)
                chunk.append(order)
                if len(chunk) >= chunk_orders:
                    sink.submit(chunk)
                    bar.update(max(0, chunk[-1].rows[-1] - bar.n))
                    chunk = []
            if chunk:
                sink.submit(chunk)
        written = sink.finish()
        if unreadable:
            raise unreadable
        bar.update(max(0, bar.total - bar.n))
    finally:
        sink.close()
        bar.close()
        error_report = report.close()
    result = ImportResult(file=path, format=source.format, orders_read=orders_read,
                          lines_read=lines_read, written=written, orders_rejected=report.orders,
                          rows_rejected=len(report.rows), error_report=error_report,
                          seconds=time.perf_counter() - started)
    _audit(store=store, actor=actor, source=source, result=result)
    return result


@contextmanager
def _fewer_collections():
    """Chunks hold ~100,000 small objects and none of them forms a cycle: with the default
    thresholds the cyclic collector keeps re-scanning them, costing a third of the time."""
    thresholds = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _orders(source: SourceFile, stream, facts: StoreFacts):
    seen: dict[str, int] = {}
    if source.format == "jsonl":
        yield from orders_from_jsonl(stream, facts=facts, seen=seen)
        return
    records = csv.reader(stream, delimiter=source.delimiter)
    next(records)  # the header, checked by inspect_file
    try:
        yield from orders_from_csv(records, columns=source.columns, facts=facts, seen=seen)
    except csv.Error as exc:  # e.g. a quote never closed: the rest of the file is one field
        yield ImportInterrupted(
            f"{source.path.name} cannot be read as CSV past line {records.line_num} ({exc}). "
            "The orders before it are imported, but for the last, which may go on past it; "
            "fix the file and run it again: it skips what is there.")


def _audit(*, store: Store, actor: Actor, source: SourceFile, result: ImportResult) -> None:
    """One entry for the run, not one per order: at a million orders, per-order entries
    would double the rows written, and an imported order's history predates Rebox. Its
    commit is synchronous, which also makes every chunk committed before it durable."""
    w = result.written
    with transaction.atomic():
        run = AuditEntry.objects.filter(store=store, subject_type="import").count() + 1
        audit_record(store=store, actor=actor, action="orders.imported", subject_type="import",
                     subject_id=run, why=f"imported {source.path.name}", details={
                         "file": source.path.name, "sha256": source.sha256, "format": source.format,
                         "bytes": source.size, "orders_read": result.orders_read,
                         "lines_read": result.lines_read, "orders_created": w.orders,
                         "lines_created": w.lines, "payments_created": w.payments,
                         "customers_created": w.customers, "orders_already_present": w.orders_present,
                         "orders_rejected": result.orders_rejected,
                         "rows_rejected": result.rows_rejected,
                         "error_report": str(result.error_report or ""),
                         "seconds": round(result.seconds, 2)})
