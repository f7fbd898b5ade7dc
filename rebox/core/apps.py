from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "rebox.core"
    label = "core"
    verbose_name = "Rebox core"
