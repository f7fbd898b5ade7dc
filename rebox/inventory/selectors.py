"""Stock queries."""

from django.db.models import F, Sum

from rebox.inventory.models import StockLevel


def available_by_variant(*, store_id: int, variant_ids: list[int]) -> dict[int, int]:
    rows = (
        StockLevel.objects.filter(store_id=store_id, variant_id__in=variant_ids)
        .values("variant_id")
        .annotate(available=Sum(F("on_hand") - F("reserved")))
    )
    return {row["variant_id"]: row["available"] for row in rows}
