"""CSV: one row per order line; the rows of one order share ``order_number`` and follow
each other. Order-level columns are read from the order's first row; later rows may leave
them empty or repeat them, but must not contradict them."""

from collections.abc import Iterable, Iterator
from operator import itemgetter

from rebox.core.errors import FieldError
from rebox.orders.importer.build import order_from_body
from rebox.orders.importer.records import ImportedOrder, RejectedOrder, RowError, StoreFacts

# (column, the field of the order body it fills): the order-level columns.
ORDER_COLUMNS = (
    ("order_number", "number"), ("placed_at", "placed_at"), ("status", "status"),
    ("currency", "currency"), ("language", "language"),
    ("customer_email", "customer.email"), ("customer_name", "customer.name"),
    ("customer_phone", "customer.phone"), ("customer_language", "customer.language"),
    ("ship_to_name", "shipping_address.name"), ("line1", "shipping_address.line1"),
    ("line2", "shipping_address.line2"), ("city", "shipping_address.city"),
    ("postal_code", "shipping_address.postal_code"), ("country", "shipping_address.country"),
    ("ship_to_phone", "shipping_address.phone"),
    ("shipping_minor", "shipping_minor"), ("taxes_included", "taxes_included"),
    ("total_minor", "total_minor"),
    ("payment_method", "payments[0].method"), ("paid_minor", "payments[0].amount_minor"),
    ("payment_gateway", "payments[0].gateway"), ("payment_reference", "payments[0].reference"),
    ("delivered_at", "delivered_at"),
)
LINE_COLUMNS = ("sku", "title", "quantity", "unit_price_minor", "discount_minor", "tax_minor")
COLUMNS = tuple(c for c, _ in ORDER_COLUMNS) + LINE_COLUMNS
REQUIRED = ("order_number", "placed_at", "currency", "customer_email", "line1", "city", "country",
            "sku", "quantity", "unit_price_minor")
_COLUMN_OF = {path: column for column, path in ORDER_COLUMNS} | {
    "customer": "customer_email", "shipping_address": "line1", "lines": "sku",
    "payments": "paid_minor", "payments[0]": "paid_minor", "payments[0].status": "payment_method",
}


def header_problems(columns: list[str]) -> list[str]:
    """Why a header cannot be imported (empty when it can)."""
    problems = []
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        problems.append(f"missing required column(s): {', '.join(missing)}")
    unknown = [c for c in columns if c not in COLUMNS]
    if unknown:
        problems.append(f"unknown column(s): {', '.join(unknown)} (known: {', '.join(COLUMNS)})")
    twice = sorted({c for c in columns if columns.count(c) > 1})
    if twice:
        problems.append(f"column(s) given twice: {', '.join(twice)}")
    return problems


def normalise_header(cells: list[str]) -> list[str]:
    return [cell.strip().lower() for cell in cells]


def orders_from_csv(records: Iterable[list[str]], *, columns: list[str], facts: StoreFacts,
                    seen: dict[str, int]) -> Iterator[ImportedOrder | RejectedOrder]:
    """Orders from the records after the header (row 2 on). ``seen`` maps each order number
    already read to its first row, across calls, to catch an order split in two."""
    width = len(columns)
    position = {name: i for i, name in enumerate(columns)}
    # Absent columns read the empty cell appended to every record at index ``width``.
    order_values = itemgetter(*[position.get(c, width) for c, _ in ORDER_COLUMNS])
    line_values = itemgetter(*[position.get(c, width) for c in LINE_COLUMNS])
    number_at = position["order_number"]
    number, group, broken = None, [], []
    for row, record in enumerate(records, start=2):
        if len(record) != width:
            if not any(record):
                continue  # a blank line
            broken.append(RowError(row, number or "", "", f"has {len(record)} fields; the header "
                                                          f"has {width}"))
            readable = len(record) > number_at
            record = (record + [""] * width)[:width]
            if not readable:  # no order number to go by: spoil the order it sits in
                record[number_at] = number or ""
        elif not any(record):
            continue
        record.append("")
        current = record[number_at].strip()
        if current != number:
            if group:
                yield _order(number, group, broken, order_values, line_values, facts, seen)
                broken = [e for e in broken if e.row == row]
            number, group = current, []
        group.append((row, record))
    if group:
        yield _order(number, group, broken, order_values, line_values, facts, seen)


def _order(number, group, broken, order_values, line_values, facts, seen):
    rows = [row for row, _ in group]
    if number in seen:
        return RejectedOrder(number, rows, [RowError(
            row, number, "order_number", f"order {number} already appeared on row {seen[number]}; "
            "the rows of one order must follow each other and an order appears once") for row in rows])
    if number:
        seen[number] = rows[0]
    first = order_values(group[0][1])
    errors = [RowError(e.row, number, e.field, e.message) for e in broken]
    broken_rows = {e.row for e in broken}
    for row, record in group[1:]:
        values = order_values(record)
        if values != first and row not in broken_rows:
            errors.extend(_contradictions(row, number, first, values, rows[0]))
    if errors:
        return RejectedOrder(number, rows, errors)
    result = order_from_body(_body(first, [line_values(r) for _, r in group]), facts)
    if isinstance(result, list):
        return RejectedOrder(number, rows, _row_errors(result, number, rows))
    result.rows = rows
    return result


def _contradictions(row, number, first, values, first_row) -> list[RowError]:
    return [RowError(row, number, ORDER_COLUMNS[i][0],
                     f"{value.strip()!r} differs from {was.strip()!r} on row {first_row} of the "
                     "same order (order columns may be empty on later rows, or repeat the first)")
            for i, (was, value) in enumerate(zip(first, values, strict=True))
            if value.strip() and value.strip() != was.strip()]


def _body(first: tuple, lines: list[tuple]) -> dict:
    (number, placed_at, status, currency, language, email, name, phone, customer_language,
     ship_to_name, line1, line2, city, postal_code, country, ship_to_phone, shipping, taxes_included,
     total, method, paid, gateway, reference, delivered_at) = first
    return {
        "number": number, "placed_at": placed_at, "status": status, "currency": currency,
        "language": language, "delivered_at": delivered_at,
        "customer": {"email": email, "name": name, "phone": phone, "language": customer_language},
        "shipping_address": {"name": ship_to_name, "line1": line1, "line2": line2, "city": city,
                             "postal_code": postal_code, "country": country, "phone": ship_to_phone},
        "shipping_minor": shipping, "taxes_included": taxes_included, "total_minor": total,
        "payments": [{"method": method, "amount_minor": paid, "gateway": gateway,
                      "reference": reference}] if method.strip() or paid.strip() else [],
        "lines": [dict(zip(LINE_COLUMNS, line, strict=True)) for line in lines],
    }


def _row_errors(errors: list[FieldError], number: str, rows: list[int]) -> list[RowError]:
    """Body paths back to rows and columns: ``lines[2].quantity`` is the third row's
    ``quantity``; an order-level field is reported on the order's first row."""
    found = []
    for error in errors:
        if error.field.startswith("lines["):
            index, _, rest = error.field[6:].partition("]")
            row = rows[int(index)] if int(index) < len(rows) else rows[0]
            found.append(RowError(row, number, rest.lstrip("."), error.message))
        else:
            found.append(RowError(rows[0], number, _COLUMN_OF.get(error.field, error.field),
                                  error.message))
    return found
