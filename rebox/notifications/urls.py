from django.urls import path

from rebox.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.mailboxes, name="mailboxes"),
    path("<slug:store>/", views.notification_list, name="list"),
    path("<slug:store>/<uuid:notification_id>/", views.notification_detail, name="detail"),
]
