from django.contrib import admin

from rebox.catalog.models import Category, Product, Supplier, Variant


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "parent", "store")
    list_filter = ("store",)
    search_fields = ("name", "slug")
    list_select_related = ("parent", "store")


@admin.register(Supplier)
class SupplierAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "is_dropship", "email", "language", "store")
    list_filter = ("store", "is_dropship", "language")
    search_fields = ("name", "code", "email")


class VariantInline(admin.TabularInline):
    model = Variant
    fields = ("sku", "barcode", "size", "colour", "price_minor", "currency", "is_active")
    extra = 0


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("title", "handle", "category", "supplier", "final_sale", "store")
    list_filter = ("store", "final_sale", "category")
    search_fields = ("title", "handle", "variants__sku")
    list_select_related = ("category", "supplier", "store")
    inlines = [VariantInline]

    def save_formset(self, request, form, formset, change):
        # A variant belongs to its product's store; the inline does not ask for it.
        for variant in formset.save(commit=False):
            variant.store_id = form.instance.store_id
            variant.save()
        for variant in formset.deleted_objects:
            variant.delete()
        formset.save_m2m()
