from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "rebox.api"
    label = "api"
