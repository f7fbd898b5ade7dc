"""Jobs of the refunds app: pay one refund back, sweep the ones due, reconcile with the gateway."""

from celery import shared_task

from rebox.refunds.credit import credits_expire
from rebox.refunds.services import refund_execute, refunds_sweep


@shared_task(acks_late=True)
def refund_execute_task(refund_id: int) -> str:
    return refund_execute(refund_id)


@shared_task
def refund_sweep() -> int:
    return refunds_sweep()


@shared_task
def credit_expiry() -> int:
    return credits_expire()


@shared_task
def refund_reconcile() -> dict:
    from rebox.refunds.reconcile import refunds_reconcile

    outcome = refunds_reconcile()
    return {"checked": outcome.checked, "found": outcome.found,
            "found_after_failure": outcome.found_after_failure, "missing": len(outcome.missing)}


@shared_task
def refunds_digest() -> int:
    from rebox.refunds.digest import digests_send

    return digests_send()
