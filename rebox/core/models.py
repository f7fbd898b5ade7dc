"""Tenancy (stores, staff roles, API keys), the audit trail, the outbox and idempotency."""

import uuid

from django.conf import settings
from django.db import models

from rebox.core.fields import EncryptedJSONField


class Store(models.Model):
    """A tenant: one online shop (or one client of a 3PL). Every owned row points here."""

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    currency = models.CharField(max_length=3)
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 of the seller")
    languages = models.JSONField(default=list, help_text="Language codes offered to shoppers")
    default_language = models.CharField(max_length=8, default="en")
    time_zone = models.CharField(max_length=64, default="UTC")
    branding = models.JSONField(default=dict, blank=True)
    support_email = models.EmailField(blank=True)
    # Shared secrets for signed inbound webhooks (Shopify, WooCommerce, carriers), encrypted at rest.
    webhook_secrets = EncryptedJSONField(default=dict, blank=True)
    # Return handling deadlines and choices (the back-office queue and the expiry job read them).
    return_response_hours = models.PositiveIntegerField(
        default=48, help_text="hours staff have to answer a return request")
    return_send_days = models.PositiveIntegerField(
        default=14, help_text="days the customer has to send an approved return before it expires")
    return_reminder_days = models.PositiveIntegerField(
        default=3, help_text="days before expiry the customer is reminded")
    gift_returns_notify_buyer = models.BooleanField(
        default=False, help_text="tell the buyer when a gift recipient returns an item")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name

    @property
    def brand_color(self) -> str:
        return self.branding.get("primary_color", "#1f6feb")


class Address(models.Model):
    """A store's return address (warehouse, shop, 3PL); suppliers keep their own."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="return_addresses")
    label = models.CharField(max_length=100)
    name = models.CharField(max_length=200)
    line1 = models.CharField(max_length=200)
    line2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2)
    is_default = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.label}: {self.line1}, {self.city}"


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    AGENT = "agent", "Agent"
    WAREHOUSE = "warehouse", "Warehouse"
    ANALYST = "analyst", "Analyst"


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="memberships")
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "store"], name="membership_one_role_per_store")
        ]


class ApiKey(models.Model):
    """An integrator's key. Only a SHA-256 of the secret is kept; the prefix finds the row."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ActorType(models.TextChoices):
    CUSTOMER = "customer", "Customer"
    STAFF = "staff", "Staff"
    INTEGRATION = "integration", "Integration"
    CARRIER = "carrier", "Carrier"
    SUPPLIER = "supplier", "Supplier"
    SYSTEM = "system", "System"


class AuditEntry(models.Model):
    """Who did what to which record, when and why. Append-only; the timeline reads it."""

    # db_index=False: the (store, subject_type, subject_id, at) index below serves store
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+", db_index=False)
    at = models.DateTimeField()
    actor_type = models.CharField(max_length=16, choices=ActorType.choices)
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=64)
    subject_type = models.CharField(max_length=32)
    subject_id = models.BigIntegerField()
    why = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["store", "subject_type", "subject_id", "at"])]
        ordering = ["at", "id"]


class OutboxEvent(models.Model):
    """An event written in the same transaction as the change that caused it.

    The worker delivers it (email, webhooks) at least once; the event id travels with
    every delivery so that receivers can drop duplicates.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    topic = models.CharField(max_length=64)
    subject_type = models.CharField(max_length=32)
    subject_id = models.BigIntegerField()
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField()
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_pending_idx",
                condition=models.Q(processed_at__isnull=True),
            )
        ]


class IdempotencyRecord(models.Model):
    """The first answer to a POST carrying an Idempotency-Key, replayed on retries."""

    # db_index=False: idempotency_key_once_per_store (store, key) serves store
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+", db_index=False)
    key = models.CharField(max_length=255)
    scope = models.CharField(max_length=100, help_text="operation the key was used for")
    request_hash = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "key"], name="idempotency_key_once_per_store")
        ]
