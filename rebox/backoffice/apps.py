from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "rebox.backoffice"
    label = "backoffice"
