from django.contrib import admin

from rebox.notifications.models import Notification, WebhookDelivery, WebhookEndpoint


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "store", "kind", "recipient", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "store"]
    search_fields = ["recipient", "subject", "message_id"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ["url", "store", "topics", "is_active", "created_at"]
    list_filter = ["is_active", "store"]
    search_fields = ["url", "description"]
    exclude = ["secret"]  # shown once, to the integrator who created it

    def has_add_permission(self, request):
        return False  # through the API, which shows the secret once


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "store", "topic", "endpoint", "status", "attempts",
                    "response_status", "delivered_at"]
    list_filter = ["status", "topic", "store"]
    search_fields = ["event_id", "endpoint__url"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]

    def has_add_permission(self, request):
        return False
