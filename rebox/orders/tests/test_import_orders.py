"""`rebox import-orders`: what reaches the database, what is reported, what is refused."""

import csv
import json
import threading

import psycopg
import pytest
from django.core.management import CommandError, call_command

from rebox.bench.import_case import csv_write
from rebox.core.models import AuditEntry, OutboxEvent
from rebox.inventory.models import StockLevel
from rebox.orders.importer import run as importer_run
from rebox.orders.importer.orm_writer import OrmWriter
from rebox.orders.importer.run import orders_import
from rebox.orders.models import Customer, Order, OrderLine, Payment
from rebox.testing import make_variant

pytestmark = pytest.mark.django_db

HEADER = ["order_number", "placed_at", "status", "currency", "customer_email", "customer_name",
          "country", "city", "postal_code", "line1", "sku", "quantity", "unit_price_minor",
          "discount_minor", "tax_minor", "shipping_minor", "payment_method", "paid_minor",
          "delivered_at"]


@pytest.fixture
def catalog(store):
    make_variant(store, "TEE-M", price_minor=2_500, stock=5)
    make_variant(store, "MUG", price_minor=900, stock=5)
    return store


def line(number, sku="TEE-M", quantity=1, price=2_500, paid="", **columns) -> dict:
    values = dict.fromkeys(HEADER, "")
    values.update({"order_number": number, "placed_at": "2025-03-01T10:00:00Z", "currency": "EUR",
                   "customer_email": "ana@example.com", "customer_name": "Ana Jensen",
                   "country": "DK", "city": "København", "postal_code": "1165",
                   "line1": "Nørregade 1", "sku": sku, "quantity": quantity,
                   "unit_price_minor": price, "payment_method": "card" if paid else "",
                   "paid_minor": paid})
    values.update(columns)
    return values


def write_csv(path, rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, HEADER)
        writer.writeheader()
        writer.writerows(rows)


