"""The statutory refund deadline of a return, and which money still owed is near or past it.

The law that governed the request sets how many days the store has to pay back, counted
from the customer's notice (EU and Denmark: 14 days from the withdrawal, CRD Art. 13(1);
Ukraine: 30; see ``rebox/policies/statutory/*.toml``). The policy engine carries that
number on each line's decision (``Decision.refund_within_days``). For a return:

* the notice is the day the return was asked for (``Return.created_at``, as a local date
  in the store's time zone); the notice day itself is not counted, so the last day is
  ``notice + N`` (the way every pack counts days, ``rebox.policies.statutory.days``);
* ``N`` is the shortest of its lines' (the strictest law in play); no deadline when the
  law sets none for any line (a US store; a guarantee claim where no deadline was read);
* the state on a given day: *late* after the last day, *due soon* within
  ``DUE_SOON_DAYS`` of it (the last day included), else *on time*.

``refund_deadline`` is pure (tested with fixed dates); ``return_refund_deadline`` asks the
policy engine for a stored return, and ``deadlines_outstanding`` lists what a store still
owes: refunds pending, processing or failed, and money returns approved but not yet paid.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone

DUE_SOON_DAYS = 3
ON_TIME, DUE_SOON, LATE = "on_time", "due_soon", "late"
STATES = (ON_TIME, DUE_SOON, LATE)


@dataclass(frozen=True)
class RefundDeadline:
    due: date  # last day (store's local date) by which the refund must be paid
    days: int  # the law's number of days from the notice
    state: str  # on_time | due_soon | late
    days_left: int  # negative when late

    @property
    def needs_attention(self) -> bool:
        return self.state in (DUE_SOON, LATE)


def refund_deadline(*, notice: date, days_per_line: Iterable[int | None], today: date,
                    soon_days: int = DUE_SOON_DAYS) -> RefundDeadline | None:
    """The deadline of a refund noticed on ``notice`` (see the module's docstring)."""
    known = [days for days in days_per_line if days is not None]
    if not known:
        return None
    days = min(known)
    due = notice + timedelta(days=days)
    left = (due - today).days
    state = LATE if left < 0 else DUE_SOON if left <= soon_days else ON_TIME
    return RefundDeadline(due=due, days=days, state=state, days_left=left)


def store_zone(store) -> ZoneInfo:
    try:
        return ZoneInfo(store.time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def store_today(store, now: datetime | None = None) -> date:
    return timezone.localtime(now or timezone.now(), store_zone(store)).date()


# --- with the database --------------------------------------------------------------


def return_refund_deadline(ret, *, today: date | None = None) -> RefundDeadline | None:
    """The deadline of a stored return, under the decisions that governed its request."""
    from rebox.refunds.resolution import _decisions

    answers = _decisions(ret).values()
    days = [answer.decision.refund_within_days for answer in answers if answer is not None]
    notice = timezone.localtime(ret.created_at, store_zone(ret.store)).date()
    return refund_deadline(notice=notice, days_per_line=days, today=today or store_today(ret.store))


class DeadlineCache:
    """Deadlines of several returns on one day, each worked out once (a page, a digest)."""

    def __init__(self, store, *, today: date | None = None):
        self.today = today or store_today(store)
        self._found: dict[int, RefundDeadline | None] = {}

    def of(self, ret) -> RefundDeadline | None:
        if ret is None:
            return None  # money given without a return (goodwill): no statutory deadline
        if ret.pk not in self._found:
            self._found[ret.pk] = return_refund_deadline(ret, today=self.today)
        return self._found[ret.pk]


@dataclass(frozen=True)
class Outstanding:
    """Money a store still owes: a refund not paid yet, or a return not paid at all."""

    refund: object | None  # Refund
    ret: object | None  # Return
    deadline: RefundDeadline | None

    @property
    def failed(self) -> bool:
        return self.refund is not None and self.refund.status == "failed"


OPEN_REFUND_STATUSES = ("pending", "processing", "failed")


def unpaid_returns(store):
    """Returns whose money is decided (refund or keep-the-item) and approved, with no refund
    or credit yet: the clock runs from the notice although nothing has been paid."""
    from rebox.refunds.resolution import PAID
    from rebox.returns.models import Resolution, Return
    from rebox.returns.states import ReturnStatus as RS

    return (Return.objects.filter(store=store, resolution__in=[Resolution.REFUND, Resolution.KEEP_ITEM],
                                  status__in=[RS.APPROVED, RS.IN_TRANSIT, RS.RECEIVED, RS.INSPECTED])
            .exclude(PAID).select_related("store", "order").order_by("created_at", "pk"))


def deadlines_outstanding(*, store, today: date | None = None,
                          cache: DeadlineCache | None = None) -> list[Outstanding]:
    """What ``store`` still owes, each with its deadline: refunds pending, processing or
    failed (oldest first), then returns approved but not paid."""
    from rebox.refunds.models import Refund

    cache = cache or DeadlineCache(store, today=today)
    refunds = (Refund.objects.filter(store=store, status__in=OPEN_REFUND_STATUSES)
               .select_related("order", "ret", "ret__store", "payment").order_by("created_at", "pk"))
    found = [Outstanding(refund, refund.ret, cache.of(refund.ret)) for refund in refunds]
    found += [Outstanding(None, ret, cache.of(ret)) for ret in unpaid_returns(store)]
    return found
