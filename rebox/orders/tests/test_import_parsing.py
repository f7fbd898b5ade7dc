"""The importer's reading and checking, without a database: rows to orders, errors to rows,
and whole files refused before anything is imported."""

import csv
import io
import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from rebox.api.schemas import AddressIn, CustomerIn, LineIn, OrderIn, PaymentIn
from rebox.orders.importer.build import order_from_body
from rebox.orders.importer.csv_source import COLUMNS, orders_from_csv
from rebox.orders.importer.jsonl_source import orders_from_jsonl
from rebox.orders.importer.records import (
    MAX_LENGTH,
    ImportedOrder,
    ImportFileRefused,
    RejectedOrder,
    RowError,
    StoreFacts,
)
from rebox.orders.importer.sniff import inspect_file

FACTS = StoreFacts(skus={"TEE-M", "MUG"}, languages=frozenset({"en", "da"}),
                   time_zone=ZoneInfo("Europe/Copenhagen"), now=datetime(2025, 6, 1, tzinfo=UTC))
HEADER = ["order_number", "placed_at", "currency", "customer_email", "customer_name", "line1",
          "city", "country", "sku", "quantity", "unit_price_minor", "discount_minor",
          "shipping_minor", "payment_method", "paid_minor", "status", "delivered_at"]


def row(number="A1", sku="TEE-M", quantity="1", price="2500", **columns) -> dict:
    values = {"order_number": number, "placed_at": "2025-03-01T10:00:00+00:00", "currency": "EUR",
              "customer_email": "Ana@Example.com", "customer_name": "Ana", "line1": "Nørregade 1",
              "city": "København", "country": "DK", "sku": sku, "quantity": quantity,
              "unit_price_minor": price, "discount_minor": "", "shipping_minor": "",
              "payment_method": "", "paid_minor": "", "status": "", "delivered_at": ""}
    values.update(columns)
    return values


def read_csv(*rows: dict, header=HEADER) -> list:
    records = [[r[c] for c in header] for r in rows]
    return list(orders_from_csv(iter(records), columns=list(header), facts=FACTS, seen={}))


def errors_of(result) -> list[tuple[int, str, str]]:
    return [(e.row, e.field, e.message) for e in result.errors]


def test_the_rows_of_one_order_become_its_lines_in_order():
    (order,) = read_csv(row(sku="TEE-M", quantity="2", payment_method="card", paid_minor="5900"),
                        row(sku="MUG", price="900", payment_method="", paid_minor=""))

    assert isinstance(order, ImportedOrder)
    assert order.rows == [2, 3]
    assert [(line.sku, line.quantity) for line in order.draft.lines] == [("TEE-M", 2), ("MUG", 1)]
    assert order.draft.customer.email == "ana@example.com"
    assert order.draft.shipping_address.name == "Ana"
    assert order.status == "paid"


def test_status_follows_the_facts_when_not_given():
    pending, delivered = read_csv(
        row("P1"), row("D1", payment_method="card", paid_minor="2500",
                       delivered_at="2025-03-04T09:00:00+00:00"))

    assert pending.status == "pending"
    assert delivered.status == "delivered"


def test_a_time_without_offset_is_read_in_the_store_time_zone():
    (order,) = read_csv(row(placed_at="2025-03-01 10:00"))

    assert order.draft.placed_at == datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def test_a_later_row_contradicting_the_order_columns_spoils_the_order():
    (rejected,) = read_csv(row(), row(sku="MUG", currency="DKK"))

    assert isinstance(rejected, RejectedOrder)
    assert errors_of(rejected) == [(3, "currency", "'DKK' differs from 'EUR' on row 2 of the same "
                                    "order (order columns may be empty on later rows, or repeat "
                                    "the first)")]


def test_an_order_whose_rows_are_not_together_is_refused_where_it_comes_back():
    first, other, again = read_csv(row("A1"), row("B1"), row("A1", sku="MUG"))

    assert isinstance(first, ImportedOrder) and isinstance(other, ImportedOrder)
    assert errors_of(again)[0][:2] == (4, "order_number")
    assert "already appeared on row 2" in errors_of(again)[0][2]


def test_line_errors_point_at_their_row_and_column():
    (rejected,) = read_csv(row(quantity="0"), row(sku="NOPE"), row(sku="MUG", price="12.50"))

    assert errors_of(rejected) == [
        (2, "quantity", "must be at least 1"),
        (3, "sku", "unknown SKU 'NOPE' in this store"),
        (4, "unit_price_minor", "must be a whole number of minor units (1250 for 12.50), not '12.50'"),
    ]


def test_payments_must_add_up_to_the_order():
    (rejected,) = read_csv(row(payment_method="card", paid_minor="2400", shipping_minor="100"))

    assert errors_of(rejected) == [(2, "paid_minor", "payments add up to 2400, the order to 2600")]


def test_a_discount_larger_than_the_line_is_refused():
    (rejected,) = read_csv(row(discount_minor="2501"))

    assert errors_of(rejected) == [(2, "discount_minor", "must not exceed quantity × unit price")]


