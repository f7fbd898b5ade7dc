"""Buying a parcel's label as a job, exactly once.

The label row is claimed under a lease (``rebox.core.lease``): one worker at a time. The
carrier gets the label's ``reference`` (derived from the parcel) and adapters look it up
before buying, so a job that crashed after the carrier answered but before the label was
saved finds the shipment it already bought when it runs again, and buys nothing more.
Failures go back to pending with a backoff; after the last attempt, or when the carrier
refuses the data, the label is failed, with the error, and staff retry it through the API.
"""

import logging
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from rebox.core.actors import SYSTEM, Actor
from rebox.core.audit import audit_record
from rebox.core.errors import Conflict
from rebox.core.lease import Lease
from rebox.core.outbox import outbox_publish
from rebox.shipping.carriers import (
    CarrierError,
    CarrierRefused,
    LabelLine,
    LabelRequest,
    PurchasedLabel,
    carrier_for,
)
from rebox.shipping.models import Label, LabelStatus, Parcel
from rebox.shipping.pdf import drop_off_pdf

logger = logging.getLogger("rebox.shipping")
MAX_ATTEMPTS = 6
PURCHASE = Lease(
    model=Label,
    waiting=LabelStatus.PENDING,
    holding=LabelStatus.PURCHASING,
    done=LabelStatus.READY,
    failed=LabelStatus.FAILED,
    duration=timedelta(minutes=5),
    max_attempts=MAX_ATTEMPTS,
)


def label_enqueue(label: Label) -> None:
    """Run the purchase job after the caller's transaction commits."""

    def enqueue():
        from rebox.shipping.tasks import label_purchase_task

        try:
            label_purchase_task.delay(label.pk)
        except Exception:  # broker down: the sweep picks the label up
            logger.warning("label %s not queued; the sweep will buy it", label.pk)

    transaction.on_commit(enqueue)


def label_request(parcel: Parcel, reference: str) -> LabelRequest:
    ret = parcel.ret
    lines = tuple(
        LabelLine(sku=pl.line.order_line.sku, title=pl.line.order_line.title, quantity=pl.quantity)
        for pl in parcel.lines.select_related("line__order_line")
    )
    return LabelRequest(
        reference=reference,
        return_number=ret.number,
        store_name=ret.store.name,
        method=parcel.method,
        from_address=dict(ret.order.shipping_address or {}),
        to_address=dict(parcel.destination_address),
        lines=lines,
        pickup_date=ret.pickup_date,
    )


def _document(label: Label) -> PurchasedLabel:
    parcel = label.parcel
    request = label_request(parcel, label.reference)
    if not request.to_address.get("line1"):
        raise CarrierRefused(f"{parcel.destination_name} has no return address to send the parcel to")
    if label.document == Label.Document.DROP_OFF_QR:
        pdf = drop_off_pdf(
            return_number=request.return_number,
            store_name=request.store_name,
            destination_name=parcel.destination_name,
            address=request.to_address,
            lines=request.lines,
        )
        return PurchasedLabel(
            carrier="drop_off", service="drop_off", tracking_number="", tracking_url="", label_pdf=pdf
        )
    return carrier_for(parcel.store).buy_label(request)


def label_purchase(*, label_id: int) -> str:
    """Buy one label if it is due: "ready", "retry", "failed" or "skipped".

    Call outside any transaction (tasks do): the claim must be committed before the carrier
    is called, so that another worker sees it."""
    label = PURCHASE.claim(
        label_id,
        related=("parcel", "parcel__ret", "parcel__ret__order", "parcel__ret__store", "parcel__store"),
    )
    if label is None:
        return "skipped"
    try:
        bought = _document(label)
    except CarrierError as exc:
        return _record_failure(label, f"{type(exc).__name__}: {exc}", permanent=exc.permanent)
    except Exception as exc:  # noqa: BLE001 - a bug or an outage: recorded and retried
        logger.exception("label %s purchase failed", label.pk)
        return _record_failure(label, f"{type(exc).__name__}: {exc}", permanent=False)
    _save(label, bought)
    return "ready"


def _save(label: Label, bought: PurchasedLabel) -> None:
    name = default_storage.save(
        f"labels/{label.store_id}/{label.reference}.pdf", ContentFile(bought.label_pdf)
    )
    parcel = label.parcel
    with transaction.atomic():
        saved = (
            Label.objects.filter(pk=label.pk)
            .exclude(status=LabelStatus.READY)
            .update(
                status=LabelStatus.READY,
                last_error="",
                file=name,
                carrier_shipment_id=bought.shipment_id,
                carrier_label_url=bought.label_url,
                pickup_confirmation=bought.pickup_confirmation,
                ready_at=timezone.now(),
            )
        )
        if not saved:  # another holder finished first (a lease that ran out): keep theirs
            default_storage.delete(name)
            return
        Parcel.objects.filter(pk=parcel.pk).update(
            carrier=bought.carrier,
            service=bought.service,
            tracking_number=bought.tracking_number,
            tracking_url=bought.tracking_url,
        )
        audit_record(
            store=label.store_id,
            actor=SYSTEM,
            action="parcel.label_ready",
            subject_type="return",
            subject_id=parcel.ret_id,
            details={
                "parcel": parcel.pk,
                "carrier": bought.carrier,
                "tracking_number": bought.tracking_number,
            },
        )
        outbox_publish(
            store=label.store_id,
            topic="parcel.label_ready",
            subject_type="parcel",
            subject_id=parcel.pk,
            payload={
                "number": parcel.ret.number,
                "parcel_id": parcel.pk,
                "document": label.document,
                "tracking_number": bought.tracking_number,
            },
        )


def _record_failure(label: Label, error: str, *, permanent: bool) -> str:
    logger.warning("label %s attempt %s failed: %s", label.pk, label.attempts, error)
    with transaction.atomic():
        outcome = PURCHASE.fail(label, error=error, permanent=permanent)
        if outcome == LabelStatus.FAILED:
            parcel = label.parcel
            audit_record(
                store=label.store_id,
                actor=SYSTEM,
                action="parcel.label_failed",
                subject_type="return",
                subject_id=parcel.ret_id,
                why=error[:300],
                details={"parcel": parcel.pk, "attempts": label.attempts},
            )
            outbox_publish(
                store=label.store_id,
                topic="parcel.label_failed",
                subject_type="parcel",
                subject_id=parcel.pk,
                payload={"number": parcel.ret.number, "parcel_id": parcel.pk, "error": error[:300]},
            )
    return outcome


def label_retry(*, parcel: Parcel, actor: Actor) -> Label:
    """Staff ask for a failed label again: a fresh round of attempts, due now."""
    with transaction.atomic():
        label = Label.objects.select_for_update().get(parcel=parcel)
        if not PURCHASE.requeue(label.pk):
            raise Conflict(f"The label of parcel {parcel.pk} is {label.status}; only a failed one is retried")
        audit_record(
            store=parcel.store_id,
            actor=actor,
            action="parcel.label_retried",
            subject_type="return",
            subject_id=parcel.ret_id,
            details={"parcel": parcel.pk, "last_error": label.last_error},
        )
        label.refresh_from_db()
        label_enqueue(label)
    return label


def labels_sweep(*, limit: int = 50) -> int:
    """Buy what is due: first tries a broker never ran, retries, expired claims."""
    PURCHASE.give_up_abandoned(why=f"A worker stopped while buying; gave up after {MAX_ATTEMPTS} attempts.")
    return sum(label_purchase(label_id=pk) == "ready" for pk in PURCHASE.due_ids(limit=limit))
