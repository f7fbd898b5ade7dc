"""Stock: an append-only ledger of movements, and a per-location level derived from it.

`StockLevel` is a projection of `StockMovement` kept in step by `stock_move` in the same
transaction (the only writer of both); a reconciliation check recomputes it from the
ledger. Reservations are an atomic conditional UPDATE on the level row, which is what
stops the last unit being sold twice under concurrency.
"""

from django.db import models

from rebox.core.models import Store


class Location(models.Model):
    class Kind(models.TextChoices):
        WAREHOUSE = "warehouse", "Warehouse"
        SHOP = "shop", "Shop"
        THIRD_PARTY = "3pl", "3PL warehouse"
        SUPPLIER = "supplier", "Supplier (dropship)"

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="locations")
    code = models.SlugField(max_length=32)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.WAREHOUSE)
    is_default = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "code"], name="location_code_per_store")
        ]

    def __str__(self) -> str:
        return self.name


class MovementKind(models.TextChoices):
    RECEIVED = "received", "Received"
    RESERVED = "reserved", "Reserved"
    RELEASED = "released", "Released"
    SHIPPED = "shipped", "Shipped"
    RETURNED_TO_STOCK = "returned_to_stock", "Returned to stock"
    ADJUSTED = "adjusted", "Adjusted"
    WRITTEN_OFF = "written_off", "Written off"


class StockMovement(models.Model):
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    # db_index=False: the (variant, location, at) index below finds a variant's movements
    variant = models.ForeignKey("catalog.Variant", on_delete=models.PROTECT, related_name="+",
                                db_index=False)
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=MovementKind.choices)
    on_hand_delta = models.IntegerField()
    reserved_delta = models.IntegerField()
    order_line = models.ForeignKey("orders.OrderLine", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="stock_movements")
    at = models.DateTimeField()
    actor_label = models.CharField(max_length=200)
    why = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [models.Index(fields=["variant", "location", "at"])]


class StockLevel(models.Model):
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.CASCADE,
                                related_name="stock_levels")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="+")
    on_hand = models.IntegerField(default=0)
    reserved = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["variant", "location"], name="one_level_per_place"),
            models.CheckConstraint(condition=models.Q(reserved__gte=0), name="reserved_not_negative"),
            models.CheckConstraint(condition=models.Q(on_hand__gte=0), name="on_hand_not_negative"),
            models.CheckConstraint(condition=models.Q(reserved__lte=models.F("on_hand")),
                                   name="reserved_within_on_hand"),
        ]

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved
