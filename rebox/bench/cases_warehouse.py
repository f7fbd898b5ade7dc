"""returns.receive: a warehouse receiving parcels through the API, as scanner devices do.

Each parcel is a return in transit with one line of one unit. Per parcel, wrk sends the
two calls of a scanner station that closes a parcel on its last announced unit: scan the
item (``/receive`` with ``complete_when_whole``, which completes receiving when nothing is
missing) and inspect the unit it was given; a thread keeps a queue of parcels waiting for
their inspection, so 32 connections keep many parcels in flight. Reported: lines (parcels)
scanned, received and inspected per second, counted in the database (the measured run's
parcels that reached ``inspected``) rather than derived from the requests: a parcel
dropped half-way (an answer the script could not read) counts for nothing. This is the
issue's "scan + inspect one line"; the status change to ``received`` happens inside the
scan. Latency is per request.

Parcels are written by SQL in the case's setup (``INSERT ... SELECT generate_series``),
numbered per run so runs never share one; they all point at one bench order line, which
is fine here: receiving never looks at what else the order holds.
"""

import tempfile
import time
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from rebox.bench.cases import CASES, CaseFailed, Context, Result, case
from rebox.bench.dataset import _insert_select
from rebox.bench.machine import background_share, cpu_ms_by_kind, cpu_snapshot, wait_for_quiet
from rebox.bench.wrk import SCRIPTS, wrk_run
from rebox.catalog.models import Variant
from rebox.orders.models import Customer, Order, OrderLine
from rebox.returns.models import Return, ReturnLine

CALLS_PER_LINE = 2
PARCELS_PER_SECOND = 1_000  # generous: a run never runs out of parcels

LUA = r"""
-- returns.receive (written by rebox/bench/cases_warehouse.py): scan (completing), inspect.
-- Args: api_key number_prefix first last barcode threads
dofile("%(scripts)s/report.lua")

local to_inspect = {}
local next_n, last, prefix, scan_body, stride

function case_init(args)
   headers = {["Authorization"] = "Bearer " .. args[1], ["Content-Type"] = "application/json"}
   prefix, last = args[2], tonumber(args[4])
   scan_body = '{"barcode":"' .. args[5] .. '","complete_when_whole":true}'
   stride = tonumber(args[6])
   next_n = tonumber(args[3]) + id - 1
end

function request()
   local job = table.remove(to_inspect, 1)
   if job then
      return wrk.format("POST", "/api/v1/returns/" .. job[1] .. "/units/" .. job[2] .. "/inspect",
                        headers, '{"grade":"A","acceptance":"accepted","checklist":{}}')
   end
   local n = next_n
   next_n = next_n + stride
   if n > last then n = last end  -- out of parcels: answers 409 and fails the run, loudly
   return wrk.format("POST", "/api/v1/returns/" .. prefix .. string.format("%%07d", n) .. "/receive",
                     headers, scan_body)
end

local count_response = response
function response(status, response_headers, body)
   count_response(status, response_headers, body)
   if status ~= 200 or body == nil then return end
   local number, state = string.match(body, '"number": "([^"]+)", "status": "([a-z_]+)"')
   if state == "received" then
      local unit = string.match(body, '"units": %%[{"id": (%%d+)')
      if unit then table.insert(to_inspect, {number, unit}) end
   end
end
"""


def _bench_line(store_id: int) -> tuple[int, str]:
    """One delivered order line of the bench store that every parcel returns (id, barcode)."""
    variant = Variant.objects.filter(store_id=store_id).order_by("pk").first()
    order = Order.objects.filter(store_id=store_id, number="RECEIVE-BENCH").first()
    if order is None:
        customer = Customer.objects.filter(store_id=store_id).order_by("pk").first() or \
            Customer.objects.create(store_id=store_id, email="receive@bench.example")
        now = timezone.now()
        order = Order.objects.create(
            store_id=store_id, number="RECEIVE-BENCH", customer=customer, email=customer.email,
            status="delivered", currency=variant.currency, placed_at=now, delivered_at=now,
            subtotal_minor=variant.price_minor, total_minor=variant.price_minor)
        OrderLine.objects.create(store_id=store_id, order=order, position=1, variant=variant,
                                 sku=variant.sku, title="Bench item", quantity=1,
                                 unit_price_minor=variant.price_minor,
                                 total_minor=variant.price_minor, category_slug="tops")
    return order.lines.get().pk, variant.barcode or variant.sku


