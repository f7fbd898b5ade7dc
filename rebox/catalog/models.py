"""Products as the shop sells them: categories, dropship suppliers, products, variants."""

from django.conf import settings
from django.db import models

from rebox.core.models import Store


class Category(models.Model):
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")

    class Meta:
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(fields=["store", "slug"], name="category_slug_per_store")
        ]

    def __str__(self) -> str:
        return self.name


class Supplier(models.Model):
    """A dropship supplier: ships to the customer directly and takes returns back itself."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="suppliers")
    code = models.SlugField(max_length=64)
    name = models.CharField(max_length=200)
    is_dropship = models.BooleanField(default=True)
    contact_name = models.CharField(max_length=200, blank=True)
    email = models.EmailField()
    phone = models.CharField(max_length=40, blank=True)
    return_address = models.JSONField(
        default=dict, help_text="name, line1, line2, city, postal_code, country"
    )
    language = models.CharField(
        max_length=8, choices=settings.LANGUAGES, blank=True,
        help_text="Their decision page and emails are in this language; left empty, the store's"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "code"], name="supplier_code_per_store")
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # A new supplier gets the store's language, stored, so that a later change of the
        # store's language does not silently change the language the supplier is written in.
        if not self.language:
            self.language = supplier_language_default(self.store.default_language)
        super().save(*args, **kwargs)


def supplier_language_default(store_language: str) -> str:
    """The store's language (``da``, ``he-IL``...) if Rebox writes in it, else English."""
    code = (store_language or "").replace("_", "-").split("-")[0].lower()
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class Product(models.Model):
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="products")
    handle = models.SlugField(max_length=200)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="products")
    supplier = models.ForeignKey(Supplier, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="products")
    final_sale = models.BooleanField(default=False)
    policy_tags = models.JSONField(default=list, blank=True,
                                   help_text="Free-form tags the return policy can match")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "handle"], name="product_handle_per_store")
        ]

    def __str__(self) -> str:
        return self.title


class Variant(models.Model):
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="variants")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    sku = models.CharField(max_length=64)
    barcode = models.CharField(max_length=64, blank=True)
    size = models.CharField(max_length=32, blank=True)
    colour = models.CharField(max_length=32, blank=True)
    price_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "sku"], name="variant_sku_per_store"),
            models.CheckConstraint(condition=models.Q(price_minor__gte=0),
                                   name="variant_price_not_negative"),
        ]
        indexes = [models.Index(fields=["store", "barcode"])]

    def __str__(self) -> str:
        return self.sku

    @property
    def label(self) -> str:
        options = " / ".join(v for v in (self.size, self.colour) if v)
        return f"{self.product.title} — {options}" if options else self.product.title
