"""JSON Lines: one order per line, shaped as the POST /api/v1/orders body (``OrderIn``)
with ``number`` and ``placed_at`` required, plus optional ``status`` and ``delivered_at``."""

import json
from collections.abc import Iterable, Iterator

from rebox.orders.importer.build import order_from_body
from rebox.orders.importer.records import ImportedOrder, RejectedOrder, RowError, StoreFacts

EXTRA_FIELDS = ("status", "delivered_at")


def orders_from_jsonl(lines: Iterable[str], *, facts: StoreFacts,
                      seen: dict[str, int]) -> Iterator[ImportedOrder | RejectedOrder]:
    """Orders from the lines of the file (line 1 on); blank lines are skipped."""
    for row, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if "\\u0000" in line:
            yield RejectedOrder("", [row], [RowError(row, "", "", "contains a NUL character (\\u0000)")])
            continue
        try:
            body = json.loads(line)
        except ValueError as exc:
            yield RejectedOrder("", [row], [RowError(row, "", "", f"not valid JSON: {exc}")])
            continue
        if not isinstance(body, dict):
            yield RejectedOrder("", [row], [RowError(row, "", "", "must be one JSON object (an order)")])
            continue
        number = body.get("number")
        number = number.strip() if isinstance(number, str) else ""
        if number in seen:
            yield RejectedOrder(number, [row], [RowError(
                row, number, "number", f"order {number} already appeared on line {seen[number]}")])
            continue
        if number:
            seen[number] = row
        result = order_from_body(body, facts)
        if isinstance(result, list):
            yield RejectedOrder(number, [row], [RowError(row, number, e.field, e.message)
                                                for e in result])
        else:
            result.rows = [row] * len(result.draft.lines)
            yield result
