"""Messages to people, one row per (event, kind, recipient), kept as they were sent.

A row is composed once, when the event arrives, so every retry sends exactly the same
subject, parts and Message-ID.
"""

import uuid

from django.db import models

from rebox.core.fields import EncryptedCharField
from rebox.core.models import Store


class NotificationKind(models.TextChoices):
    ORDER_CONFIRMATION = "order_confirmation", "Order confirmation"
    ORDER_SHIPPED = "order_shipped", "Order shipped"
    ORDER_DELIVERED = "order_delivered", "Order delivered"
    RETURN_REQUESTED = "return_requested", "Return requested"
    WITHDRAWAL_RECEIVED = "withdrawal_received", "Withdrawal acknowledged"
    RETURN_APPROVED = "return_approved", "Return approved"
    RETURN_DECLINED = "return_declined", "Return declined"
    RETURN_INFO_REQUESTED = "return_info_requested", "More information asked"
    RETURN_LABEL_READY = "return_label_ready", "Return label"
    RETURN_RECEIVED = "return_received", "Return received"
    RETURN_INSPECTED = "return_inspected", "Return inspected"
    RETURN_EXPIRY_REMINDER = "return_expiry_reminder", "Return expiry reminder"
    RETURN_EXPIRED = "return_expired", "Return expired"
    GIFT_BUYER_NOTICE = "gift_buyer_notice", "Gift returned (to the buyer)"
    SUPPLIER_RETURN_ROUTED = "supplier_return_routed", "Return routed to a supplier"
    RETURN_RESOLVED = "return_resolved", "Return resolved (thank you)"
    REFUND_ISSUED = "refund_issued", "Refund issued"
    CREDIT_ISSUED = "credit_issued", "Store credit available"
    EXCHANGE_CREATED = "exchange_created", "Exchange on its way"
    GOODWILL_OFFER = "goodwill_offer", "Goodwill offer"


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
    # One file at most (a return label PDF, a drop-off QR code), stored with the message so
    # that every attempt sends the very same bytes.
    attachment_name = models.CharField(max_length=120, blank=True)
    attachment_type = models.CharField(max_length=80, blank=True)
    attachment = models.BinaryField(blank=True, default=b"")
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


class WebhookEndpoint(models.Model):
    """An integrator's URL that receives the store's events, signed with its own secret.

    The secret is kept as given (an HMAC needs it), encrypted at rest; the API shows it
    once, at creation.
    """

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField(max_length=2000)
    secret = EncryptedCharField(max_length=100)
    topics = models.JSONField(default=list, help_text='event topics, or ["*"] for every one')
    is_active = models.BooleanField(default=True)
    description = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.url

    def wants(self, topic: str) -> bool:
        return "*" in self.topics or topic in self.topics


class WebhookDeliveryStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


class WebhookDelivery(models.Model):
    """One event for one endpoint. The body is stored as the exact text sent on every attempt."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE,
                                 related_name="deliveries")
    event_id = models.UUIDField(help_text="the outbox event; receivers deduplicate by it")
    topic = models.CharField(max_length=64)
    body = models.TextField(help_text="the JSON text that is signed and sent")
    status = models.CharField(max_length=10, choices=WebhookDeliveryStatus.choices,
                              default=WebhookDeliveryStatus.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event_id"],
                                    name="webhook_delivery_once_per_endpoint_event"),
        ]
        indexes = [
            models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_recent_idx"),
            models.Index(fields=["next_attempt_at"], name="webhook_delivery_due_idx",
                         condition=models.Q(status__in=["queued", "sending"])),
        ]

    def __str__(self) -> str:
        return f"{self.topic} to {self.endpoint_id}"