def parcels_create(*, store_id: int, prefix: str, count: int) -> tuple[int, str]:
    """``count`` returns in transit numbered prefix + 0000001..., one line of one unit each."""
    line_id, barcode = _bench_line(store_id)
    order_id = OrderLine.objects.get(pk=line_id).order_id
    with transaction.atomic():
        _insert_select(Return, {
            "store": str(store_id), "number": f"'{prefix}' || lpad(n::text, 7, '0')",
            "order": str(order_id), "status": "'in_transit'", "resolution": "'refund'",
            "method": "'mail_label'", "email": "'receive@bench.example'", "policy_version": "1",
            "currency": "'EUR'", "value_minor": "1500", "status_changed_at": "now()",
            "created_at": "now()",
        }, f"generate_series(1, {count}) AS n")
        _insert_select(ReturnLine, {
            "ret": "r.id", "order_line": str(line_id), "quantity": "1", "reason_code": "'changed_mind'",
            "basis": "'change_of_mind'", "unit_value_minor": "1500",
        }, f"returns_return r WHERE r.store_id = {store_id} AND r.number LIKE '{prefix}%%'")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE returns_return; ANALYZE returns_returnline")
    return line_id, barcode


@case("returns.receive", "API: scan (completing the parcel) + inspect one line (2 requests per line)",
      targets={"throughput": 300, "p99_ms": None}, unit="lines/s")
def returns_receive(ctx: Context) -> list[Result]:
    d = ctx.dataset
    tag = ctx.run_id[-6:].upper()
    runs = {"W": ctx.load.warmup_seconds, "M": ctx.load.seconds}
    started = time.monotonic()
    sizes = {kind: max(500, PARCELS_PER_SECOND * seconds) for kind, seconds in runs.items() if seconds}
    barcode = ""
    for kind, count in sizes.items():
        _, barcode = parcels_create(store_id=d.store_id, prefix=f"V{tag}{kind}", count=count)
    ctx.say(f"   returns.receive: {sum(sizes.values()):,} parcels in transit "
            f"in {time.monotonic() - started:.1f}s")
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "receive_return.lua"
        script.write_text(LUA % {"scripts": SCRIPTS})

        def args(kind: str) -> list:
            return [d.api_key, f"V{tag}{kind}", 1, sizes[kind], barcode, ctx.load.threads]

        wait_for_quiet(server_group=ctx.server_group, say=ctx.say)
        if runs["W"]:
            wrk_run(base_url=ctx.base_url, script=str(script), args=args("W"), load=ctx.load,
                    seconds=runs["W"])
        before = cpu_snapshot(ctx.server_group)
        run = wrk_run(base_url=ctx.base_url, script=str(script), args=args("M"), load=ctx.load,
                      seconds=runs["M"])
        after = cpu_snapshot(ctx.server_group)
    ctx.background["returns.receive"] = background_share(before, after, also_ours_seconds=run.cpu_seconds)
    inspected = (Return.objects.filter(store_id=d.store_id, number__startswith=f"V{tag}M")
                 .exclude(status__in=["in_transit", "received"]).count())
    ctx.say(f"   returns.receive: {inspected:,} lines inspected in {run.seconds:.1f}s "
            f"({run.requests:,} requests, {run.requests / CALLS_PER_LINE:,.0f} = "
            f"requests / {CALLS_PER_LINE})")
    if inspected:
        used = cpu_ms_by_kind(before, after, ctx.server_group)
        ctx.say(f"   CPU per line: server {used['server'] / inspected:.2f} ms, database "
                f"{used['database'] / inspected:.2f} ms, wrk {run.cpu_seconds * 1000 / inspected:.2f} ms")
    me = CASES["returns.receive"]
    results = [
        Result(me.name, "throughput", round(inspected / run.seconds, 1) if run.seconds else 0.0,
               me.unit, me.targets["throughput"]),
        Result(me.name, "p50_ms", round(run.p50_ms, 2), "ms"),
        Result(me.name, "p99_ms", round(run.p99_ms, 2), "ms"),
    ]
    if run.non2xx or run.socket_errors:
        raise CaseFailed(f"{run.non2xx} non-2xx answers and {run.socket_errors} socket errors "
                         f"in {run.requests} requests; first: {run.bad_sample}", results)
    return results
