from django.apps import AppConfig


class RefundsConfig(AppConfig):
    name = "rebox.refunds"
    label = "refunds"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from rebox.refunds import handlers  # noqa: F401 - registers outbox handlers
