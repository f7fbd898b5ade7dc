from django.apps import AppConfig


class ShippingConfig(AppConfig):
    name = "rebox.shipping"
    label = "shipping"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from rebox.shipping import handlers  # noqa: F401 - registers outbox handlers
