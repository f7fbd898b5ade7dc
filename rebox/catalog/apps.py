from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "rebox.catalog"
    label = "catalog"
