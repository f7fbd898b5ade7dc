"""Reconciliation: ask the gateway about refunds Rebox is unsure of.

A refund that is still pending or processing minutes after it was decided, or that
failed, may nevertheless exist at the gateway: a worker died after the gateway acted, an
answer was lost, an agent refunded it in the gateway's dashboard with Rebox's number in
the metadata. This job looks each one up (``Gateway.find``, by the refund's number) and,
when the gateway has it, records the success through the very path a worker uses
(``services._succeeded``: status, audit ``refund.succeeded``, outbox ``refund.succeeded``).

Exactly once: the row is re-read under a lock and only taken when nobody holds it (a
failed or pending row, or a processing row whose lease ran out); a worker claiming it
meanwhile waits for the lock and then finds it succeeded. A worker that holds the lease is
left alone: its own call settles the refund.

A *failed* refund found at the gateway is the case that matters most: money went out
while Rebox (and the agent) believed it had not. It is recorded as succeeded with a
second audit entry, ``refund.found_at_gateway``, saying so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from rebox.core.actors import SYSTEM
from rebox.core.audit import audit_record
from rebox.refunds.gateways import gateway_for
from rebox.refunds.models import GatewayAccount, Refund
from rebox.refunds.services import _request, _succeeded

S = Refund.Status
UNSETTLED = (S.PENDING, S.PROCESSING, S.FAILED)
STALE_AFTER = timedelta(minutes=5)
LOOK_BACK = timedelta(days=30)  # failed refunds older than this are an agent's matter


@dataclass
class Reconciliation:
    checked: int = 0
    found: list[str] = field(default_factory=list)  # refund numbers recorded as succeeded now
    found_after_failure: list[str] = field(default_factory=list)  # the subset that had failed
    missing: list[str] = field(default_factory=list)  # the gateway has no such refund
    unreachable: list[str] = field(default_factory=list)  # no account or adapter to ask
    busy: list[str] = field(default_factory=list)  # a worker took it meanwhile


def refunds_to_reconcile(*, now: datetime, older_than: timedelta = STALE_AFTER, limit: int = 500):
    """Unsettled refunds decided more than ``older_than`` ago (failed ones for ``LOOK_BACK``)."""
    return (Refund.objects.select_related("payment", "order")
            .filter(status__in=UNSETTLED, created_at__lte=now - older_than)
            .filter(~Q(status=S.FAILED) | Q(created_at__gte=now - LOOK_BACK))
            .exclude(gateway="manual").order_by("created_at")[:limit])


def refunds_reconcile(*, now: datetime | None = None, older_than: timedelta = STALE_AFTER,
                      limit: int = 500) -> Reconciliation:
    """Compare unsettled refunds with their gateways; record those the gateway has."""
    now = now or timezone.now()
    outcome = Reconciliation()
    accounts: dict[tuple[int, str], GatewayAccount | None] = {}
    for refund in refunds_to_reconcile(now=now, older_than=older_than, limit=limit):
        outcome.checked += 1
        gateway = _gateway(refund, accounts)
        if gateway is None:
            outcome.unreachable.append(refund.number)
            continue
        done = gateway.find(_request(refund))
        if done is None:
            outcome.missing.append(refund.number)
            continue
        previous = _adopt(refund.pk, done.reference)
        if previous is None:
            outcome.busy.append(refund.number)
            continue
        outcome.found.append(refund.number)
        if previous == S.FAILED:
            outcome.found_after_failure.append(refund.number)
    return outcome


def _gateway(refund: Refund, accounts: dict):
    key = (refund.store_id, refund.payment.gateway)
    if key not in accounts:
        accounts[key] = GatewayAccount.objects.filter(store_id=refund.store_id,
                                                      payment_gateway=refund.payment.gateway).first()
    account = accounts[key]
    if account is None:
        return None
    try:
        return gateway_for(account)
    except LookupError:
        return None


def _adopt(refund_id: int, reference: str) -> str | None:
    """Record the gateway's refund on the row if nobody holds it; its status before, or None."""
    now = timezone.now()
    with transaction.atomic():
        refund = (Refund.objects.select_for_update().select_related("payment", "order")
                  .filter(pk=refund_id)
                  .filter(Q(status__in=[S.FAILED, S.PENDING]) | Q(status=S.PROCESSING,
                                                                   next_attempt_at__lte=now))
                  .first())
        if refund is None:
            return None
        previous = refund.status
        _succeeded(refund, reference, actor=SYSTEM)
        if previous == S.FAILED:
            audit_record(store=refund.store_id, actor=SYSTEM, action="refund.found_at_gateway",
                         subject_type="order", subject_id=refund.order_id,
                         why="found at the gateway by reconciliation: the money went out although "
                             "the refund had been marked failed",
                         details={"refund": refund.number, "reference": reference,
                                  "last_error": refund.last_error[:500]})
    return previous
