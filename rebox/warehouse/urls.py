"""Warehouse screens (built for barcode scanners): receiving and inspection of returns."""

app_name = "warehouse"
urlpatterns: list = []
