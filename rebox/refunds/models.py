"""Refunds: one row per payment refunded, written (with its idempotency key) before any
gateway is called, and the gateway accounts a store refunds through."""

from django.db import models

from rebox.core.models import Store
from rebox.orders.models import Order, OrderLine, Payment


class GatewayAccount(models.Model):
    """How a store reaches a payment gateway. ``gateway`` names an adapter in
    ``rebox.refunds.gateways``; ``payment_gateway`` is the value orders carry in
    Payment.gateway for payments taken through it."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="gateway_accounts")
    payment_gateway = models.CharField(max_length=40, help_text="e.g. stripe")
    gateway = models.CharField(max_length=40, help_text="adapter: stripe | manual")
    secret_key = models.CharField(max_length=200, blank=True)
    api_base = models.URLField(blank=True, help_text="empty: the gateway's public address")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "payment_gateway"], name="gateway_account_per_store"),
        ]


class Refund(models.Model):
    """Money going back to one payment. ``pending → processing → succeeded | failed``;
    the lease fields (``rebox.core.lease``) make one worker at a time call the gateway,
    and the idempotency key, stored with the row, makes repeated calls one refund."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        PROCESSING = "processing", "Processing"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="refunds")
    number = models.CharField(max_length=20, help_text="random, shown to staff and in emails")
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="refunds")
    ret = models.ForeignKey("returns.Return", null=True, blank=True, on_delete=models.PROTECT,
                            related_name="refunds")
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    gateway = models.CharField(max_length=40, help_text="adapter used: stripe | manual")
    idempotency_key = models.CharField(max_length=80, unique=True)
    gateway_reference = models.CharField(max_length=200, blank=True, help_text="the gateway's refund id")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    reason = models.CharField(max_length=200, blank=True)
    created_by = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    succeeded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "number"], name="refund_number_per_store"),
            models.CheckConstraint(condition=models.Q(amount_minor__gt=0), name="refund_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["next_attempt_at"], name="refund_due",
                         condition=models.Q(status__in=["pending", "processing"])),
            models.Index(fields=["store", "status", "created_at"], name="refund_store_status"),
        ]

    def __str__(self) -> str:
        return self.number


class RefundLine(models.Model):
    """The part of a refund that pays back one order line (gateways that refund by line)."""

    refund = models.ForeignKey(Refund, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="+")
    amount_minor = models.BigIntegerField()

    class Meta:
        ordering = ["pk"]


class CreditAccount(models.Model):
    """A customer's store credit in one store and currency, reached by a code the storefront
    can check and redeem. The balance is the sum of its entries, never stored apart."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="credit_accounts")
    customer = models.ForeignKey("orders.Customer", on_delete=models.PROTECT, related_name="credit_accounts")
    code = models.CharField(max_length=24, help_text="random, shown to the customer")
    currency = models.CharField(max_length=3)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "code"], name="credit_code_per_store"),
            models.UniqueConstraint(fields=["store", "customer", "currency"],
                                    name="credit_account_per_customer"),
        ]

    def __str__(self) -> str:
        return self.code


class CreditEntry(models.Model):
    """One movement of store credit: issued (+), spent (-), expired (-), adjusted (±)."""

    class Kind(models.TextChoices):
        ISSUED = "issued", "Issued"
        BONUS = "bonus", "Bonus for choosing credit"
        SPENT = "spent", "Spent"
        EXPIRED = "expired", "Expired"
        ADJUSTED = "adjusted", "Adjusted"

    account = models.ForeignKey(CreditAccount, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    amount_minor = models.BigIntegerField(help_text="signed: positive adds to the balance")
    ret = models.ForeignKey("returns.Return", null=True, blank=True, on_delete=models.PROTECT,
                            related_name="credit_entries")
    reference = models.CharField(max_length=200, blank=True, help_text="e.g. the storefront's order")
    idempotency_key = models.CharField(max_length=120, null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    actor_label = models.CharField(max_length=200)
    why = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["account", "idempotency_key"], name="credit_entry_once"),
            models.CheckConstraint(condition=~models.Q(amount_minor=0), name="credit_entry_not_zero"),
        ]


class ResolutionSettings(models.Model):
    """When a store's returns pay back, and what choosing credit earns."""

    class Trigger(models.TextChoices):
        APPROVED = "approved", "On approval (the customer keeps the money while the parcel travels)"
        IN_TRANSIT = "in_transit", "On the carrier's first scan"
        RECEIVED = "received", "On receipt at the warehouse"
        INSPECTED = "inspected", "After inspection"

    store = models.OneToOneField(Store, on_delete=models.CASCADE, related_name="resolution_settings")
    refund_trigger = models.CharField(max_length=12, choices=Trigger.choices, default=Trigger.INSPECTED)
    credit_bonus_percent = models.PositiveSmallIntegerField(
        default=0, help_text="extra store credit for choosing credit over a refund, e.g. 10")
