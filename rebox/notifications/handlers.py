"""Outbox handlers: which event makes which email, and every event to the store's webhooks.

Order emails are one handler each; the return journey's are one table
(``return_emails.RETURN_EMAILS``), and so are the resolution's (refund issued, store credit,
exchange, goodwill: ``resolution_emails.RESOLUTION_EMAILS``).

Registered by NotificationsConfig.ready.

Each one is idempotent (see ``notification_queue``, ``webhook_deliveries_queue``): the
outbox delivers at least once.
"""

from rebox.core.models import OutboxEvent
from rebox.core.outbox import outbox_handler
from rebox.notifications.models import NotificationKind
from rebox.notifications.resolution_emails import RESOLUTION_EMAILS, resolution_email_queue
from rebox.notifications.return_emails import RETURN_EMAILS, return_email_queue
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


def write_about_return(event: OutboxEvent) -> None:
    return_email_queue(event=event)


for _topic in RETURN_EMAILS:  # the table says which letter each event writes
    outbox_handler(_topic)(write_about_return)


def write_about_resolution(event: OutboxEvent) -> None:
    resolution_email_queue(event=event)


for _topic in RESOLUTION_EMAILS:  # refunds, credit, exchanges, goodwill: one table too
    outbox_handler(_topic)(write_about_resolution)


@outbox_handler("*")
def send_to_webhooks(event: OutboxEvent) -> None:
    webhook_deliveries_queue(event=event)
