"""Messages to people, one row per (event, kind, recipient), kept as they were sent.

A row is composed once, when the event arrives, so every retry sends exactly the same
subject, parts and Message-ID.
"""

import uuid

from django.db import models

from rebox.core.models import Store


class NotificationKind(models.TextChoices):
    ORDER_CONFIRMATION = "order_confirmation", "Order confirmation"
    ORDER_SHIPPED = "order_shipped", "Order shipped"
    ORDER_DELIVERED = "order_delivered", "Order delivered"


class NotificationStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Notification(models.Model):
    """An email to one recipient caused by one outbox event."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    event_id = models.UUIDField(help_text="the outbox event that caused it")
    kind = models.CharField(max_length=40, choices=NotificationKind.choices)
    subject_type = models.CharField(max_length=32)
    subject_id = models.BigIntegerField()
    recipient = models.EmailField()
    language = models.CharField(max_length=8)
    subject = models.CharField(max_length=300)
    text = models.TextField()
    html = models.TextField()
    message_id = models.CharField(max_length=200, help_text="the same on every attempt")
    status = models.CharField(max_length=10, choices=NotificationStatus.choices,
                              default=NotificationStatus.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["event_id", "kind", "recipient"],
                                    name="notification_once_per_event_kind_recipient"),
        ]
        indexes = [
            models.Index(fields=["store", "-created_at"], name="notification_store_recent_idx"),
            models.Index(fields=["next_attempt_at"], name="notification_due_idx",
                         condition=models.Q(status__in=["queued", "sending"])),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient}"
