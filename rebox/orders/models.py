"""Customers, orders and what happened to them: payments, shipments, tracking."""

from django.db import models

from rebox.core.models import Store
from rebox.orders.states import OrderStatus, ShipmentStatus


class Customer(models.Model):
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="customers")
    email = models.EmailField()
    name = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    language = models.CharField(max_length=8, blank=True)
    country = models.CharField(max_length=2, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "email"], name="customer_email_per_store")
        ]

    def __str__(self) -> str:
        return self.email


class Order(models.Model):
    class Source(models.TextChoices):
        API = "api", "API"
        SHOPIFY = "shopify", "Shopify"
        WOOCOMMERCE = "woocommerce", "WooCommerce"
        IMPORT = "import", "Import"
        STAFF = "staff", "Back office"
        EXCHANGE = "exchange", "Exchange or replacement of a return"

    # db_index=False: every index below starts with store, so one of its own would only
    # cost each insert
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="orders",
                              db_index=False)
    number = models.CharField(max_length=64)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="orders")
    email = models.EmailField()
    status = models.CharField(max_length=20, choices=OrderStatus.choices)
    currency = models.CharField(max_length=3)
    language = models.CharField(max_length=8, default="en")
    placed_at = models.DateTimeField()
    shipping_address = models.JSONField(
        default=dict, help_text="name, line1, line2, city, postal_code, country, phone"
    )
    subtotal_minor = models.BigIntegerField()
    discount_minor = models.BigIntegerField(default=0)
    shipping_minor = models.BigIntegerField(default=0)
    tax_minor = models.BigIntegerField(default=0)
    total_minor = models.BigIntegerField()
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.API)
    external_id = models.CharField(max_length=100, null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    gift_receipt_code = models.CharField(
        max_length=20, blank=True, default="", db_default="",
        help_text="printed on a gift receipt; lets the recipient return without seeing prices")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "number"], name="order_number_per_store"),
            models.UniqueConstraint(fields=["store", "gift_receipt_code"],
                                    condition=~models.Q(gift_receipt_code=""),
                                    name="order_gift_receipt_code_per_store"),
            models.UniqueConstraint(fields=["store", "source", "external_id"],
                                    name="order_external_id_per_source"),
        ]
        indexes = [
            models.Index(fields=["store", "-placed_at", "-id"]),
            models.Index(fields=["store", "status", "-placed_at"]),
            models.Index(fields=["store", "email"]),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def shipping_country(self) -> str:
        return self.shipping_address.get("country", "")


class OrderLine(models.Model):
    """One line as sold; what the product was at the time is copied here on purpose."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    # db_index=False: line_position_per_order (order, position) finds an order's lines
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines",
                              db_index=False)
    position = models.PositiveSmallIntegerField()
    variant = models.ForeignKey("catalog.Variant", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    sku = models.CharField(max_length=64)
    title = models.CharField(max_length=300)
    quantity = models.PositiveIntegerField()
    unit_price_minor = models.BigIntegerField()
    discount_minor = models.BigIntegerField(default=0, help_text="for the whole line")
    tax_minor = models.BigIntegerField(default=0, help_text="for the whole line")
    total_minor = models.BigIntegerField(help_text="quantity × unit price − discount + tax")
    # Snapshot for return rules: the policy in force decides by these, not today's catalog.
    category_slug = models.CharField(max_length=100, blank=True)
    supplier_code = models.CharField(max_length=64, blank=True)
    final_sale = models.BooleanField(default=False)
    policy_tags = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["order", "position"], name="line_position_per_order"),
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="line_quantity_positive"),
        ]


class Payment(models.Model):
    class Method(models.TextChoices):
        CARD = "card", "Card"
        GIFT_CARD = "gift_card", "Gift card"
        STORE_CREDIT = "store_credit", "Store credit"
        PAYPAL = "paypal", "PayPal"
        BANK_TRANSFER = "bank_transfer", "Bank transfer"
        CASH_ON_DELIVERY = "cash_on_delivery", "Cash on delivery"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        AUTHORIZED = "authorized", "Authorized"
        CAPTURED = "captured", "Captured"

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="payments")
    method = models.CharField(max_length=20, choices=Method.choices)
    gateway = models.CharField(max_length=40, blank=True)
    reference = models.CharField(max_length=200, blank=True)
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.CAPTURED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_minor__gt=0),
                                   name="payment_amount_positive"),
        ]


class Shipment(models.Model):
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="shipments")
    carrier = models.CharField(max_length=40)
    service = models.CharField(max_length=60, blank=True)
    tracking_number = models.CharField(max_length=100)
    tracking_url = models.URLField(blank=True)
    status = models.CharField(max_length=20, choices=ShipmentStatus.choices,
                              default=ShipmentStatus.LABEL_CREATED)
    shipped_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "carrier", "tracking_number"],
                                    name="tracking_number_per_carrier"),
        ]


class ShipmentLine(models.Model):
    """How many of an order line went in a shipment: delivered quantity is a sum of these."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(OrderLine, on_delete=models.CASCADE,
                                   related_name="shipment_lines")
    quantity = models.PositiveIntegerField()


class TrackingEvent(models.Model):
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="events")
    external_id = models.CharField(max_length=100)
    status = models.CharField(max_length=20, choices=ShipmentStatus.choices)
    occurred_at = models.DateTimeField()
    location = models.CharField(max_length=200, blank=True)
    description = models.CharField(max_length=300, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shipment", "external_id"],
                                    name="tracking_event_once"),
        ]


class InboundWebhook(models.Model):
    """Every signed webhook we accepted, kept as received: nothing a sender sent is lost."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=20)
    delivery_id = models.CharField(max_length=200)
    topic = models.CharField(max_length=100, blank=True)
    body = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "source", "delivery_id"],
                                    name="webhook_delivery_once"),
        ]
