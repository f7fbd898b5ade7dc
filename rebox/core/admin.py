"""Django admin for operators. It reads across every store, so only superusers get in;
staff work in the back office, which is scoped by store."""

from django.contrib import admin
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm

from rebox.backoffice.forms import StaffLoginForm
from rebox.backoffice.views import device_cookie_give
from rebox.core.models import ApiKey, Membership, Store


def superusers_only(request) -> bool:
    return request.user.is_active and request.user.is_superuser


class AdminLoginForm(StaffLoginForm, AdminAuthenticationForm):
    """The admin's log-in, throttled as the back office's is: one lock for both doors."""


def admin_login(request, extra_context=None):
    """The admin's log-in page, which gives a known device its cookie as the back office's does."""
    return device_cookie_give(request, AdminSite.login(admin.site, request, extra_context))


admin.site.has_permission = superusers_only
admin.site.login_form = AdminLoginForm
admin.site.login = admin_login
admin.site.site_header = "Rebox administration"
admin.site.site_title = "Rebox admin"


class ReadOnlyAdmin(admin.ModelAdmin):
    """For rows that change only through their services (which keep the audit trail, the
    stock ledger and outbound events in step): shown, never added, edited or deleted here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Store)
class StoreAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "currency", "country", "time_zone", "created_at")
    search_fields = ("name", "slug")
    readonly_fields = ("created_at",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "store", "role")
    list_filter = ("role", "store")
    search_fields = ("user__username", "user__email", "store__name")
    list_select_related = ("user", "store")
    raw_id_fields = ("user",)


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Keys are made with `rebox create-api-key` (the secret is shown once, then only its hash
    is kept); here they can be renamed or revoked."""

    list_display = ("name", "store", "prefix", "created_at", "revoked_at")
    list_filter = ("store",)
    search_fields = ("name", "prefix")
    fields = ("store", "name", "prefix", "secret_hash", "created_at", "revoked_at")
    readonly_fields = ("store", "prefix", "secret_hash", "created_at")

    def has_add_permission(self, request):
        return False
