"""The merchant's review of returns: the approval queue, asking the customer for more,
and approving a selection at once.

The queue is sorted by urgency: requests waiting for a decision first (earliest answer
deadline first, so overdue ones lead), then approved returns by the day they expire,
then everything else, newest first. "Overdue" is derived from ``respond_by``, never
stored: a request past its deadline is still simply requested.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import BooleanField, Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from rebox.core.actors import Actor
from rebox.core.audit import audit_record
from rebox.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from rebox.core.ids import normalize_code
from rebox.core.models import Store
from rebox.core.outbox import outbox_publish
from rebox.returns.models import Return, ReturnLine
from rebox.returns.services import return_approve
from rebox.returns.states import ReturnStatus

S = ReturnStatus
QUESTION_MAX = 2000
BULK_MAX = 200
DUE_SOON = timedelta(hours=24)
OLD_AFTER = timedelta(days=7)

AGES = ("overdue", "due_soon", "new", "old")
"""overdue: past its answer deadline; due_soon: deadline within 24 hours; new: asked in
the last 24 hours; old: asked more than 7 days ago."""

IN_PROGRESS = (S.IN_TRANSIT, S.RECEIVED, S.INSPECTED)


@dataclass(frozen=True)
class QueueFilters:
    status: str | None = None
    reason: str | None = None
    store_fault: bool | None = None
    value_min_minor: int | None = None
    value_max_minor: int | None = None
    age: str | None = None
    channel: str | None = None
    search: str | None = None


def overdue_condition(now: datetime) -> Q:
    return Q(status=S.REQUESTED, respond_by__lt=now)


def return_is_overdue(ret: Return, *, now: datetime | None = None) -> bool:
    """Waiting for staff past the store's answer deadline (derived, no state change)."""
    now = now or timezone.now()
    return ret.status == S.REQUESTED and ret.respond_by is not None and ret.respond_by < now


def _search(qs: QuerySet, text: str) -> QuerySet:
    text = text.strip()
    return qs.filter(Q(number=normalize_code(text)) | Q(order__number__iexact=text)
                     | Q(email__iexact=text))


def _age(qs: QuerySet, age: str, now: datetime) -> QuerySet:
    if age == "overdue":
        return qs.filter(overdue_condition(now))
    if age == "due_soon":
        return qs.filter(status=S.REQUESTED, respond_by__gte=now, respond_by__lt=now + DUE_SOON)
    if age == "new":
        return qs.filter(created_at__gte=now - DUE_SOON)
    if age == "old":
        return qs.filter(created_at__lt=now - OLD_AFTER)
    return qs


def returns_for_queue(*, store: Store, filters: QueueFilters = QueueFilters(),
                      now: datetime | None = None) -> QuerySet:
    """This store's returns matching ``filters``, most urgent first, each annotated with
    ``overdue`` (bool) and ``deadline`` (answer deadline, or send-by date once approved)."""
    now = now or timezone.now()
    qs = Return.objects.filter(store=store).select_related("order")
    f = filters
    if f.status:
        qs = qs.filter(status=f.status)
    if f.reason:
        qs = qs.filter(Exists(ReturnLine.objects.filter(ret=OuterRef("pk"), reason_code=f.reason)))
    if f.store_fault is not None:
        qs = qs.filter(store_fault=f.store_fault)
    if f.value_min_minor is not None:
        qs = qs.filter(value_minor__gte=f.value_min_minor)
    if f.value_max_minor is not None:
        qs = qs.filter(value_minor__lte=f.value_max_minor)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.age:
        qs = _age(qs, f.age, now)
    if f.search:
        qs = _search(qs, f.search)
    return qs.annotate(
        overdue=Case(When(overdue_condition(now), then=Value(True)), default=Value(False),
                     output_field=BooleanField()),
        rank=Case(When(status=S.REQUESTED, then=Value(0)), When(status=S.APPROVED, then=Value(1)),
                  When(status__in=IN_PROGRESS, then=Value(2)), default=Value(3),
                  output_field=IntegerField()),
        deadline=Case(When(status=S.REQUESTED, then="respond_by"),
                      When(status=S.APPROVED, then="send_by"), default=None),
    ).order_by("rank", F("deadline").asc(nulls_last=True), "-created_at", "-pk")


def queue_counts(*, store: Store, now: datetime | None = None) -> dict[str, int]:
    """How many requests wait for a decision, and how many of them are overdue."""
    now = now or timezone.now()
    waiting = Return.objects.filter(store=store, status=S.REQUESTED)
    return {"waiting": waiting.count(), "overdue": waiting.filter(overdue_condition(now)).count()}


def return_request_info(*, ret: Return, question: str, actor: Actor) -> Return:
    """Ask the customer for more (a photo, a detail) before deciding. Not a status change:
    the request stays requested, with the question and when it was asked recorded,
    audited and published (``return.info_requested``) so the customer is told."""
    question = (question or "").strip()
    if not question:
        raise ValidationFailed(errors=[FieldError("question", "Write what the customer should add.")])
    if len(question) > QUESTION_MAX:
        raise ValidationFailed(errors=[FieldError("question", f"At most {QUESTION_MAX} characters.")])
    with transaction.atomic():
        locked = Return.objects.select_for_update().get(pk=ret.pk)
        if locked.status != S.REQUESTED:
            raise Conflict(f"Return {locked.number} is {locked.status}: more information can be "
                           "asked for only while it is requested")
        locked.info_requested = question
        locked.info_requested_at = timezone.now()
        locked.save(update_fields=["info_requested", "info_requested_at"])
        audit_record(store=locked.store_id, actor=actor, action="return.info_requested",
                     subject_type="return", subject_id=locked.pk, why=question)
        outbox_publish(store=locked.store_id, topic="return.info_requested", subject_type="return",
                       subject_id=locked.pk, payload={"number": locked.number, "question": question})
    return locked


@dataclass(frozen=True)
class NotApproved:
    number: str
    status: str | None  # None: no such return in this store
    message: str


@dataclass
class BulkApproval:
    approved: list[str] = field(default_factory=list)
    not_approved: list[NotApproved] = field(default_factory=list)


def returns_bulk_approve(*, store: Store, numbers: list[str], actor: Actor, why: str = "") -> BulkApproval:
    """Approve each selected return through ``return_approve``, each in its own transaction:
    one that cannot be approved (someone moved it meanwhile) is reported with its current
    status and does not undo the others."""
    wanted = list(dict.fromkeys(normalize_code(n) for n in numbers if n.strip()))
    if not wanted:
        raise ValidationFailed(errors=[FieldError("numbers", "Select at least one return.")])
    if len(wanted) > BULK_MAX:
        raise ValidationFailed(errors=[FieldError("numbers", f"At most {BULK_MAX} at once.")])
    found = {r.number: r for r in Return.objects.filter(store=store, number__in=wanted)}
    result = BulkApproval()
    for number in wanted:
        ret = found.get(number)
        if ret is None:
            result.not_approved.append(NotApproved(number, None, str(NotFound(f"No return {number}"))))
            continue
        try:
            return_approve(ret=ret, actor=actor, why=why)
        except Conflict as conflict:
            current = Return.objects.filter(pk=ret.pk).values_list("status", flat=True).first()
            result.not_approved.append(NotApproved(number, current, conflict.detail))
        else:
            result.approved.append(number)
    return result
