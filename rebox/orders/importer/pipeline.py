"""Chunks from the reading thread to the database: written in place, or by writer
threads while the reading thread reads and prepares the next chunk."""

import queue
import threading
from collections.abc import Callable

import psycopg
from django.db import DatabaseError, connection

from rebox.orders.importer.records import Chunk, ImportedOrder, ImportInterrupted, Written

WRITER_THREADS = 2


def _guarded(step: Callable, argument, rows: tuple[int, int]):
    try:
        return step(argument)
    except (DatabaseError, psycopg.Error) as exc:
        first, last = rows
        raise ImportInterrupted(
            f"Rows {first}–{last} could not be written ({exc}). Other chunks may be "
            "imported; fix the cause and run the same file again: it skips what is there."
        ) from exc


def _rows(orders: list[ImportedOrder]) -> tuple[int, int]:
    return orders[0].rows[0], orders[-1].rows[-1]


class InPlace:
    """Prepares and writes each chunk as it comes (inside a caller's transaction, or on
    SQLite)."""

    def __init__(self, writer):
        self.writer = writer
        self.written = Written()

    def submit(self, orders: list[ImportedOrder]) -> None:
        chunk = _guarded(self.writer.prepare, orders, _rows(orders))
        self.written.add(_guarded(self.writer.write, chunk, chunk.rows))

    def finish(self) -> Written:
        return self.written

    def close(self) -> None:
        pass


class Beside:
    """Prepares each chunk here and writes it in other threads, each on its own database
    connection, while this one reads the next: the database's work and Python's overlap
    (psycopg lets go of the GIL while it waits for the server). Chunks are independent
    (distinct order numbers), so two writers never wait for each other; most of the
    database's work is checking foreign keys at commit, which two backends share."""

    def __init__(self, writer, *, threads: int = WRITER_THREADS):
        self.writer = writer
        self.written = Written()
        self.lock = threading.Lock()
        self.error: BaseException | None = None
        self.queue: queue.Queue[Chunk | None] = queue.Queue(maxsize=threads)
        self.threads = [threading.Thread(target=self._run, name=f"rebox-import-writer-{n}",
                                         daemon=True) for n in range(threads)]
        for thread in self.threads:
            thread.start()

    def _run(self) -> None:
        try:
            while (chunk := self.queue.get()) is not None:
                if self.error is None:
                    try:
                        written = _guarded(self.writer.write, chunk, chunk.rows)
                    except BaseException as exc:  # handed to the reading thread
                        with self.lock:
                            self.error = self.error or exc
                    else:
                        with self.lock:
                            self.written.add(written)
        finally:
            connection.close()

    def submit(self, orders: list[ImportedOrder]) -> None:
        if self.error is not None:
            self.finish()
        self.queue.put(_guarded(self.writer.prepare, orders, _rows(orders)))

    def finish(self) -> Written:
        self.close()
        if self.error is not None:
            raise self.error
        return self.written

    def close(self) -> None:
        """Let the chunks in flight finish, then stop (also when reading failed)."""
        running = [thread for thread in self.threads if thread.is_alive()]
        for _ in running:
            self.queue.put(None)
        for thread in running:
            thread.join()


def sink_for(writer) -> InPlace | Beside:
    # A second thread needs its own connection, which sees only committed rows: not when
    # the caller holds a transaction open (tests do), and SQLite has one writer anyway.
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        return Beside(writer)
    return InPlace(writer)
