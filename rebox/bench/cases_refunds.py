"""refunds.drain: a backlog of 10,000 due refunds paid back through a Stripe stand-in that
answers in 20 ms, by two worker processes, each with a pool of threads.

Why worker processes running ``rebox.refunds.drain`` rather than Celery workers fed one
task per refund: a backlog is exactly the case where the per-refund tasks are gone or
late (a broker that lost its queue, a gateway outage whose retries all come due, rows
imported or written by SQL, as here), and the database is the queue of record. The
drain claims rows with the same lease a Celery ``refund_execute_task`` uses and pays
them with the same code, so the measured path is the production one minus a broker hop;
Celery's thread pool would add a Redis round trip per refund on a 2-core machine.

Setup writes, by SQL, one order with one captured card payment per refund and the
refunds themselves (pending, due now). The stand-in runs in a thread of this process and
counts every refund it performs by Rebox refund number: any number seen twice is a
duplicate (target 0). Throughput is refunds performed per second between the first and
the last refund the stand-in performed; ``seconds`` is the whole drain, start-up included.
"""

import os
import subprocess
import sys
import time

from django.db import connection, transaction
from django.db.models import Count

from rebox.bench.cases import CASES, CaseFailed, Context, Result, case
from rebox.bench.dataset import _insert_select, _next_id, _sequence_catch_up
from rebox.bench.machine import background_share, cpu_snapshot, wait_for_quiet
from rebox.orders.models import Customer, Order, Payment
from rebox.refunds.models import GatewayAccount, Refund
from rebox.refunds.tests.stripe_standin import StripeStandIn

REFUNDS = int(os.environ.get("REBOX_BENCH_REFUNDS", "10000"))
WORKERS = 2
THREADS = int(os.environ.get("REBOX_BENCH_DRAIN_THREADS", "16"))
BATCH = int(os.environ.get("REBOX_BENCH_DRAIN_BATCH", "4"))
LATENCY = 0.020
PAYMENT_GATEWAY = "stripe-bench"
TIMEOUT = 600


def backlog_create(*, store_id: int, tag: str, count: int) -> None:
    """``count`` orders of 10.00 EUR, each paid by card (pi_<tag>_<n>), each with a pending
    refund of 2.50 EUR due now, numbered <tag><n>."""
    customer = Customer.objects.filter(store_id=store_id).order_by("pk").values_list("pk", flat=True).first()
    if customer is None:
        customer = Customer.objects.create(store_id=store_id, email="refunds@bench.example").pk
    o, p, r = _next_id(Order), _next_id(Payment), _next_id(Refund)
    series = f"generate_series(1, {count}) AS n"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        _insert_select(Order, {
            "store": str(store_id), "number": f"'{tag}' || lpad(n::text, 6, '0')", "customer": str(customer),
            "email": "'refunds@bench.example'", "status": "'delivered'", "currency": "'EUR'",
            "language": "'en'",
            "placed_at": "now()", "created_at": "now()", "delivered_at": "now()",
            "subtotal_minor": "1000", "total_minor": "1000", "source": "'api'",
        }, series, with_id=f"{o} + n")
        _insert_select(Payment, {
            "store": str(store_id), "order": f"{o} + n", "method": "'card'",
            "gateway": f"'{PAYMENT_GATEWAY}'",
            "reference": f"'pi_{tag}_' || n", "amount_minor": "1000", "currency": "'EUR'",
            "status": "'captured'", "created_at": "now()",
        }, series, with_id=f"{p} + n")
        _insert_select(Refund, {
            "store": str(store_id), "number": f"'{tag}' || lpad(n::text, 6, '0')", "order": f"{o} + n",
            "payment": f"{p} + n", "amount_minor": "250", "currency": "'EUR'", "gateway": "'stripe'",
            "idempotency_key": f"'rebox-refund-{tag}-' || n", "status": "'pending'", "attempts": "0",
            "next_attempt_at": "now()", "created_by": "'bench'", "created_at": "now()",
        }, series, with_id=f"{r} + n")
        for model in (Order, Payment, Refund):
            _sequence_catch_up(model)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE refunds_refund; ANALYZE orders_payment")


