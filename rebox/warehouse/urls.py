"""Warehouse screens (built for barcode scanners): receiving and inspection of returns."""

from django.urls import path

from rebox.warehouse import views

app_name = "warehouse"
urlpatterns = [
    path("", views.home, name="home"),
    path("returns/<str:number>/", views.parcel, name="parcel"),
    path("returns/<str:number>/scan/", views.scan, name="scan"),
    path("returns/<str:number>/complete/", views.complete, name="complete"),
    path("returns/<str:number>/lost/", views.lost, name="lost"),
    path("returns/<str:number>/units/<int:unit_id>/", views.unit_page, name="unit"),
]
