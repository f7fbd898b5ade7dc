"""returns.create: the shopper's path to a return under load, through the API the portal's
pages are built on: GET /api/v1/orders/{n}/eligibility (what can come back, until when) and
POST /api/v1/returns with 2 lines. The portal pages themselves are CSRF-protected forms
whose lookup is rate-limited per address, which wrk cannot drive meaningfully.

Its own delivered orders are written in setup by SQL (2 lines of one unit each, delivered
two days ago, no parcels: "delivered in full"); each return takes one order, so the run
never returns the same units twice. Throughput is returns per second (2 requests each);
p50/p99 are of single requests.
"""

import os
import time

from django.db import connection, transaction
from django.utils import timezone

from rebox.bench.cases import CaseFailed, Context, Result, case, http_case
from rebox.bench.dataset import _insert_select, _next_id, _sequence_catch_up
from rebox.catalog.models import Variant
from rebox.orders.models import Customer, Order, OrderLine

WARMUP_ORDERS = int(os.environ.get("REBOX_BENCH_PORTAL_WARMUP_ORDERS", "15000"))
MEASURED_ORDERS = int(os.environ.get("REBOX_BENCH_PORTAL_ORDERS", "60000"))


def returnable_orders(*, store_id: int, prefix: str, count: int) -> int:
    """Write ``count`` delivered orders <prefix>0000001...; the id of the first one's first line."""
    variants = list(Variant.objects.filter(store_id=store_id).order_by("pk").values_list("pk", "sku")[:200])
    customer = Customer.objects.filter(store_id=store_id).order_by("pk").values_list("pk", flat=True).first()
    if customer is None:
        customer = Customer.objects.create(store_id=store_id, email="portal@bench.example").pk
    o, ln = _next_id(Order), _next_id(OrderLine)
    k = len(variants)
    ids = "ARRAY[" + ",".join(str(pk) for pk, _ in variants) + "]::bigint[]"
    skus = "ARRAY[" + ",".join(f"'{sku}'" for _, sku in variants) + "]::text[]"
    placed, delivered = "now() - interval '4 days'", "now() - interval '2 days'"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        _insert_select(Order, {
            "store": str(store_id), "number": f"'{prefix}' || lpad(n::text, 7, '0')",
            "customer": str(customer),
            "email": "'portal' || n || '@bench.example'", "status": "'delivered'", "currency": "'EUR'",
            "language": "'en'", "placed_at": placed, "created_at": placed, "delivered_at": delivered,
            "shipping_address": "jsonb_build_object('name', 'Bench Shopper', 'line1', 'Norregade 1', "
                                "'city', 'Kobenhavn', 'postal_code', '1165', 'country', 'DK')",
            "subtotal_minor": "3000", "total_minor": "3000", "source": "'api'",
        }, f"generate_series(1, {count}) AS n", with_id=f"{o} + n")
        vidx = f"1 + mod(n * 2 + p, {k})"
        _insert_select(OrderLine, {
            "store": str(store_id), "order": f"{o} + n", "position": "p", "variant": f"({ids})[{vidx}]",
            "sku": f"({skus})[{vidx}]", "title": "'Bench item'", "quantity": "1", "unit_price_minor": "1500",
            "total_minor": "1500", "category_slug": "'tops'", "policy_tags": "'[]'::jsonb",
        }, f"generate_series(1, {count}) AS n CROSS JOIN generate_series(0, 1) AS p",
            with_id=f"{ln} + (n - 1) * 2 + p + 1")
        for model in (Order, OrderLine):
            _sequence_catch_up(model)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Order._meta.db_table}; ANALYZE {OrderLine._meta.db_table}")
    return ln  # line ids of order n are ln + (n - 1) * 2 + 1 and + 2


@case("returns.create", "portal path via the API: GET eligibility + POST /api/v1/returns, 2 lines",
      targets={"throughput": 200, "p99_ms": 200}, unit="returns/s")
def returns_create(ctx: Context) -> list[Result]:
    started = time.monotonic()
    prefix = f"P{timezone.now():%y%m%d%H%M%S}-"
    total = WARMUP_ORDERS + MEASURED_ORDERS
    first_line = returnable_orders(store_id=ctx.dataset.store_id, prefix=prefix, count=total)
    ctx.say(f"   returns.create: {total:,} delivered orders in {time.monotonic() - started:.1f}s")

    def args(tag: str) -> list:
        first, last = (1, WARMUP_ORDERS) if tag.endswith("w") else (WARMUP_ORDERS + 1, total)
        return [ctx.dataset.api_key, tag, prefix, first, last, first_line, ctx.load.threads]

    try:
        results = http_case(ctx, name="returns.create", script="returns_create.lua", args=args)
    except CaseFailed as failed:
        raise CaseFailed(str(failed), _per_return(failed.results)) from None
    return _per_return(results)


def _per_return(results: list[Result]) -> list[Result]:
    """Two requests make one return: throughput in returns per second."""
    return [Result(r.case, r.metric, round(r.value / 2, 1), r.unit, r.target)
            if r.metric == "throughput" and r.value is not None else r for r in results]
