"""A return (RMA) and its lines. Each line has two independent axes, as in Solidus:
what physically arrived (reception) and what the store accepts (acceptance)."""

from django.db import models

from rebox.catalog.models import Category, Variant
from rebox.core.models import Store
from rebox.inventory.models import Location
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


class Channel(models.TextChoices):
    PORTAL = "portal", "Return portal"
    WITHDRAWAL = "withdrawal", "EU withdrawal function"
    API = "api", "API"
    BACKOFFICE = "backoffice", "Back office"


class Grade(models.TextChoices):
    A = "A", "A: resellable as new"
    B = "B", "B: open box"
    C = "C", "C: refurbish"
    D = "D", "D: parts or scrap"


class Disposition(models.TextChoices):
    RESTOCK = "restock", "Restock"
    REFURBISH = "refurbish", "Refurbish"
    REPAIR = "repair", "Repair"
    RETURN_TO_SUPPLIER = "return_to_supplier", "Return to supplier"
    LIQUIDATE = "liquidate", "Liquidate"
    DONATE = "donate", "Donate"
    RECYCLE = "recycle", "Recycle"
    DISPOSE = "dispose", "Dispose (write off)"


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
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.API)
    language = models.CharField(max_length=8, default="en", help_text="the customer's language")
    gift = models.BooleanField(default=False, help_text="asked by a gift recipient: no prices shown")
    withdrawal = models.BooleanField(
        default=False, help_text="declared through the EU withdrawal function (CRD Art. 11a)")
    store_fault = models.BooleanField(default=False, help_text="a line's reason is the store's fault")
    currency = models.CharField(max_length=3, default="")
    value_minor = models.BigIntegerField(default=0, help_text="price paid for the returned units")
    quote = models.JSONField(default=dict, blank=True,
                             help_text="fees and amounts shown to the customer before confirming")
    pickup_date = models.DateField(null=True, blank=True, help_text="courier pickup day")
    info_requested = models.TextField(blank=True, help_text="what staff asked the customer to add")
    info_requested_at = models.DateTimeField(null=True, blank=True)
    respond_by = models.DateTimeField(null=True, blank=True, help_text="staff answer deadline")
    send_by = models.DateTimeField(null=True, blank=True, help_text="approved: expires if not sent")
    status_changed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "number"], name="return_number_per_store"),
        ]
        indexes = [
            models.Index(fields=["store", "created_at"], name="return_store_created"),
            models.Index(fields=["store", "status", "created_at"], name="return_store_status"),
            models.Index(fields=["status", "send_by"], name="return_status_send_by"),
        ]

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
    unit_value_minor = models.BigIntegerField(default=0, help_text="price paid per unit")
    exchange_variant = models.ForeignKey(
        Variant, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="the size or colour wanted instead (resolution exchange)")

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="return_line_quantity_positive"),
        ]


class ReturnUnit(models.Model):
    """One received unit of a line as inspected: grade, acceptance, and where it went."""

    line = models.ForeignKey(ReturnLine, on_delete=models.CASCADE, related_name="units")
    index = models.PositiveSmallIntegerField(help_text="1..quantity_received")
    grade = models.CharField(max_length=1, choices=Grade.choices, blank=True)
    acceptance = models.CharField(max_length=20, choices=Acceptance.choices,
                                  default=Acceptance.PENDING)
    rejection_reason = models.TextField(blank=True)
    deduction_percent = models.PositiveSmallIntegerField(
        default=0, help_text="partly accepted: share of the refund kept back (0-100)")
    checklist = models.JSONField(default=dict, blank=True, help_text="checklist item code -> bool")
    notes = models.TextField(blank=True)
    serial_number = models.CharField(max_length=100, blank=True)
    mismatch = models.TextField(blank=True, help_text="claimed reason contradicts what was found")
    inspected_by = models.CharField(max_length=200, blank=True)
    inspected_at = models.DateTimeField(null=True, blank=True)
    disposition = models.CharField(max_length=24, choices=Disposition.choices, blank=True)
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", help_text="restocked here")
    value_recovered_minor = models.BigIntegerField(default=0)
    disposed_by = models.CharField(max_length=200, blank=True)
    disposed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["line_id", "index"]
        constraints = [
            models.UniqueConstraint(fields=["line", "index"], name="return_unit_index_per_line"),
            models.CheckConstraint(condition=models.Q(deduction_percent__lte=100),
                                   name="return_unit_deduction_at_most_100"),
        ]


class ReceivingException(models.Model):
    """Something that did not match the announcement: a state of the parcel, never a note."""

    class Kind(models.TextChoices):
        LOST = "lost", "Lost in transit"
        SHORT = "short", "Fewer items than announced"
        WRONG_ITEM = "wrong_item", "Wrong item"
        UNEXPECTED = "unexpected", "Unexpected extra item"

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    ret = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="exceptions")
    line = models.ForeignKey(ReturnLine, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="exceptions")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    quantity = models.PositiveIntegerField(default=1)
    barcode = models.CharField(max_length=100, blank=True, help_text="what was scanned")
    note = models.TextField(blank=True)
    recorded_by = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]


class Evidence(models.Model):
    """A photo or video the customer (or an inspector) attached; checked by content."""

    class Kind(models.TextChoices):
        IMAGE = "image", "Image"
        VIDEO = "video", "Video"

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    ret = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="evidence")
    line = models.ForeignKey(ReturnLine, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="evidence")
    unit = models.ForeignKey(ReturnUnit, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="evidence")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    content_type = models.CharField(max_length=64, help_text="as detected from the bytes")
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    storage_name = models.CharField(max_length=300, help_text="name in default storage")
    original_name = models.CharField(max_length=255, blank=True)
    uploaded_by = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]


class InspectionChecklist(models.Model):
    """What to check per category (no category: the store's default list)."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="+")
    items = models.JSONField(default=list, help_text='[{"code": "...", "labels": {"en": "..."}}]')
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "category"], name="checklist_per_category",
                                    nulls_distinct=False),
        ]
