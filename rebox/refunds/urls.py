"""Public endpoints of the refunds app (gateways calling us), under /refunds/."""

from django.urls import path

from rebox.refunds import views

app_name = "refunds"
urlpatterns = [
    path("hooks/stripe/<slug:store_slug>", views.stripe_hook, name="stripe_hook"),
]
