from django.contrib import admin

from rebox.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "store", "kind", "recipient", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "store"]
    search_fields = ["recipient", "subject", "message_id"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False
