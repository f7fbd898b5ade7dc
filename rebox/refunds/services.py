"""Refund commands. Money goes back exactly once:

1. ``refund_create`` writes the Refund row with its idempotency key (and its per-line
   split) in the caller's transaction, under a lock on the order, after checking that the
   payment still has that much refundable. No gateway is called yet.
2. After commit, the job ``refund_execute`` claims the row with a lease (one worker at a
   time, fenced by the attempt number), and calls the gateway with the stored key. Before
   a second or later attempt it first asks the gateway whether the refund already exists
   (a worker killed after the gateway acted, a timeout after the gateway acted), and adopts
   it. Definite refusals fail the row at once with the gateway's message; anything
   uncertain is retried with backoff, always with the same key.
3. An agent can retry a failed refund or record that it was paid back another way (manual,
   with a reference). A retry takes a new key (the gateway replays a refusal for the old
   one), and its first attempt asks the gateway for an existing refund before making one.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from rebox.core.actors import SYSTEM, Actor
from rebox.core.audit import audit_record
from rebox.core.errors import Conflict, FieldError, ValidationFailed
from rebox.core.ids import random_code
from rebox.core.lease import Lease
from rebox.core.outbox import outbox_publish
from rebox.orders.models import Order, Payment
from rebox.refunds.gateways import Done, RefundRequest, Refused, Retry, gateway_for
from rebox.refunds.models import GatewayAccount, Refund, RefundLine

S = Refund.Status
LEASE = Lease(model=Refund, waiting=S.PENDING, holding=S.PROCESSING, done=S.SUCCEEDED,
              failed=S.FAILED, duration=timedelta(seconds=60), max_attempts=8)
STANDING = (S.PENDING, S.PROCESSING, S.SUCCEEDED)

logger = logging.getLogger(__name__)


def refundable_minor(payment: Payment) -> int:
    """What is left to refund on a payment: captured minus refunds that stand."""
    taken = (Refund.objects.filter(payment=payment, status__in=STANDING)
             .aggregate(n=Sum("amount_minor"))["n"] or 0)
    return payment.amount_minor - taken


def _new_number(store_id: int) -> str:
    while True:
        number = random_code(10)
        if not Refund.objects.filter(store_id=store_id, number=number).exists():
            return number


def refund_create(*, order: Order, payment: Payment, amount_minor: int, actor: Actor,
                  ret=None, lines: Sequence[tuple[int, int]] = (), reason: str = "") -> Refund:
    """Decide a refund of ``amount_minor`` to ``payment``; the job pays it after commit.

    ``lines`` is the (order_line_id, amount) split; what the lines leave of the amount is
    the order's original delivery charge, paid back with the last return of the order.
    """
    errors = []
    if payment.order_id != order.pk:
        errors.append(FieldError("payment", "not a payment of this order"))
    if amount_minor <= 0:
        errors.append(FieldError("amount_minor", "must be positive"))
    if lines and sum(amount for _line, amount in lines) > amount_minor:
        errors.append(FieldError("lines", "the lines add up to more than the amount"))
    if errors:
        raise ValidationFailed(errors=errors)
    with transaction.atomic():
        Order.objects.select_for_update().filter(pk=order.pk).first()
        left = refundable_minor(payment)
        if amount_minor > left:
            raise ValidationFailed(errors=[FieldError(
                "amount_minor", f"at most {left} {payment.currency} is left to refund on this payment")])
        refund = Refund.objects.create(
            store_id=order.store_id, number=_new_number(order.store_id), order=order, ret=ret,
            payment=payment, amount_minor=amount_minor, currency=payment.currency,
            gateway=payment.gateway or "manual", idempotency_key=f"rebox-refund-{uuid.uuid4()}",
            next_attempt_at=timezone.now(), reason=reason, created_by=actor.label)
        RefundLine.objects.bulk_create([RefundLine(refund=refund, order_line_id=line_id, amount_minor=amount)
                                        for line_id, amount in lines if amount])
        audit_record(store=order.store_id, actor=actor, action="refund.created", subject_type="order",
                     subject_id=order.pk, why=reason,
                     details={"refund": refund.number, "amount_minor": amount_minor,
                              "currency": refund.currency, "payment": payment.pk})
        refund_id = refund.pk
        transaction.on_commit(lambda: _enqueue(refund_id))
    return refund


def _enqueue(refund_id: int) -> None:
    from rebox.refunds.tasks import refund_execute_task

    try:
        refund_execute_task.delay(refund_id)
    except Exception:  # noqa: BLE001 - broker down: the refund sweep (every 10 s) pays it
        logger.warning("refund %s not enqueued; the sweep will pay it", refund_id)


def _request(refund: Refund) -> RefundRequest:
    return RefundRequest(idempotency_key=refund.idempotency_key, refund_number=refund.number,
                         payment_reference=refund.payment.reference, amount_minor=refund.amount_minor,
                         currency=refund.currency)


def refund_execute(refund_id: int) -> str:
    """Pay one refund back through its gateway. Returns what happened (for logs and tests):
    succeeded | retry | failed | busy (another worker holds it, or it is not due)."""
    refund = LEASE.claim(refund_id, related=("payment",))
    if refund is None:
        return "busy"
    return refund_pay(refund)


def refund_pay(refund: Refund, *, accounts: dict | None = None) -> str:
    """The gateway call of ``refund_execute``, for a refund the caller holds (claimed by
    ``refund_execute`` or ``refunds_claim``). ``accounts`` caches the gateway accounts
    across the refunds of one batch."""
    key = (refund.store_id, refund.payment.gateway)
    if accounts is not None and key in accounts:
        account = accounts[key]
    else:
        account = GatewayAccount.objects.filter(store_id=refund.store_id,
                                                payment_gateway=refund.payment.gateway).first()
        if accounts is not None:
            accounts[key] = account
    if account is None:
        return _failed(refund, f"no gateway account for {refund.payment.gateway or 'this payment'}: "
                               "refund it another way and record it as manual", permanent=True)
    gateway = gateway_for(account)
    request = _request(refund)
    # a second try, or a first try after a failure: the gateway may have acted unheard
    outcome = gateway.find(request) if refund.attempts > 1 or refund.last_error else None
    if outcome is None:
        outcome = gateway.refund(request)
    if isinstance(outcome, Done):
        _succeeded(refund, outcome.reference, actor=SYSTEM)
        return "succeeded"
    if isinstance(outcome, Refused):
        return _failed(refund, outcome.error, permanent=True)
    assert isinstance(outcome, Retry)
    return _failed(refund, outcome.error, permanent=False)


def _succeeded(refund: Refund, reference: str, *, actor: Actor, gateway: str | None = None) -> None:
    with transaction.atomic():
        fields = {"gateway_reference": reference, "succeeded_at": timezone.now()}
        if gateway:
            fields["gateway"] = gateway
        if not LEASE.finish(refund, **fields):
            return  # recorded already (a worker whose lease ran out, reconciliation): once is enough
        audit_record(store=refund.store_id, actor=actor, action="refund.succeeded", subject_type="order",
                     subject_id=refund.order_id, details={"refund": refund.number, "reference": reference})
        outbox_publish(store=refund.store_id, topic="refund.succeeded", subject_type="refund",
                       subject_id=refund.pk, payload=_payload(refund, reference=reference))


def _failed(refund: Refund, error: str, *, permanent: bool) -> str:
    with transaction.atomic():
        result = LEASE.fail(refund, error=error, permanent=permanent)
        if result != "retry":
            audit_record(store=refund.store_id, actor=SYSTEM, action="refund.failed", subject_type="order",
                         subject_id=refund.order_id, why=error[:300], details={"refund": refund.number})
            outbox_publish(store=refund.store_id, topic="refund.failed", subject_type="refund",
                           subject_id=refund.pk, payload={**_payload(refund), "error": error[:500]})
    return result


def _payload(refund: Refund, **extra) -> dict:
    return {"number": refund.number, "order": refund.order.number, "amount_minor": refund.amount_minor,
            "currency": refund.currency, "payment_method": refund.payment.method, **extra}


def refund_retry(*, refund: Refund, actor: Actor) -> Refund:
    """A failed refund gets a fresh round of attempts (with a new idempotency key: the
    gateway would replay its refusal for the old one; see ``refund_execute`` for why that
    cannot pay twice)."""
    with transaction.atomic():
        if not LEASE.requeue(refund.pk):
            current = Refund.objects.get(pk=refund.pk).status
            raise Conflict(f"Refund {refund.number} is {current}; only a failed refund can be retried")
        Refund.objects.filter(pk=refund.pk).update(idempotency_key=f"rebox-refund-{uuid.uuid4()}")
        audit_record(store=refund.store_id, actor=actor, action="refund.retried", subject_type="order",
                     subject_id=refund.order_id,
                     details={"refund": refund.number, "previous_key": refund.idempotency_key})
        transaction.on_commit(lambda: _enqueue(refund.pk))
    return Refund.objects.get(pk=refund.pk)


def refund_record_manual(*, refund: Refund, reference: str, actor: Actor) -> Refund:
    """The agent paid this refund back another way (bank transfer, cash) and says how."""
    if not reference.strip():
        raise ValidationFailed(errors=[FieldError("reference", "say how it was paid back")])
    with transaction.atomic():
        locked = Refund.objects.select_for_update().get(pk=refund.pk)
        if locked.status != S.FAILED:
            raise Conflict(f"Refund {locked.number} is {locked.status}; only a failed refund can be "
                           "recorded as paid another way")
        _succeeded(locked, reference.strip(), actor=actor, gateway="manual")
    return Refund.objects.get(pk=refund.pk)


def refunds_claim(*, limit: int) -> list[Refund]:
    """Claim up to ``limit`` due refunds in one transaction, for a worker that pays many at
    once (``rebox.refunds.drain``): the conditions and fields of ``LEASE.claim``, with the
    rows other workers are claiming at this moment skipped rather than waited for."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(Refund.objects.select_for_update(skip_locked=True)
                   .filter(status__in=[S.PENDING, S.PROCESSING], next_attempt_at__lte=now,
                           attempts__lt=LEASE.max_attempts)
                   .order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
        if ids:
            Refund.objects.filter(pk__in=ids).update(
                status=S.PROCESSING, attempts=F("attempts") + 1, claimed_at=now,
                next_attempt_at=now + LEASE.duration)
    return list(Refund.objects.select_related("payment", "order").filter(pk__in=ids).order_by("pk"))


def refunds_sweep(*, limit: int = 200) -> int:
    """Run the refunds that are due (first tries a broker lost, retries, expired claims)."""
    LEASE.give_up_abandoned(why="the last attempt stopped without an answer; check the gateway")
    ids = LEASE.due_ids(limit=limit)
    for refund_id in ids:
        refund_execute(refund_id)
    return len(ids)