def _leftovers_fail(store_id: int) -> int:
    """Refunds an interrupted earlier run left due must not be paid (and counted) now."""
    return Refund.objects.filter(store_id=store_id, payment__gateway=PAYMENT_GATEWAY,
                                 status__in=["pending", "processing"]).update(
        status="failed", last_error="left over by an interrupted benchmark run")


def _workers_start() -> list[subprocess.Popen]:
    command = [sys.executable, "-m", "rebox.refunds.drain", "--threads", str(THREADS),
               "--batch", str(BATCH), "--until-empty"]
    first = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, process_group=0)
    others = [subprocess.Popen(command, stdout=subprocess.PIPE, text=True, process_group=first.pid)
              for _ in range(WORKERS - 1)]
    return [first, *others]


@case("refunds.drain", f"{REFUNDS:,} due refunds, Stripe stand-in at 20 ms, "
      f"{WORKERS} drain processes x {THREADS} threads",
      needs_server=False, targets={"throughput": 300, "seconds": None},
      unit="refunds/s")
def refunds_drain_case(ctx: Context) -> list[Result]:
    me = CASES["refunds.drain"]
    store_id = ctx.dataset.store_id
    tag = "D" + ctx.run_id[-6:].upper()
    with StripeStandIn(secret_key="sk_test_bench", latency=LATENCY, keep_requests=False) as stripe:
        stripe.default_currency = "eur"
        GatewayAccount.objects.update_or_create(
            store_id=store_id, payment_gateway=PAYMENT_GATEWAY,
            defaults={"gateway": "stripe", "secret_key": stripe.secret_key, "api_base": stripe.url})
        if left := _leftovers_fail(store_id):
            ctx.say(f"   refunds.drain: {left} refunds left by an earlier run marked failed")
        started = time.monotonic()
        backlog_create(store_id=store_id, tag=tag, count=REFUNDS)
        ctx.say(f"   refunds.drain: {REFUNDS:,} pending refunds written in {time.monotonic() - started:.1f}s")
        connection.close()
        wait_for_quiet(server_group=None, say=ctx.say)
        launched = time.monotonic()
        workers = _workers_start()
        before = cpu_snapshot(workers[0].pid)
        reports = []
        try:
            for worker in workers:
                out, _ = worker.communicate(timeout=TIMEOUT)
                reports.append(out.strip().splitlines()[-1] if out.strip() else f"exit {worker.returncode}")
        finally:
            for worker in workers:
                if worker.poll() is None:
                    worker.kill()
        after = cpu_snapshot(workers[0].pid)
        seconds = time.monotonic() - launched
        per_number = stripe.per_number()
        window = (stripe.last_at or 0) - (stripe.first_at or 0)
    ctx.background[me.name] = background_share(before, after)
    ours = {n: c for n, c in per_number.items() if n and n.startswith(tag)}
    duplicates = sum(c - 1 for c in ours.values())
    states = dict(Refund.objects.filter(store_id=store_id, number__startswith=tag)
                  .values_list("status").annotate(n=Count("pk")).order_by())
    # duplicates are not a metric of their own (the agreed five): any duplicate fails the case
    ctx.say(f"   refunds.drain: workers said {'; '.join(reports)}; rows {states}; "
            f"refunds made twice at the stand-in: {duplicates}")
    results = [
        Result(me.name, "throughput", round(len(ours) / window, 1) if window > 0 else None, me.unit,
               me.targets["throughput"]),
        Result(me.name, "seconds", round(seconds, 2), "s"),
    ]
    if len(ours) != REFUNDS or states.get("succeeded") != REFUNDS or duplicates:
        raise CaseFailed(f"{len(ours)} of {REFUNDS} refunds reached the stand-in, {duplicates} twice; "
                         f"rows by status: {states}; workers: {reports}", results)
    return results

