"""Public shipping pages: label downloads by signed link, supplier pages, carrier hooks."""

app_name = "shipping"
urlpatterns: list = []
