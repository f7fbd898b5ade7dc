from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "rebox.inventory"
    label = "inventory"
