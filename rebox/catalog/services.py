"""Catalog commands: categories, suppliers, products with their variants."""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from rebox.catalog.models import Category, Product, Supplier, Variant
from rebox.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from rebox.core.models import Store


@dataclass
class VariantSpec:
    sku: str
    price_minor: int
    barcode: str = ""
    size: str = ""
    colour: str = ""


@dataclass
class ProductSpec:
    handle: str
    title: str
    description: str = ""
    category: str | None = None  # category slug
    supplier: str | None = None  # supplier code
    final_sale: bool = False
    policy_tags: list[str] = field(default_factory=list)
    variants: list[VariantSpec] = field(default_factory=list)


def category_create(*, store: Store, slug: str, name: str, parent: str | None = None) -> Category:
    parent_obj = _category(store, parent, "parent") if parent else None
    try:
        with transaction.atomic():
            return Category.objects.create(store=store, slug=slug, name=name, parent=parent_obj)
    except IntegrityError as exc:
        raise Conflict(errors=[FieldError("slug", f"category {slug!r} already exists")]) from exc


def supplier_upsert(*, store: Store, code: str, **fields) -> Supplier:
    supplier, _ = Supplier.objects.update_or_create(store=store, code=code, defaults=fields)
    return supplier


def _category(store: Store, slug: str, field_name: str) -> Category:
    category = Category.objects.filter(store=store, slug=slug).first()
    if category is None:
        raise ValidationFailed(errors=[FieldError(field_name, f"no category {slug!r}")])
    return category


def _supplier(store: Store, code: str) -> Supplier:
    supplier = Supplier.objects.filter(store=store, code=code).first()
    if supplier is None:
        raise ValidationFailed(errors=[FieldError("supplier", f"no supplier {code!r}")])
    return supplier


def _check_skus(store: Store, variants: list[VariantSpec], *, exclude_product: int | None = None):
    errors = []
    seen: set[str] = set()
    for i, spec in enumerate(variants):
        if spec.sku in seen:
            errors.append(FieldError(f"variants[{i}].sku", f"{spec.sku!r} appears twice"))
        seen.add(spec.sku)
    taken = Variant.objects.filter(store=store, sku__in=seen)
    if exclude_product:
        taken = taken.exclude(product_id=exclude_product)
    taken_skus = set(taken.values_list("sku", flat=True))
    errors += [FieldError(f"variants[{i}].sku", f"SKU {spec.sku!r} is already used")
               for i, spec in enumerate(variants) if spec.sku in taken_skus]
    if errors:
        raise Conflict("SKUs must be unique in a store", errors=errors)


def product_create(*, store: Store, spec: ProductSpec) -> Product:
    if Product.objects.filter(store=store, handle=spec.handle).exists():
        raise Conflict(errors=[FieldError("handle", f"product {spec.handle!r} already exists")])
    _check_skus(store, spec.variants)
    with transaction.atomic():
        product = Product.objects.create(
            store=store, handle=spec.handle, title=spec.title, description=spec.description,
            category=_category(store, spec.category, "category") if spec.category else None,
            supplier=_supplier(store, spec.supplier) if spec.supplier else None,
            final_sale=spec.final_sale, policy_tags=spec.policy_tags,
        )
        Variant.objects.bulk_create([
            Variant(store=store, product=product, currency=store.currency, **vars(v))
            for v in spec.variants
        ])
    return product


def product_update(*, store: Store, handle: str, changes: dict) -> Product:
    """Change product fields and add or update variants (by SKU); variants are never
    deleted here because orders and stock refer to them (deactivate them instead)."""
    product = product_get(store=store, handle=handle)
    variants = changes.pop("variants", None)
    with transaction.atomic():
        if "category" in changes:
            slug = changes.pop("category")
            product.category = _category(store, slug, "category") if slug else None
        if "supplier" in changes:
            code = changes.pop("supplier")
            product.supplier = _supplier(store, code) if code else None
        for name, value in changes.items():
            setattr(product, name, value)
        product.save()
        if variants is not None:
            specs = [VariantSpec(**v) if isinstance(v, dict) else v for v in variants]
            _check_skus(store, specs, exclude_product=product.pk)
            for spec in specs:
                Variant.objects.update_or_create(
                    store=store, product=product, sku=spec.sku,
                    defaults={**vars(spec), "currency": store.currency, "is_active": True})
    return product


def product_archive(*, store: Store, handle: str) -> None:
    """Products with history cannot vanish: their variants are deactivated instead."""
    product = product_get(store=store, handle=handle)
    product.variants.update(is_active=False)


def product_get(*, store: Store, handle: str) -> Product:
    product = Product.objects.filter(store=store, handle=handle).select_related(
        "category", "supplier").prefetch_related("variants").first()
    if product is None:
        raise NotFound(f"No product {handle}")
    return product
