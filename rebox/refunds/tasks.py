"""Jobs of the refunds app: pay one refund back, sweep the ones due."""

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