def test_order_facts_a_careful_shop_checks():
    (rejected,) = read_csv(row(currency="EUX", customer_email="ana@", country="Denmark",
                               placed_at="2030-01-01T00:00:00Z", status="delivered"))

    assert {(field, message) for _, field, message in errors_of(rejected)} == {
        ("currency", "'EUX' is not an ISO 4217 currency code"),
        ("customer_email", "'ana@' is not an email address"),
        ("country", "'DENMARK' is not an ISO 3166-1 alpha-2 country code"),
        ("placed_at", "is in the future"),
        ("delivered_at", "is required when the status is delivered (return windows start there)"),
    }


def test_status_must_agree_with_payments_and_delivery():
    unknown, paid_unpaid, delivered_early = read_csv(
        row("S1", status="lost"), row("S2", status="paid"),
        row("S3", payment_method="card", paid_minor="2500", delivered_at="2025-02-01T00:00:00Z"))

    assert errors_of(unknown)[0][1] == "status"
    assert errors_of(paid_unpaid) == [(3, "status", "is paid but the order has no payment")]
    assert errors_of(delivered_early) == [(4, "delivered_at", "is before placed_at")]


def test_a_row_with_the_wrong_number_of_fields_spoils_its_order():
    records = [[row()[c] for c in HEADER], ["A1", "2025-03-01"]]

    (rejected,) = orders_from_csv(iter(records), columns=HEADER, facts=FACTS, seen={})

    assert errors_of(rejected) == [(3, "", f"has 2 fields; the header has {len(HEADER)}")]


def test_the_report_lists_every_row_not_imported():
    (rejected,) = read_csv(row(), row(sku="NOPE"), row(sku="MUG"))

    assert rejected.report() == [
        RowError(2, "A1", "", "not imported: order A1 has errors on row 3"),
        RowError(3, "A1", "sku", "unknown SKU 'NOPE' in this store"),
        RowError(4, "A1", "", "not imported: order A1 has errors on row 3"),
    ]


def test_values_longer_than_the_tables_hold_are_refused():
    (rejected,) = read_csv(row(city="x" * 101))

    assert errors_of(rejected) == [(2, "city", "is longer than 100 characters")]


def api_body(number="J1", **extra) -> dict:
    body = {"number": number, "placed_at": "2025-03-01T10:00:00Z", "currency": "EUR",
            "customer": {"email": "ana@example.com", "name": "Ana"},
            "shipping_address": {"line1": "Nørregade 1", "city": "København", "country": "DK"},
            "lines": [{"sku": "TEE-M", "quantity": 2, "unit_price_minor": 2500}],
            "payments": [{"method": "card", "amount_minor": 5000}]}
    body.update(extra)
    return body


def read_jsonl(*lines: str) -> list:
    return list(orders_from_jsonl(iter(lines), facts=FACTS, seen={}))


def test_json_lines_take_the_api_order_body():
    good, bad_json, not_object, broken = read_jsonl(
        json.dumps(api_body()), "{nope", "[1, 2]",
        json.dumps(api_body("J2", lines=[{"sku": "MUG", "quantity": 1.5, "unit_price_minor": 1}])))

    assert isinstance(good, ImportedOrder) and good.status == "paid" and good.rows == [1]
    assert bad_json.errors[0].message.startswith("not valid JSON")
    assert not_object.errors == [RowError(3, "", "", "must be one JSON object (an order)")]
    assert errors_of(broken) == [(4, "lines[0].quantity", "must be a whole number, not 1.5")]


def test_json_lines_need_a_number_and_a_placing_time():
    body = api_body()
    del body["number"], body["placed_at"]

    (rejected,) = read_jsonl(json.dumps(body))

    assert {e.field for e in rejected.errors} == {"number", "placed_at"}


class ReadKeys(dict):
    """A dict that remembers which keys were asked for."""

    def __init__(self, *args, asked: set, prefix: str = ""):
        super().__init__(*args)
        self.asked, self.prefix = asked, prefix

    def get(self, key, default=None):
        self.asked.add(self.prefix + key)
        return super().get(key, default)


def test_json_lines_read_every_field_of_the_api_order_body():
    asked: set[str] = set()
    body = api_body()
    tracked = ReadKeys(body, asked=asked)
    tracked["customer"] = ReadKeys(body["customer"], asked=asked, prefix="customer.")
    tracked["shipping_address"] = ReadKeys(body["shipping_address"], asked=asked,
                                           prefix="shipping_address.")
    tracked["lines"] = [ReadKeys(body["lines"][0], asked=asked, prefix="lines.")]
    tracked["payments"] = [ReadKeys(body["payments"][0], asked=asked, prefix="payments.")]

    assert isinstance(order_from_body(tracked, FACTS), ImportedOrder)

    expected = set(OrderIn.model_fields) | {
        f"{prefix}.{name}" for prefix, schema in (("customer", CustomerIn),
                                                  ("shipping_address", AddressIn),
                                                  ("lines", LineIn), ("payments", PaymentIn))
        for name in schema.model_fields}
    assert expected - asked == set()


