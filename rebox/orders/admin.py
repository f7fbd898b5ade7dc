"""Orders are read here, never edited: every change goes through the order services, which
keep the audit trail, stock and outbound events in step."""

from django.contrib import admin

from rebox.core.admin import ReadOnlyAdmin
from rebox.orders.models import Customer, Order, OrderLine, Payment


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = ("position", "sku", "title", "quantity", "unit_price_minor", "discount_minor",
              "tax_minor", "total_minor")
    readonly_fields = fields


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = ("method", "gateway", "reference", "amount_minor", "currency", "status")
    readonly_fields = fields


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ("number", "store", "email", "status", "currency", "total_minor", "placed_at")
    list_filter = ("store", "status", "source")
    search_fields = ("number", "email", "external_id")
    list_select_related = ("store",)
    date_hierarchy = "placed_at"
    inlines = [OrderLineInline, PaymentInline]


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("email", "name", "country", "language", "store", "created_at")
    list_filter = ("store", "country")
    search_fields = ("email", "name", "phone")
    readonly_fields = ("store", "email", "created_at")