def read_report(path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as report:
        return list(csv.DictReader(report))


@pytest.fixture
def mixed_file(tmp_path):
    path = tmp_path / "orders.csv"
    write_csv(path, [
        line("H1", "TEE-M", 2, paid=6_800, shipping_minor=900),  # row 2
        line("H1", "MUG", 1, 900),                                # row 3: order columns left empty
        line("H2", "NOPE", paid=2_500),                           # row 4
        line("H3", "TEE-M", paid=2_000),                          # row 5
        line("H3", "MUG", price=900),                             # row 6
        line("H4", "MUG", price=900, customer_email="bo@example.com",
             delivered_at="2025-03-04T12:00:00Z"),                # row 7
        line("H5", "MUG", quantity="2.5"),                        # row 8
    ])
    return path


def test_good_orders_are_imported_and_bad_ones_reported_beside_the_file(catalog, mixed_file):
    with pytest.raises(CommandError) as failed:
        call_command("import_orders", str(mixed_file), "--store", "shop", "--no-progress")

    assert failed.value.returncode == 2
    assert sorted(Order.objects.values_list("number", "status", "source")) == [
        ("H1", "paid", "import"), ("H4", "delivered", "import")]
    h1 = Order.objects.get(number="H1")
    assert (h1.subtotal_minor, h1.shipping_minor, h1.total_minor) == (5_900, 900, 6_800)
    assert [(x.sku, x.quantity, x.total_minor, x.position) for x in h1.lines.all()] == [
        ("TEE-M", 2, 5_000, 0), ("MUG", 1, 900, 1)]
    assert h1.lines.first().title == "Item TEE-M" and h1.lines.first().category_slug == "tops"
    assert list(h1.payments.values_list("method", "amount_minor", "currency")) == [("card", 6_800, "EUR")]
    assert (h1.email, h1.language, h1.shipping_address["city"]) == ("ana@example.com", "en", "København")
    report = read_report(mixed_file.with_name("orders.csv.errors.csv"))
    assert [(r["row"], r["order_number"], r["field"], r["message"]) for r in report] == [
        ("4", "H2", "sku", "unknown SKU 'NOPE' in this store"),
        ("5", "H3", "paid_minor", "payments add up to 2000, the order to 3400"),
        ("6", "H3", "", "not imported: order H3 has errors on row 5"),
        ("8", "H5", "quantity", "must be a whole number, not '2.5'"),
    ]


def test_imported_orders_reserve_no_stock_and_tell_nobody(catalog, mixed_file):
    orders_import(store=catalog, path=mixed_file)

    assert sorted(StockLevel.objects.values_list("on_hand", "reserved")) == [(5, 0), (5, 0)]
    assert not OutboxEvent.objects.filter(topic="order.placed").exists()


def test_running_the_same_file_again_creates_nothing_twice(catalog, mixed_file):
    first = orders_import(store=catalog, path=mixed_file)
    second = orders_import(store=catalog, path=mixed_file)

    assert (first.written.orders, first.written.lines, first.written.customers) == (2, 3, 2)
    assert (second.written.orders, second.written.lines, second.written.orders_present) == (0, 0, 2)
    assert (Order.objects.count(), OrderLine.objects.count(), Payment.objects.count(),
            Customer.objects.count()) == (2, 3, 1, 2)


def test_the_run_is_audited_once(catalog, mixed_file):
    orders_import(store=catalog, path=mixed_file)
    orders_import(store=catalog, path=mixed_file)

    entries = AuditEntry.objects.filter(store=catalog, subject_type="import").order_by("id")
    assert [(e.action, e.subject_id) for e in entries] == [("orders.imported", 1), ("orders.imported", 2)]
    assert entries[0].details["orders_created"] == 2 and entries[0].details["orders_rejected"] == 3
    assert entries[1].details["orders_already_present"] == 2
    assert len(entries[0].details["sha256"]) == 64
    assert not AuditEntry.objects.filter(subject_type="order").exists()


def test_an_existing_customer_keeps_its_details_and_gets_blanks_filled(catalog, tmp_path):
    Customer.objects.create(store=catalog, email="ana@example.com", name="Ana J.", country="")
    path = tmp_path / "orders.csv"
    write_csv(path, [line("C1", customer_email="ANA@example.com", customer_name="Ana Jensen")])

    orders_import(store=catalog, path=path)

    customer = Customer.objects.get()
    assert (customer.name, customer.country) == ("Ana J.", "DK")
    assert Order.objects.get().customer == customer


@pytest.mark.parametrize("writer", ["database's own", "orm"])
def test_chunks_are_written_by_either_writer_alike(catalog, tmp_path, monkeypatch, writer):
    if writer == "orm":
        monkeypatch.setattr(importer_run, "writer_for", OrmWriter)
    path = tmp_path / "orders.csv"
    write_csv(path, [line(f"K{n}", "MUG", price=900, customer_email=f"c{n % 3}@example.com",
                          paid=900) for n in range(7)])
    orders_import(store=catalog, path=path, chunk_orders=3)

    result = orders_import(store=catalog, path=path, chunk_orders=2)

    assert Order.objects.count() == 7 and Customer.objects.count() == 3
    assert result.written.orders_present == 7
    assert sorted(Order.objects.values_list("customer__email", flat=True))[:3] == ["c0@example.com"] * 3


def test_json_lines_import_the_api_order_shape(catalog, tmp_path):
    good = {"number": "J1", "placed_at": "2025-03-01T10:00:00Z", "currency": "EUR",
            "customer": {"email": "ana@example.com", "name": "Ana"},
            "shipping_address": {"line1": "Nørregade 1", "city": "København", "country": "DK"},
            "lines": [{"sku": "TEE-M", "quantity": 2, "unit_price_minor": 2_500,
                       "discount_minor": 500}],
            "payments": [{"method": "card", "amount_minor": 4_500}],
            "status": "delivered", "delivered_at": "2025-03-03T10:00:00Z"}
    bad = {**good, "number": "J2", "lines": [{"sku": "MUG", "quantity": 1, "unit_price_minor": -1}]}
    path = tmp_path / "orders.jsonl"
    path.write_text(json.dumps(good) + "\n\n" + json.dumps(bad) + "\n", encoding="utf-8")

    result = orders_import(store=catalog, path=path)

    order = Order.objects.get()
    assert (order.number, order.status, order.total_minor) == ("J1", "delivered", 4_500)
    assert order.delivered_at.isoformat() == "2025-03-03T10:00:00+00:00"
    assert [(r["row"], r["field"]) for r in read_report(result.error_report)] == [
        ("3", "lines[0].unit_price_minor")]


# Whole files refused: ~10 MB, the problem at the very end, and nothing imported.

@pytest.fixture
def big_csv(catalog, tmp_path):
    path = tmp_path / "big.csv"
    csv_write(path, lines=64_000, skus=["BI-0001", "BI-0002", "BI-0003"])
    text = path.read_text(encoding="utf-8").replace("København", "Copenhagen")
    assert len(text) > 10_000_000
    return path, text


def refused(path, *options) -> str:
    with pytest.raises(CommandError) as failed:
        call_command("import_orders", str(path), "--store", "shop", "--no-progress", *options)
    assert failed.value.returncode == 1
    assert Order.objects.count() == 0 and Customer.objects.count() == 0
    assert not path.with_name(path.name + ".errors.csv").exists()
    return str(failed.value)


def test_a_big_latin1_file_is_refused_naming_the_encoding(big_csv):
    path, text = big_csv
    last = text.rstrip("\n").rsplit("\n", 1)[1].replace("Copenhagen", "Århus")
    path.write_bytes(text.encode("utf-8") + last.encode("latin-1") + b"\n")

    message = refused(path)

    assert message.startswith("big.csv is not valid utf-8: line ")
    assert "byte 0xC5" in message and "--encoding cp1252" in message
    assert message.endswith("Nothing was imported.")


def test_a_big_utf16_file_is_refused_naming_the_encoding(big_csv):
    path, text = big_csv
    path.write_text(text, encoding="utf-16")

    assert "big.csv is UTF-16 text" in refused(path)


def test_a_big_semicolon_file_is_refused_naming_the_delimiter(big_csv):
    path, text = big_csv
    path.write_text(text.replace(",", ";"), encoding="utf-8")

    message = refused(path)

    assert "separates its columns with semicolons (';'), not commas" in message
    assert "--delimiter ';'" in message


def test_an_unknown_store_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="No store with slug 'nope'"):
        call_command("import_orders", str(tmp_path / "x.csv"), "--store", "nope")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_run_that_stops_part_way_is_completed_by_running_it_again(tmp_path, monkeypatch):
    from rebox.orders.importer.pg_writer import PostgresWriter
    from rebox.orders.importer.run import ImportInterrupted
    from rebox.testing import make_location, make_store

    shop = make_store("shop")
    make_location(shop)
    make_variant(shop, "MUG", price_minor=900, stock=0)
    path = tmp_path / "orders.csv"
    write_csv(path, [line(f"K{n}", "MUG", price=900, paid=900) for n in range(7)])
    writers, write = set(), PostgresWriter.write

    def fail_on_the_third_chunk(self, chunk):
        if "K4" in {order.number for order in chunk.orders}:
            raise psycopg.errors.DiskFull("could not extend file")
        writers.add(threading.current_thread().name)
        return write(self, chunk)

    monkeypatch.setattr(PostgresWriter, "write", fail_on_the_third_chunk)
    with pytest.raises(ImportInterrupted, match=r"Rows 6–7 could not be written \(could not extend"):
        orders_import(store=shop, path=path, chunk_orders=2)
    assert writers and writers <= {"rebox-import-writer-0", "rebox-import-writer-1"}  # not the reader
    numbers = set(Order.objects.values_list("number", flat=True))
    assert {"K0", "K1", "K2", "K3"} <= numbers and not numbers & {"K4", "K5"}

    monkeypatch.setattr(PostgresWriter, "write", write)
    result = orders_import(store=shop, path=path, chunk_orders=2)

    assert (result.written.orders, result.written.orders_present) == (7 - len(numbers), len(numbers))
    assert sorted(Order.objects.values_list("number", flat=True)) == [f"K{n}" for n in range(7)]


