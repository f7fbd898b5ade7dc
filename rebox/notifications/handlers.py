"""Outbox handlers: which event makes which email, and every event to the store's webhooks.

Registered by NotificationsConfig.ready.

Each one is idempotent (see ``notification_queue``, ``webhook_deliveries_queue``): the
outbox delivers at least once.
"""

from rebox.core.models import OutboxEvent
from rebox.core.outbox import outbox_handler
from rebox.notifications.models import NotificationKind
from rebox.notifications.selectors import order_for_event, shipment_for_event
from rebox.notifications.services import notification_queue
from rebox.notifications.webhooks.services import webhook_deliveries_queue


@outbox_handler("order.placed")
def confirm_order(event: OutboxEvent) -> None:
    notification_queue(event=event, kind=NotificationKind.ORDER_CONFIRMATION,
                       order=order_for_event(event))


@outbox_handler("order.shipped")
def announce_shipment(event: OutboxEvent) -> None:
    order = order_for_event(event)
    notification_queue(event=event, kind=NotificationKind.ORDER_SHIPPED, order=order,
                       shipment=shipment_for_event(event, order=order))


@outbox_handler("order.delivered")
def ask_for_feedback(event: OutboxEvent) -> None:
    notification_queue(event=event, kind=NotificationKind.ORDER_DELIVERED,
                       order=order_for_event(event))


@outbox_handler("*")
def send_to_webhooks(event: OutboxEvent) -> None:
    webhook_deliveries_queue(event=event)
