from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "rebox.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from rebox.notifications import handlers  # noqa: F401 - registers outbox handlers
