"""Jobs of the notifications app: send one message, sweep the ones due (retries)."""

from celery import shared_task

from rebox.notifications.services import notification_send, notifications_sweep


@shared_task(acks_late=True)
def notification_deliver(notification_id: str) -> str:
    return notification_send(notification_id=notification_id)


@shared_task
def notification_sweep() -> int:
    return notifications_sweep()
