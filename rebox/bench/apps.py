from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "rebox.bench"
    label = "bench"
