"""Carriers, return parcels and their labels, routing of return lines to destinations.

A return is split into parcels by destination (one per warehouse, store, 3PL, supplier,
liquidator or recycler its lines go to). Each parcel has one label purchase (a row held
under a lease while the carrier is called: ``rebox.core.lease``), tracking events, and, when
it goes to a dropship supplier, the supplier's decision and credit.
"""

from django.db import models

from rebox.catalog.models import Supplier
from rebox.core.fields import EncryptedCharField
from rebox.core.models import Address, Store
from rebox.inventory.models import Location
from rebox.returns.models import Return, ReturnLine


class DestinationKind(models.TextChoices):
    WAREHOUSE = "warehouse", "Warehouse"
    STORE = "store", "Store"
    THIRD_PARTY = "3pl", "3PL"
    SUPPLIER = "supplier", "Supplier"
    LIQUIDATOR = "liquidator", "Liquidator"
    RECYCLER = "recycler", "Recycler"


class Destination(models.Model):
    """Somewhere returned items can be sent. Warehouses say which categories they restock."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    code = models.SlugField(max_length=64)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=DestinationKind.choices)
    address = models.JSONField(default=dict, help_text="name, line1, line2, city, postal_code, country")
    country = models.CharField(max_length=2)
    location = models.ForeignKey(
        Location,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="inventory location (warehouses)",
    )
    restocks = models.JSONField(default=list, blank=True, help_text="category slugs restocked here")
    position = models.PositiveIntegerField(default=0, help_text="lower is nearer: tried first")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["store", "code"], name="destination_code_per_store"),
        ]

    def __str__(self) -> str:
        return self.name


class RoutingRule(models.Model):
    """First matching rule (by position) decides a line's destination. Empty match fields
    match anything; a value threshold matches lines whose unit value is below it."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(default=0)
    category_slug = models.CharField(max_length=100, blank=True)
    supplier_code = models.CharField(max_length=64, blank=True)
    customer_country = models.CharField(max_length=2, blank=True)
    unit_value_below_minor = models.BigIntegerField(null=True, blank=True)
    destination = models.ForeignKey(Destination, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["position", "pk"]


class CarrierAccount(models.Model):
    """Which carrier buys a store's return labels (none: the built-in label)."""

    class Carrier(models.TextChoices):
        BUILTIN = "builtin", "Rebox label"
        EASYPOST = "easypost", "EasyPost"

    store = models.OneToOneField(Store, on_delete=models.CASCADE, related_name="+")
    carrier = models.CharField(max_length=16, choices=Carrier.choices, default=Carrier.BUILTIN)
    api_key = EncryptedCharField(max_length=200, blank=True)
    base_url = models.URLField(blank=True, help_text="empty: the carrier's public API")
    parcel = models.JSONField(
        default=dict, blank=True, help_text="default parcel: weight (oz), length, width, height (in)"
    )


class ParcelStatus(models.TextChoices):
    CREATED = "created", "Created"
    IN_TRANSIT = "in_transit", "In transit"
    DELIVERED = "delivered", "Delivered"


class SupplierDecision(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    REFUSED = "refused", "Refused"


class Parcel(models.Model):
    """One box going back: the lines of a return that share a destination."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    ret = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="parcels")
    method = models.CharField(max_length=20, help_text="the return's method when planned")
    destination = models.ForeignKey(
        Destination, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    supplier = models.ForeignKey(Supplier, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    return_address = models.ForeignKey(
        Address, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # snapshot: the label says where it went, whatever the destination becomes later
    destination_kind = models.CharField(max_length=16, choices=DestinationKind.choices)
    destination_name = models.CharField(max_length=200)
    destination_address = models.JSONField(default=dict)
    carrier = models.CharField(max_length=40, blank=True)
    service = models.CharField(max_length=60, blank=True)
    tracking_number = models.CharField(max_length=100, blank=True)
    tracking_url = models.URLField(blank=True, max_length=500)
    status = models.CharField(max_length=16, choices=ParcelStatus.choices, default=ParcelStatus.CREATED)
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    supplier_decision = models.CharField(max_length=16, choices=SupplierDecision.choices, blank=True)
    supplier_note = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    supplier_credit_minor = models.BigIntegerField(null=True, blank=True)
    supplier_credit_currency = models.CharField(max_length=3, blank=True)
    credit_confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["store", "carrier", "tracking_number"])]


class ParcelLine(models.Model):
    parcel = models.ForeignKey(Parcel, on_delete=models.CASCADE, related_name="lines")
    line = models.OneToOneField(
        ReturnLine,
        on_delete=models.CASCADE,
        related_name="parcel_line",
        help_text="a return line travels in exactly one parcel",
    )
    quantity = models.PositiveIntegerField()

    class Meta:
        ordering = ["pk"]


class LabelStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    PURCHASING = "purchasing", "Purchasing"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class Label(models.Model):
    """The parcel's label (or drop-off QR code) and the job that buys it, under a lease.

    ``reference`` is derived from the parcel and sent to the carrier: a retry after a crash
    finds the shipment the first try made instead of buying a second label."""

    class Document(models.TextChoices):
        LABEL = "label", "Shipping label"
        DROP_OFF_QR = "drop_off_qr", "Drop-off QR code"

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    parcel = models.OneToOneField(Parcel, on_delete=models.CASCADE, related_name="label")
    document = models.CharField(max_length=16, choices=Document.choices, default=Document.LABEL)
    reference = models.CharField(max_length=100, unique=True)
    status = models.CharField(max_length=16, choices=LabelStatus.choices, default=LabelStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    file = models.CharField(max_length=300, blank=True, help_text="name in default storage")
    carrier_shipment_id = models.CharField(max_length=100, blank=True)
    carrier_label_url = models.URLField(blank=True, max_length=500)
    pickup_confirmation = models.CharField(max_length=100, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="label_due",
                condition=models.Q(status__in=["pending", "purchasing"]),
            ),
        ]


class ParcelEvent(models.Model):
    """A tracking event of a return parcel; the carrier's id makes a repeat a no-op."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    parcel = models.ForeignKey(Parcel, on_delete=models.CASCADE, related_name="events")
    external_id = models.CharField(max_length=100)
    status = models.CharField(max_length=16, choices=ParcelStatus.choices)
    occurred_at = models.DateTimeField()
    location = models.CharField(max_length=200, blank=True)
    description = models.CharField(max_length=300, blank=True)
    source = models.CharField(max_length=200, help_text="carrier webhook or who scanned")
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["parcel", "external_id"], name="parcel_event_once"),
        ]
