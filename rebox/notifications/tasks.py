"""Jobs of the notifications app: send one message or webhook, sweep the ones due (retries)."""

from celery import shared_task

from rebox.notifications.services import notification_send, notifications_sweep
from rebox.notifications.webhooks.services import webhook_send, webhooks_sweep


@shared_task(acks_late=True)
def notification_deliver(notification_id: str) -> str:
    return notification_send(notification_id=notification_id)


@shared_task
def notification_sweep() -> int:
    return notifications_sweep()


@shared_task(acks_late=True)
def webhook_deliver(delivery_id: int) -> str:
    return webhook_send(delivery_id=delivery_id)


@shared_task
def webhook_sweep() -> int:
    return webhooks_sweep()
