"""/api/v1 catalog: categories, suppliers, products with variants, and stock."""

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from rebox.api.common import ERRORS, actor_for
from rebox.catalog.models import Category, Product, Supplier, Variant
from rebox.catalog.services import (
    ProductSpec,
    VariantSpec,
    category_create,
    product_archive,
    product_create,
    product_get,
    product_update,
    supplier_upsert,
)
from rebox.core.errors import FieldError, NotFound, ValidationFailed
from rebox.inventory.models import Location, MovementKind, StockLevel
from rebox.inventory.services import stock_move

router = Router(tags=["catalog"])
SLUG = r"^[a-z0-9][a-z0-9-_]*$"


class CategoryIn(Schema):
    slug: str = Field(..., pattern=SLUG, max_length=100)
    name: str = Field(..., min_length=1, max_length=200)
    parent: str | None = None


class CategoryOut(Schema):
    slug: str
    name: str
    parent: str | None


class SupplierIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    email: str = Field(..., pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    is_dropship: bool = True
    contact_name: str = ""
    phone: str = ""
    return_address: dict = Field(default_factory=dict)
    # their decision page and emails; left out: unchanged, for a new supplier the store's
    language: Literal["en", "he", "da", "uk"] | None = None


class SupplierOut(SupplierIn):
    code: str
    language: str


class VariantIn(Schema):
    sku: str = Field(..., min_length=1, max_length=64)
    price_minor: int = Field(..., ge=0)
    barcode: str = Field("", max_length=64)
    size: str = Field("", max_length=32)
    colour: str = Field("", max_length=32)


class VariantOut(VariantIn):
    currency: str
    is_active: bool


class ProductIn(Schema):
    handle: str = Field(..., pattern=SLUG, max_length=200)
    title: str = Field(..., min_length=1, max_length=300)
    description: str = ""
    category: str | None = None
    supplier: str | None = None
    final_sale: bool = False
    policy_tags: list[str] = Field(default_factory=list)
    variants: list[VariantIn] = Field(..., min_length=1, max_length=500)


class ProductPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=300)
    description: str | None = None
    category: str | None = None
    supplier: str | None = None
    final_sale: bool | None = None
    policy_tags: list[str] | None = None
    variants: list[VariantIn] | None = None


class ProductOut(Schema):
    handle: str
    title: str
    description: str
    category: str | None
    supplier: str | None
    final_sale: bool
    policy_tags: list[str]
    variants: list[VariantOut]


class StockMoveIn(Schema):
    sku: str
    location: str = Field(..., description="location code")
    kind: str = Field(..., pattern=r"^(received|adjusted|written_off)$")
    quantity: int = Field(..., description="positive; for 'adjusted' the sign is the direction")
    why: str = Field("", max_length=300)


class StockOut(Schema):
    sku: str
    location: str
    on_hand: int
    reserved: int
    available: int


def _product_out(product: Product) -> dict:
    return {
        "handle": product.handle, "title": product.title, "description": product.description,
        "category": product.category.slug if product.category else None,
        "supplier": product.supplier.code if product.supplier else None,
        "final_sale": product.final_sale, "policy_tags": product.policy_tags,
        "variants": [
            {"sku": v.sku, "price_minor": v.price_minor, "barcode": v.barcode, "size": v.size,
             "colour": v.colour, "currency": v.currency, "is_active": v.is_active}
            for v in product.variants.all()
        ],
    }


@router.get("/categories", response=list[CategoryOut])
def list_categories(request: HttpRequest):
    return [{"slug": c.slug, "name": c.name, "parent": c.parent.slug if c.parent else None}
            for c in Category.objects.filter(store=request.store).select_related("parent")]


@router.post("/categories", response={201: CategoryOut, **ERRORS})
def create_category(request: HttpRequest, payload: CategoryIn):
    category_create(store=request.store, slug=payload.slug, name=payload.name,
                    parent=payload.parent)
    return Status(201, payload.dict())


@router.get("/suppliers", response=list[SupplierOut])
def list_suppliers(request: HttpRequest):
    return list(Supplier.objects.filter(store=request.store))


@router.put("/suppliers/{code}", response={200: SupplierOut, **ERRORS})
def put_supplier(request: HttpRequest, code: str, payload: SupplierIn):
    return supplier_upsert(store=request.store, code=code, **payload.dict(exclude_none=True))


@router.get("/products", response=list[ProductOut])
def list_products(request: HttpRequest, offset: int = 0, limit: int = 50):
    qs = (Product.objects.filter(store=request.store).select_related("category", "supplier")
          .prefetch_related("variants").order_by("id"))
    return [_product_out(p) for p in qs[max(offset, 0): max(offset, 0) + min(max(limit, 1), 200)]]


@router.post("/products", response={201: ProductOut, **ERRORS})
def create_product(request: HttpRequest, payload: ProductIn):
    data = payload.dict()
    spec = ProductSpec(**{**data, "variants": [VariantSpec(**v) for v in data["variants"]]})
    product = product_create(store=request.store, spec=spec)
    return Status(201, _product_out(product_get(store=request.store, handle=product.handle)))


@router.get("/products/{handle}", response={200: ProductOut, **ERRORS})
def get_product(request: HttpRequest, handle: str):
    return _product_out(product_get(store=request.store, handle=handle))


@router.patch("/products/{handle}", response={200: ProductOut, **ERRORS})
def patch_product(request: HttpRequest, handle: str, payload: ProductPatch):
    product_update(store=request.store, handle=handle, changes=payload.dict(exclude_unset=True))
    return _product_out(product_get(store=request.store, handle=handle))


@router.delete("/products/{handle}", response={204: None, **ERRORS})
def archive_product(request: HttpRequest, handle: str):
    product_archive(store=request.store, handle=handle)
    return Status(204, None)


@router.post("/stock/movements", response={201: StockOut, **ERRORS}, tags=["stock"])
def move_stock(request: HttpRequest, payload: StockMoveIn):
    variant = Variant.objects.filter(store=request.store, sku=payload.sku).first()
    location = Location.objects.filter(store=request.store, code=payload.location).first()
    errors = []
    if variant is None:
        errors.append(FieldError("sku", f"unknown SKU {payload.sku!r}"))
    if location is None:
        errors.append(FieldError("location", f"unknown location {payload.location!r}"))
    if payload.quantity == 0 or (payload.kind != MovementKind.ADJUSTED and payload.quantity < 0):
        errors.append(FieldError("quantity", "must be positive (non-zero for adjustments)"))
    if errors:
        raise ValidationFailed(errors=errors)
    stock_move(store_id=request.store.pk, variant_id=variant.pk, location_id=location.pk,
               kind=payload.kind, quantity=payload.quantity, actor=actor_for(request),
               why=payload.why)
    level = StockLevel.objects.get(variant=variant, location=location)
    return Status(201, {"sku": variant.sku, "location": location.code, "on_hand": level.on_hand,
                 "reserved": level.reserved, "available": level.available})


@router.get("/stock/{sku}", response={200: list[StockOut], **ERRORS}, tags=["stock"])
def get_stock(request: HttpRequest, sku: str):
    variant = Variant.objects.filter(store=request.store, sku=sku).first()
    if variant is None:
        raise NotFound(f"No SKU {sku}")
    return [{"sku": sku, "location": level.location.code, "on_hand": level.on_hand,
             "reserved": level.reserved, "available": level.available}
            for level in StockLevel.objects.filter(variant=variant).select_related("location")]
