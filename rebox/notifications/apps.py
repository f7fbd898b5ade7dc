from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "rebox.notifications"
    label = "notifications"
