"""Bulk import of historical orders: ``rebox import-orders FILE --store SLUG``.

Modules, in the order a file meets them: ``sniff`` looks at the whole file first
(format, encoding, delimiter, header); ``csv_source`` and ``jsonl_source`` turn rows into
order bodies and ``build`` checks one (these three use no ORM); ``writer`` picks
``pg_writer`` (COPY) or ``orm_writer`` (bulk_create, SQLite); ``pipeline`` overlaps reading
with writing; ``run`` ties them together, writes the error report and the audit entry.

The file format, as ``rebox import-orders --help`` shows it:
"""

FORMAT_HELP = """\
Imports historical orders into a store, e.g. from the shop system a store is leaving.

FORMATS (told apart by the extension: .csv/.tsv/.txt or .jsonl/.ndjson; --format overrides)

CSV, UTF-8 (a UTF-8 byte-order mark is fine), comma-separated (--delimiter to change; .tsv
means tabs), a header row, then ONE ROW PER ORDER LINE. The rows of one order share
order_number and follow each other. Order columns are read from the order's first row;
later rows may leave them empty or repeat them, but not contradict them.
  required   order_number, placed_at, currency, customer_email, line1, city, country,
             sku, quantity, unit_price_minor
  order      status, language, customer_name, customer_phone, customer_language,
             ship_to_name (default: customer_name), line2, postal_code, ship_to_phone,
             shipping_minor, taxes_included (true/false), total_minor (checked if given),
             payment_method, paid_minor, payment_gateway, payment_reference, delivered_at
  line       title (default: the catalog's), discount_minor, tax_minor (per whole line)
JSON Lines: one order per line, shaped as the POST /api/v1/orders body (OrderIn) with
"number" and "placed_at" required, plus optional "status" and "delivered_at".

VALUES  Amounts are whole numbers of minor units (1250 for 12.50). Times are ISO 8601;
without an offset they are read in the store's time zone. status is one of pending, paid,
processing, partially_shipped, shipped, delivered, cancelled; when empty: delivered if
delivered_at is given, paid if there is a payment, else pending. payment_method is one of
card, gift_card, store_credit, paypal, bank_transfer, cash_on_delivery, other.

CHECKS  Required fields, lengths, email, ISO currency and country codes, SKUs known in the
store's catalog (inactive variants count), quantities 1-10000, totals and payments adding
up (line total = quantity x unit price - discount + tax unless taxes_included; payments
must equal lines + shipping), status against payments and delivery, no dates in the future.

WHAT HAPPENS  The whole file is checked for encoding, delimiter and header first; if that
fails, nothing is imported and the command exits 1. Then a bad order is skipped whole, its
rows listed in FILE.errors.csv beside the input (row, order_number, field, message; row 1
is the CSV header, JSON Lines rows are line numbers), and the good orders are imported in
chunks, each in its own transaction. An order whose number the store already has is
skipped, so running the same file again creates nothing twice and completes a run that
was interrupted. Customers are matched by email: new ones are created, existing ones only
get blank details filled in. Imported orders are history: they DO NOT RESERVE STOCK, send
no emails or webhooks, and the run is audited as one entry (subject "import").

EXIT STATUS  0 all imported (or already there), 1 file refused or import stopped,
2 imported but some orders refused (see the error report).
"""

__doc__ += "\n" + FORMAT_HELP
