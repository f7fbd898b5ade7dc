"""Tracking of return parcels: carrier webhooks and staff scans record events here.

The first movement of any parcel puts the return in transit (``return_transition``, actor
carrier or the scanner); delivery to the destination is recorded on the parcel only: the
warehouse's receiving scan makes the return ``received``. The carrier's event id makes a
repeat a no-op, and a late "in transit" never undoes a delivery.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from rebox.core.actors import Actor
from rebox.core.audit import audit_record
from rebox.core.errors import FieldError, ValidationFailed
from rebox.core.event_bodies import event_body_errors
from rebox.core.outbox import outbox_publish
from rebox.returns.models import Return
from rebox.returns.services import return_transition
from rebox.returns.states import ReturnStatus
from rebox.shipping.models import Parcel, ParcelEvent, ParcelStatus

MOVES = (ParcelStatus.IN_TRANSIT, ParcelStatus.DELIVERED)


@dataclass(frozen=True)
class ParcelUpdate:
    external_id: str
    status: str
    occurred_at: datetime
    location: str = ""
    description: str = ""


def parcel_update_from(data: dict) -> ParcelUpdate:
    """Check a JSON body (webhook or scan) and read it; every problem named by field."""
    errors, occurred_at = event_body_errors(data, required=("id", "status", "occurred_at"), statuses=MOVES)
    if isinstance(data.get("id"), str) and len(data["id"]) > 100:
        errors.append(FieldError("id", "at most 100 characters"))
    if errors:
        raise ValidationFailed(errors=errors)
    return ParcelUpdate(
        external_id=data["id"],
        status=data["status"],
        occurred_at=occurred_at,
        location=str(data.get("location") or "")[:200],
        description=str(data.get("description") or "")[:300],
    )


def parcel_event_record(*, parcel: Parcel, update: ParcelUpdate, actor: Actor) -> bool:
    """Record one event; False when this event id was recorded before (nothing changes)."""
    with transaction.atomic():
        parcel = Parcel.objects.select_for_update(of=("self",)).select_related("ret").get(pk=parcel.pk)
        if ParcelEvent.objects.filter(parcel=parcel, external_id=update.external_id).exists():
            return False
        ParcelEvent.objects.create(
            store_id=parcel.store_id,
            parcel=parcel,
            external_id=update.external_id,
            status=update.status,
            occurred_at=update.occurred_at,
            location=update.location,
            description=update.description,
            source=f"{actor.type}:{actor.label}"[:200],
        )
        if parcel.status == ParcelStatus.CREATED:
            _moved(parcel, update, actor)
        if update.status == ParcelStatus.DELIVERED and parcel.status != ParcelStatus.DELIVERED:
            _delivered(parcel, update, actor)
    return True


def _moved(parcel: Parcel, update: ParcelUpdate, actor: Actor) -> None:
    parcel.status, parcel.shipped_at = ParcelStatus.IN_TRANSIT, update.occurred_at
    parcel.save(update_fields=["status", "shipped_at"])
    _publish(parcel, "parcel.in_transit", actor, update)
    ret = Return.objects.get(pk=parcel.ret_id)
    if ret.status == ReturnStatus.APPROVED:  # the first parcel on its way moves the return
        return_transition(
            ret=ret,
            to=ReturnStatus.IN_TRANSIT,
            actor=actor,
            why=f"parcel {parcel.pk} {update.status} {update.location}".strip(),
        )


def _delivered(parcel: Parcel, update: ParcelUpdate, actor: Actor) -> None:
    parcel.status, parcel.delivered_at = ParcelStatus.DELIVERED, update.occurred_at
    parcel.save(update_fields=["status", "delivered_at"])
    _publish(parcel, "parcel.delivered", actor, update)


def _publish(parcel: Parcel, topic: str, actor: Actor, update: ParcelUpdate) -> None:
    audit_record(
        store=parcel.store_id,
        actor=actor,
        action=topic,
        subject_type="return",
        subject_id=parcel.ret_id,
        why=update.description,
        details={
            "parcel": parcel.pk,
            "event": update.external_id,
            "location": update.location,
            "occurred_at": update.occurred_at.isoformat(),
        },
    )
    outbox_publish(
        store=parcel.store_id,
        topic=topic,
        subject_type="parcel",
        subject_id=parcel.pk,
        payload={
            "number": parcel.ret.number,
            "parcel_id": parcel.pk,
            "tracking_number": parcel.tracking_number,
            "occurred_at": update.occurred_at.isoformat(),
        },
    )
