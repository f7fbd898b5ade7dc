"""A return (RMA) and its lines. Each line has two independent axes, as in Solidus:
what physically arrived (reception) and what the store accepts (acceptance)."""

from django.db import models

from rebox.core.models import Store
from rebox.orders.models import Order, OrderLine
from rebox.returns.states import ReturnStatus


class Resolution(models.TextChoices):
    REFUND = "refund", "Refund"
    EXCHANGE = "exchange", "Exchange"
    STORE_CREDIT = "store_credit", "Store credit"
    KEEP_ITEM = "keep_item", "Keep the item"


class Method(models.TextChoices):
    MAIL_LABEL = "mail_label", "Prepaid mail label"
    DROP_OFF = "drop_off", "Drop-off"
    COURIER_PICKUP = "courier_pickup", "Courier pickup"


class LegalBasis(models.TextChoices):
    CHANGE_OF_MIND = "change_of_mind", "Change of mind"
    DEFECT = "defect", "Defect"
    GOODWILL = "goodwill", "Goodwill"
    RECALL = "recall", "Recall"


class Reception(models.TextChoices):
    AWAITING = "awaiting", "Awaiting"
    RECEIVED = "received", "Received"
    LOST = "lost", "Lost in transit"
    SHORT = "short", "Short"
    WRONG_ITEM = "wrong_item", "Wrong item"
    UNEXPECTED = "unexpected", "Unexpected extra item"


class Acceptance(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    PARTLY = "partly", "Partly accepted"


class Return(models.Model):
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="returns")
    number = models.CharField(max_length=20, help_text="random Crockford base32, not guessable")
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="returns")
    status = models.CharField(max_length=20, choices=ReturnStatus.choices,
                              default=ReturnStatus.REQUESTED)
    resolution = models.CharField(max_length=20, choices=Resolution.choices)
    method = models.CharField(max_length=20, choices=Method.choices)
    email = models.EmailField()
    decline_reason = models.TextField(blank=True)
    policy_version = models.PositiveIntegerField(help_text="number of the version that governed")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "number"], name="return_number_per_store"),
        ]
        indexes = [models.Index(fields=["store", "created_at"], name="return_store_created")]

    def __str__(self) -> str:
        return self.number


class ReturnLine(models.Model):
    ret = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="return_lines")
    quantity = models.PositiveIntegerField()
    reason_code = models.CharField(max_length=64)
    comment = models.TextField(blank=True)
    basis = models.CharField(max_length=20, choices=LegalBasis.choices)
    reception = models.CharField(max_length=20, choices=Reception.choices,
                                 default=Reception.AWAITING)
    acceptance = models.CharField(max_length=20, choices=Acceptance.choices,
                                  default=Acceptance.PENDING)
    quantity_received = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="return_line_quantity_positive"),
        ]
