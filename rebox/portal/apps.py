from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "rebox.portal"
    label = "portal"
    verbose_name = "Shopper pages"