def test_the_length_limits_match_the_tables():
    from rebox.orders.models import Customer, Order, OrderLine, Payment

    def length(model, name):
        return model._meta.get_field(name).max_length

    assert MAX_LENGTH["number"] == length(Order, "number")
    assert MAX_LENGTH["email"] == length(Customer, "email") == length(Order, "email")
    assert MAX_LENGTH["customer_name"] == length(Customer, "name")
    assert MAX_LENGTH["phone"] == length(Customer, "phone")
    assert MAX_LENGTH["language"] == length(Customer, "language") == length(Order, "language")
    assert MAX_LENGTH["sku"] == length(OrderLine, "sku")
    assert MAX_LENGTH["title"] == length(OrderLine, "title")
    assert MAX_LENGTH["gateway"] == length(Payment, "gateway")
    assert MAX_LENGTH["reference"] == length(Payment, "reference")
    for name in ("name", "line1", "line2", "city", "postal_code", "phone"):
        limit = MAX_LENGTH["address_name" if name == "name" else name]
        metadata = AddressIn.model_fields[name].metadata
        assert limit == next(m.max_length for m in metadata if hasattr(m, "max_length"))


# Whole files: refused before anything is read as orders.

def csv_text(delimiter=",", rows=3) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(HEADER)
    for n in range(rows):
        r = row(f"A{n}")
        writer.writerow([r[c] for c in HEADER])
    return out.getvalue()


def test_a_good_csv_is_described(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(csv_text(), encoding="utf-8")

    source = inspect_file(path)

    assert (source.format, source.encoding, source.delimiter, source.lines) == ("csv", "utf-8", ",", 4)
    assert source.columns == HEADER


def test_a_utf8_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(csv_text(), encoding="utf-8-sig")

    assert inspect_file(path).encoding == "utf-8-sig"


@pytest.mark.parametrize("delimiter, name", [(";", "semicolons"), ("\t", "tabs")])
def test_a_csv_with_another_delimiter_is_refused_naming_it(tmp_path, delimiter, name):
    path = tmp_path / "orders.csv"
    path.write_text(csv_text(delimiter), encoding="utf-8")

    with pytest.raises(ImportFileRefused) as refused:
        inspect_file(path)

    assert f"separates its columns with {name} ({delimiter!r}), not commas" in refused.value.detail
    assert "Nothing was imported" in refused.value.detail
    assert inspect_file(path, delimiter=delimiter).delimiter == delimiter


def test_a_latin1_file_is_refused_naming_the_line_and_the_byte(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_bytes(csv_text().replace("København", "Aarhus").encode() +
                     "A9,2025-03-01,EUR,søren@example.com\n".encode("latin-1"))

    with pytest.raises(ImportFileRefused) as refused:
        inspect_file(path)

    assert refused.value.detail.startswith("orders.csv is not valid utf-8: line 5 has the byte 0xF8")
    assert "Latin-1 / Windows-1252" in refused.value.detail
    assert inspect_file(path, encoding="latin-1").encoding == "iso8859-1"


def test_a_utf16_file_is_refused(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(csv_text(), encoding="utf-16")

    with pytest.raises(ImportFileRefused, match="is UTF-16 text"):
        inspect_file(path)
    assert inspect_file(path, encoding="utf-16").columns == HEADER


def test_a_utf16_file_without_byte_order_mark_is_refused(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_bytes(csv_text().encode("utf-16-le"))

    with pytest.raises(ImportFileRefused, match="contains NUL bytes"):
        inspect_file(path)


def test_a_header_without_required_columns_is_refused(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text("order_number,sku,colour\nA1,TEE-M,red\n", encoding="utf-8")

    with pytest.raises(ImportFileRefused) as refused:
        inspect_file(path)

    assert "missing required column(s): placed_at, currency" in refused.value.detail
    assert "unknown column(s): colour" in refused.value.detail


def test_rows_split_differently_from_the_header_are_refused(tmp_path):
    path = tmp_path / "orders.csv"
    text = csv_text(rows=10)
    header, rest = text.split("\n", 1)
    path.write_text(header + "\n" + rest.replace(",", ";"), encoding="utf-8")

    with pytest.raises(ImportFileRefused, match="separates its rows with semicolons"):
        inspect_file(path)


def test_the_format_comes_from_the_extension_or_the_option(tmp_path):
    path = tmp_path / "orders.dat"
    path.write_text(json.dumps(api_body()) + "\n", encoding="utf-8")

    with pytest.raises(ImportFileRefused, match="pass --format csv or --format jsonl"):
        inspect_file(path)
    assert inspect_file(path, file_format="jsonl").format == "jsonl"


def test_a_csv_named_jsonl_is_refused_with_a_hint(tmp_path):
    path = tmp_path / "orders.jsonl"
    path.write_text(csv_text(), encoding="utf-8")

    with pytest.raises(ImportFileRefused, match="It looks like CSV: pass --format csv"):
        inspect_file(path)


def test_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_bytes(b"")

    with pytest.raises(ImportFileRefused, match="is empty"):
        inspect_file(path)


def test_every_documented_column_is_known():
    from rebox.orders.importer import FORMAT_HELP

    assert all(column in FORMAT_HELP for column in COLUMNS)
