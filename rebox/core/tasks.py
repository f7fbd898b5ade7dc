"""Jobs of the core app: deliver outbox events, sweep the ones a crash left behind."""

from celery import shared_task

from rebox.core.outbox import outbox_deliver_event, outbox_due_ids


@shared_task(acks_late=True)
def outbox_deliver(event_id: str) -> bool:
    return outbox_deliver_event(event_id)


@shared_task
def outbox_sweep() -> int:
    delivered = 0
    for event_id in outbox_due_ids():
        delivered += bool(outbox_deliver_event(event_id))
    return delivered
