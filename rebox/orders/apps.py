from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "rebox.orders"
    label = "orders"
