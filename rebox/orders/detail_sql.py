"""One order as JSON in one PostgreSQL statement: the read path of GET /orders/{number}.

The same document as `serializers.order_detail` (a test holds the two equal), built by the
database instead of by six ORM queries and Python loops: under load this path is most of
the endpoint's cost. It runs as a prepared statement (`rebox.orders.pg`): planning it
costs more than running it. SQLite keeps the ORM path.
"""

from django.db import connection

from rebox.orders.pg import Statement


def _iso(column: str) -> str:
    """A timestamp written exactly as Python's isoformat() writes it in UTC (six-digit
    microseconds, none when zero), so both paths give byte-for-byte the same values."""
    utc = f"({column} AT TIME ZONE 'UTC')"
    return (f"(to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN "
            f"mod(date_part('microseconds', {column})::bigint, 1000000) = 0 THEN '' "
            f"ELSE to_char({utc}, '.US') END || '+00:00')")


_ORDER_JSON = """
SELECT json_build_object(
  'number', o.number, 'status', o.status, 'email', o.email, 'currency', o.currency,
  'total_minor', o.total_minor, 'placed_at', {o_placed_at}, 'delivered_at', {o_delivered_at},
  'language', o.language, 'source', o.source, 'customer_name', c.name,
  'shipping_address', o.shipping_address, 'subtotal_minor', o.subtotal_minor,
  'discount_minor', o.discount_minor, 'shipping_minor', o.shipping_minor, 'tax_minor', o.tax_minor,
  'lines', COALESCE((
    SELECT json_agg(json_build_object(
      'id', l.id, 'position', l.position, 'sku', l.sku, 'title', l.title,
      'quantity', l.quantity, 'unit_price_minor', l.unit_price_minor,
      'discount_minor', l.discount_minor, 'tax_minor', l.tax_minor, 'total_minor', l.total_minor,
      'shipped_quantity', COALESCE(shipped.quantity, 0)
    ) ORDER BY l.position)
    FROM orders_orderline l
    -- what went out, summed per line over the order's shipments: found through the
    -- shipments (one index probe) rather than one probe per line
    LEFT JOIN (SELECT sl.order_line_id, sum(sl.quantity) AS quantity
               FROM orders_shipment s JOIN orders_shipmentline sl ON sl.shipment_id = s.id
               WHERE s.order_id = o.id GROUP BY sl.order_line_id) shipped
      ON shipped.order_line_id = l.id
    WHERE l.order_id = o.id), '[]'),
  'payments', COALESCE((
    SELECT json_agg(json_build_object(
      'method', p.method, 'gateway', p.gateway, 'reference', p.reference,
      'amount_minor', p.amount_minor, 'currency', p.currency, 'status', p.status
    ) ORDER BY p.id) FROM orders_payment p WHERE p.order_id = o.id), '[]'),
  'shipments', COALESCE((
    SELECT json_agg(json_build_object(
      'id', s.id, 'carrier', s.carrier, 'service', s.service,
      'tracking_number', s.tracking_number, 'tracking_url', s.tracking_url, 'status', s.status,
      'shipped_at', {s_shipped_at}, 'delivered_at', {s_delivered_at},
      'lines', COALESCE((SELECT json_object_agg(sl.order_line_id::text, sl.quantity)
                         FROM orders_shipmentline sl WHERE sl.shipment_id = s.id), '{{}}'),
      'events', COALESCE((SELECT json_agg(json_build_object(
                            'status', e.status, 'occurred_at', {e_occurred_at},
                            'location', e.location, 'description', e.description
                          ) ORDER BY e.occurred_at, e.id)
                          FROM orders_trackingevent e WHERE e.shipment_id = s.id), '[]')
    ) ORDER BY s.id) FROM orders_shipment s WHERE s.order_id = o.id), '[]')
)::text
FROM orders_order o JOIN orders_customer c ON c.id = o.customer_id
WHERE o.store_id = $1 AND o.number = $2
""".format(**{name.replace(".", "_"): _iso(name) for name in (
    "o.placed_at", "o.delivered_at", "s.shipped_at", "s.delivered_at", "e.occurred_at")})


_ORDER_DETAIL = Statement("rebox_order_detail", _ORDER_JSON, ("bigint", "text"))


def supported() -> bool:
    return connection.vendor == "postgresql"


def order_detail_json(*, store_id: int, number: str) -> str | None:
    """The order's JSON document, or None when the store has no such order."""
    with connection.cursor() as cursor:
        _ORDER_DETAIL.execute(cursor, [store_id, number])
        row = cursor.fetchone()
    return row[0] if row else None
