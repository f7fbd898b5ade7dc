"""Refunds: one row per payment refunded, written (with its idempotency key) before any
gateway is called, and the gateway accounts a store refunds through."""

from django.db import models

from rebox.core.fields import EncryptedCharField
from rebox.core.models import Store
from rebox.orders.models import Order, OrderLine, Payment


class GatewayAccount(models.Model):
    """How a store reaches a payment gateway. ``gateway`` names an adapter in
    ``rebox.refunds.gateways``; ``payment_gateway`` is the value orders carry in
    Payment.gateway for payments taken through it."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="gateway_accounts")
    payment_gateway = models.CharField(max_length=40, help_text="e.g. stripe")
    gateway = models.CharField(max_length=40, help_text="adapter: stripe | manual")
    secret_key = EncryptedCharField(max_length=200, blank=True)
    api_base = models.URLField(blank=True, help_text="empty: the gateway's public address")
    webhook_secret = EncryptedCharField(max_length=200, blank=True,
                                        help_text="signs the gateway's webhooks (Stripe: whsec_...)")

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
    keep_item_below_minor = models.BigIntegerField(
        default=0, help_text="a refund or credit return worth less than this is paid without the parcel "
                             "(the customer keeps the item); 0: never")
    cheaper_exchange_settles_as = models.CharField(
        max_length=12, choices=[("refund", "Refund"), ("store_credit", "Store credit")], default="refund",
        help_text="when the new item costs less than the returned one, the difference goes back as")
    instant_exchange = models.BooleanField(
        default=False,
        help_text="trusted customers' replacements ship at approval, before the original arrives")
    instant_exchange_min_delivered_orders = models.PositiveSmallIntegerField(
        default=3,
        help_text="trusted: at least this many delivered orders and no declined or rejected return")


class Exchange(models.Model):
    """The replacement a return asks for: the units wanted (reserved while the return
    travels), the difference in price and how it is settled, and the new order.

    ``reserved`` (stock held) → ``awaiting_payment`` (the customer owes a difference: a
    payment link is out) → ``ready`` (nothing owed) → ``created`` (the new order exists) →
    for an instant exchange whose original never came: ``charge_needed`` (then ``charged``)
    or ``reversed``;
    ``released`` when the return was cancelled, declined or expired first."""

    class Status(models.TextChoices):
        RESERVED = "reserved", "Stock reserved"
        AWAITING_PAYMENT = "awaiting_payment", "Waiting for the customer to pay the difference"
        READY = "ready", "Ready to become an order"
        CREATED = "created", "Replacement order created"
        CHARGE_NEEDED = "charge_needed", "Original not received: the customer is asked to pay"
        REVERSED = "reversed", "Original not received: the store credit was reversed"
        CHARGED = "charged", "Original not received: the customer paid for the replacement"
        RELEASED = "released", "Released"

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="exchanges")
    ret = models.OneToOneField("returns.Return", on_delete=models.PROTECT, related_name="exchange")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RESERVED)
    order = models.OneToOneField(Order, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="exchange_of", help_text="the replacement order")
    currency = models.CharField(max_length=3)
    credit_minor = models.BigIntegerField(help_text="what the returned units were paid")
    new_minor = models.BigIntegerField(help_text="what the wanted units cost")
    difference_minor = models.BigIntegerField(
        help_text="new minus credit: positive the customer pays it, negative the store gives it back")
    difference_paid_reference = models.CharField(max_length=200, blank=True)
    difference_paid_gateway = models.CharField(max_length=40, blank=True,
                                               help_text="e.g. stripe; empty: staff")
    difference_settled = models.BooleanField(default=False)
    payment_link = models.URLField(max_length=500, blank=True)
    payment_link_error = models.TextField(blank=True)
    instant = models.BooleanField(default=False)
    charge_minor = models.BigIntegerField(default=0,
                                          help_text="instant exchange: asked for, original never came")
    created_by = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["instant", "status"], name="exchange_instant_status")]

    def __str__(self) -> str:
        return f"exchange for {self.ret_id}"


class ExchangeLine(models.Model):
    """Units of one returned line exchanged for a variant, with the stock held for them."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="lines")
    return_line = models.ForeignKey("returns.ReturnLine", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", help_text="the returned line it replaces, if one")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()
    unit_price_minor = models.BigIntegerField(help_text="what one wanted unit costs in the new order")
    location = models.ForeignKey("inventory.Location", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", help_text="where stock is held; empty: not held")

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0),
                                   name="exchange_line_quantity_positive"),
        ]


class Goodwill(models.Model):
    """Something given beyond what was owed, with who gave it and why: a discount code for a
    future purchase, a full refund, or a free replacement."""

    class Kind(models.TextChoices):
        DISCOUNT_CODE = "discount_code", "Discount code"
        FULL_REFUND = "full_refund", "Full refund"
        FREE_REPLACEMENT = "free_replacement", "Free replacement"

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="goodwill")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="goodwill")
    ret = models.ForeignKey("returns.Return", null=True, blank=True, on_delete=models.PROTECT,
                            related_name="goodwill")
    code = models.CharField(max_length=24, blank=True, help_text="discount code the storefront honours")
    amount_minor = models.BigIntegerField(default=0, help_text="fixed value, or the refund given")
    percent = models.PositiveSmallIntegerField(default=0)
    currency = models.CharField(max_length=3)
    expires_at = models.DateTimeField(null=True, blank=True)
    replacement = models.OneToOneField(Order, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="goodwill_replacement_of")
    granted_by = models.CharField(max_length=200)
    why = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["store", "code"], condition=~models.Q(code=""),
                                    name="goodwill_code_per_store"),
            models.CheckConstraint(condition=models.Q(percent__lte=100), name="goodwill_percent_at_most_100"),
        ]
