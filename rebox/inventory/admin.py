from django.contrib import admin

from rebox.core.admin import ReadOnlyAdmin
from rebox.inventory.models import Location, StockLevel, StockMovement


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "is_default", "store")
    list_filter = ("store", "kind")
    search_fields = ("name", "code")


@admin.register(StockLevel)
class StockLevelAdmin(ReadOnlyAdmin):
    list_display = ("variant", "location", "on_hand", "reserved", "store")
    list_filter = ("store", "location")
    search_fields = ("variant__sku",)
    list_select_related = ("variant", "location", "store")


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyAdmin):
    list_display = ("at", "variant", "location", "kind", "on_hand_delta", "reserved_delta",
                    "actor_label", "why")
    list_filter = ("store", "kind", "location")
    search_fields = ("variant__sku", "why")
    list_select_related = ("variant", "location")
    date_hierarchy = "at"
