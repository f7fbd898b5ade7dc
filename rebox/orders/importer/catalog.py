"""The store's catalog as the importer needs it: by SKU, what a line copies at the sale."""

from dataclasses import dataclass

from rebox.catalog.models import Variant
from rebox.core.models import Store


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    variant_id: int
    title: str
    category_slug: str
    supplier_code: str
    final_sale: bool
    policy_tags: list


def catalog_for(store: Store) -> dict[str, CatalogEntry]:
    """Every variant of the store by SKU, active or not (history sold what it sold)."""
    variants = (Variant.objects.filter(store=store)
                .select_related("product__category", "product__supplier").iterator(chunk_size=5000))
    return {v.sku: CatalogEntry(
        variant_id=v.pk, title=v.label[:300],
        category_slug=v.product.category.slug if v.product.category else "",
        supplier_code=v.product.supplier.code if v.product.supplier else "",
        final_sale=v.product.final_sale, policy_tags=list(v.product.policy_tags),
    ) for v in variants}
