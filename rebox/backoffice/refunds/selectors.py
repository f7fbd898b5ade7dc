"""Reads of the refunds pages: a store's refunds filtered, one refund with its trail, and
the counts that tell an agent what needs them (failed, late, due soon).

Deadlines are worked out for refunds still open (pending, processing, failed); a refund
paid back has met its deadline or not, and that is history, not a to-do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from rebox.core.errors import NotFound
from rebox.core.ids import normalize_code
from rebox.core.models import AuditEntry, Store
from rebox.refunds.deadlines import (
    DUE_SOON,
    LATE,
    OPEN_REFUND_STATUSES,
    DeadlineCache,
    RefundDeadline,
    deadlines_outstanding,
)
from rebox.refunds.models import GatewayAccount, Refund
from rebox.refunds.reports import day_bounds

ATTENTION = "attention"  # filter value: due soon or late


@dataclass(frozen=True)
class RefundFilters:
    status: str | None = None
    gateway: str | None = None
    deadline: str | None = None  # on_time | due_soon | late | attention
    search: str | None = None
    day_from: date | None = None
    day_to: date | None = None


@dataclass(frozen=True)
class RefundRow:
    refund: Refund
    deadline: RefundDeadline | None


def gateways_of(store: Store) -> list[str]:
    """Gateways this store refunds through, or has refunded through."""
    used = set(Refund.objects.filter(store=store).values_list("gateway", flat=True).distinct())
    used |= set(GatewayAccount.objects.filter(store=store).values_list("gateway", flat=True))
    return sorted(used)


def _filtered(store: Store, filters: RefundFilters):
    refunds = (Refund.objects.filter(store=store)
               .select_related("order", "ret", "ret__store", "payment").order_by("-created_at", "-pk"))
    if filters.status:
        refunds = refunds.filter(status=filters.status)
    if filters.gateway:
        refunds = refunds.filter(gateway=filters.gateway)
    if filters.search:
        code = normalize_code(filters.search)
        refunds = refunds.filter(Q(number=code) | Q(ret__number=code)
                                 | Q(order__number__icontains=filters.search))
    if filters.day_from:
        refunds = refunds.filter(created_at__gte=day_bounds(store, filters.day_from)[0])
    if filters.day_to:
        refunds = refunds.filter(created_at__lt=day_bounds(store, filters.day_to)[1])
    return refunds


def _matches(deadline: RefundDeadline | None, wanted: str) -> bool:
    if deadline is None:
        return False
    if wanted == ATTENTION:
        return deadline.state in (DUE_SOON, LATE)
    return deadline.state == wanted


def refunds_for_list(*, store: Store, filters: RefundFilters, cache: DeadlineCache):
    """The refunds to list, newest first: a queryset (deadlines added per page by
    ``rows_with_deadlines``), or, filtered by deadline, the matching open refunds as rows."""
    refunds = _filtered(store, filters)
    if not filters.deadline:
        return refunds
    rows = rows_with_deadlines(refunds.filter(status__in=OPEN_REFUND_STATUSES), cache)
    return [row for row in rows if _matches(row.deadline, filters.deadline)]


def rows_with_deadlines(refunds, cache: DeadlineCache) -> list[RefundRow]:
    return [row if isinstance(row, RefundRow) else
            RefundRow(row, cache.of(row.ret) if row.status in OPEN_REFUND_STATUSES else None)
            for row in refunds]


def refund_get(*, store: Store, number: str) -> Refund:
    """One of this store's refunds; another store's is not found."""
    refund = (Refund.objects.filter(store=store, number=normalize_code(number))
              .select_related("order", "ret", "ret__store", "payment", "store").first())
    if refund is None:
        raise NotFound(f"No refund {number}")
    return refund


def refund_trail(refund: Refund) -> list[AuditEntry]:
    """Every audited step of this refund (recorded on its order, naming the refund)."""
    return list(AuditEntry.objects.filter(store_id=refund.store_id, subject_type="order",
                                          subject_id=refund.order_id, details__refund=refund.number)
                .order_by("at", "id"))


@dataclass(frozen=True)
class Attention:
    failed: int
    late: int
    due_soon: int
    unpaid_returns: list  # Outstanding rows of returns not paid at all, due soon or late


def attention_of(*, store: Store, cache: DeadlineCache) -> Attention:
    owed = deadlines_outstanding(store=store, cache=cache)
    refunds = [o for o in owed if o.refund is not None]
    return Attention(
        failed=sum(1 for o in refunds if o.failed),
        late=sum(1 for o in refunds if o.deadline and o.deadline.state == LATE),
        due_soon=sum(1 for o in refunds if o.deadline and o.deadline.state == DUE_SOON),
        unpaid_returns=[o for o in owed if o.refund is None and o.deadline and o.deadline.needs_attention])