def test_a_quote_never_closed_stops_the_run_after_the_orders_before_it(catalog, tmp_path):
    from rebox.orders.importer.run import ImportInterrupted

    path = tmp_path / "orders.csv"
    write_csv(path, [line(f"Q{n:02}") for n in range(60)])
    with path.open("a", encoding="utf-8") as out:
        out.write('Q60,2025-03-01T10:00:00Z,,EUR,ana@example.com,"Ana' + " x" * 70_000 + "\n")

    with pytest.raises(ImportInterrupted, match=r"cannot be read as CSV past line 62 \(field larger"):
        orders_import(store=catalog, path=path)
    assert Order.objects.count() == 59 and not Order.objects.filter(number="Q59").exists()


def test_a_quote_never_closed_near_the_top_refuses_the_file(catalog, tmp_path):
    path = tmp_path / "orders.csv"
    write_csv(path, [line("Q1")])
    with path.open("a", encoding="utf-8") as out:
        out.write('Q2,2025-03-01T10:00:00Z,,EUR,ana@example.com,"Ana' + " x" * 70_000 + "\n")

    assert "cannot be read as CSV at line 3 (field larger than field limit" in refused(path)


def test_an_error_report_that_cannot_be_written_refuses_the_file(catalog, tmp_path, mixed_file):
    with pytest.raises(CommandError, match="Cannot write the error report /nonexistent/r.csv"):
        call_command("import_orders", str(mixed_file), "--store", "shop", "--no-progress",
                     "--errors", "/nonexistent/r.csv")
    assert not Order.objects.exists()
