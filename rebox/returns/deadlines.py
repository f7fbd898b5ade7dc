"""The deadlines of an approved return: a reminder before it expires, then expiry.

An approved return must be sent within the store's ``return_send_days`` (``send_by``,
set on approval). ``return_reminder_days`` before that the customer is reminded once
(outbox ``return.expiry_reminder``); once ``send_by`` has passed and the return is still
approved (no parcel on its way: that would have moved it to in transit) it expires.

Safe to run often, twice, or on two workers at once:
* expiry goes through ``return_transition``, which locks the row and refuses a repeat;
* a reminder is written under a lock on the return row, and only if the return's audit
  trail has no reminder yet. The second of two concurrent runs waits for the lock, then
  sees the first one's committed audit entry and writes nothing (READ COMMITTED reads
  each statement afresh after the lock is granted). The audit entry is the marker because
  it is kept for ever; outbox rows may be pruned once delivered.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from rebox.core.actors import SYSTEM
from rebox.core.audit import audit_record
from rebox.core.errors import Conflict
from rebox.core.models import AuditEntry
from rebox.core.outbox import outbox_publish
from rebox.returns.models import Return
from rebox.returns.services import return_transition
from rebox.returns.states import ReturnStatus

REMINDER_ACTION = "return.expiry_reminder"
BATCH = 500
MOVING = frozenset({"in_transit", "delivered"})  # parcel statuses


def _reminded(pk) -> Exists:
    return Exists(AuditEntry.objects.filter(subject_type="return", subject_id=pk, action=REMINDER_ACTION))


def _parcel_moving(ret: Return) -> bool:
    """A carrier already has a parcel of this return, though the return was not moved yet."""
    try:
        from rebox.shipping.selectors import parcels_for_return
    except ImportError:
        return False
    return any(parcel.status in MOVING for parcel in parcels_for_return(ret))


def returns_expire_unsent(*, now: datetime | None = None) -> list[str]:
    """Expire approved returns whose send-by deadline has passed; their numbers."""
    now = now or timezone.now()
    due = (Return.objects.filter(status=ReturnStatus.APPROVED, send_by__lt=now)
           .order_by("send_by", "pk")[:BATCH])
    expired = []
    for ret in due:
        if _parcel_moving(ret):
            continue
        why = f"not sent by the deadline ({ret.send_by.isoformat(timespec='minutes')})"
        try:
            return_transition(ret=ret, to=ReturnStatus.EXPIRED, actor=SYSTEM, why=why)
        except Conflict:
            continue  # moved meanwhile (a parcel scanned, or another run expired it)
        expired.append(ret.number)
    return expired


def return_remind_before_expiry(*, ret: Return, now: datetime | None = None) -> bool:
    """Publish the reminder for ``ret`` unless it was sent already; True if it was sent now."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Return.objects.select_for_update().select_related("store").get(pk=ret.pk)
        if locked.status != ReturnStatus.APPROVED or locked.send_by is None or locked.send_by <= now:
            return False
        if now < locked.send_by - timedelta(days=locked.store.return_reminder_days):
            return False
        if AuditEntry.objects.filter(store_id=locked.store_id, subject_type="return",
                                     subject_id=locked.pk, action=REMINDER_ACTION).exists():
            return False
        audit_record(store=locked.store_id, actor=SYSTEM, action=REMINDER_ACTION, subject_type="return",
                     subject_id=locked.pk, why=f"send by {locked.send_by.isoformat(timespec='minutes')}")
        outbox_publish(store=locked.store_id, topic=REMINDER_ACTION, subject_type="return",
                       subject_id=locked.pk,
                       payload={"number": locked.number, "send_by": locked.send_by.isoformat()})
    return True


def returns_remind_before_expiry(*, now: datetime | None = None) -> list[str]:
    """Remind, once each, the customers of approved returns close to their send-by date."""
    now = now or timezone.now()
    approved = Return.objects.filter(status=ReturnStatus.APPROVED, send_by__gt=now)
    # The longest reminder period of any store bounds the candidates; each store's own
    # period is then checked per row (one query, not one per store).
    longest = approved.aggregate(days=Max("store__return_reminder_days"))["days"]
    if longest is None:
        return []
    candidates = (approved.filter(send_by__lte=now + timedelta(days=longest))
                  .exclude(_reminded(OuterRef("pk"))).select_related("store")
                  .order_by("send_by", "pk")[:BATCH])
    reminded = []
    for ret in candidates:
        if now >= ret.send_by - timedelta(days=ret.store.return_reminder_days) \
                and return_remind_before_expiry(ret=ret, now=now):
            reminded.append(ret.number)
    return reminded


def deadlines_run(*, now: datetime | None = None) -> dict[str, list[str]]:
    """The scheduled job (every few minutes): reminders, then expiries."""
    now = now or timezone.now()
    return {"reminded": returns_remind_before_expiry(now=now),
            "expired": returns_expire_unsent(now=now)}
