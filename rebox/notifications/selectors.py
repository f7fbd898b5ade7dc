"""Notification queries. Staff reads are scoped to the stores the user is a member of."""

from django.db.models import Q, QuerySet

from rebox.core.errors import NotFound
from rebox.core.models import OutboxEvent, Store
from rebox.notifications.models import Notification
from rebox.orders.models import Order, Shipment


def order_for_event(event: OutboxEvent) -> Order:
    return (Order.objects.select_related("store", "customer").prefetch_related("lines")
            .get(pk=event.subject_id, store_id=event.store_id))


def shipment_for_event(event: OutboxEvent, *, order: Order) -> Shipment:
    return Shipment.objects.prefetch_related("lines").get(
        pk=event.payload["shipment_id"], order=order)


def notifications_for_store(*, store: Store, status: str = "", search: str = "") -> QuerySet:
    qs = Notification.objects.filter(store=store).defer("text", "html", "attachment")
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(Q(recipient__icontains=search) | Q(subject__icontains=search))
    return qs


def notification_for_staff(*, store: Store, notification_id) -> Notification:
    notification = Notification.objects.filter(store=store, pk=notification_id).first()
    if notification is None:
        raise NotFound(f"No message {notification_id}")
    return notification
