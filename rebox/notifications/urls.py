from django.urls import path

from rebox.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<uuid:notification_id>/", views.notification_detail, name="detail"),
]
