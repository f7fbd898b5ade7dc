from django.apps import AppConfig


class WarehouseConfig(AppConfig):
    name = "rebox.warehouse"
    label = "warehouse"
    default_auto_field = "django.db.models.BigAutoField"
