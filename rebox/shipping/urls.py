"""Public shipping pages: label downloads by signed link, supplier pages, carrier hooks."""

from django.urls import path

from rebox.shipping import views

app_name = "shipping"
urlpatterns = [
    path("shipping/labels/<str:token>.pdf", views.label_file, name="label"),
    path("shipping/supplier/<str:token>", views.supplier_page, name="supplier"),
    path("shipping/hooks/<slug:store_slug>/tracking", views.tracking_hook, name="tracking_hook"),
]
