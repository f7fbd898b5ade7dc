"""/refunds/: the list, the day's report, a refund's page and its two actions."""

from django.urls import path

from rebox.backoffice.refunds import views

urlpatterns = [
    path("", views.refunds, name="refunds"),
    path("report.csv", views.report, name="refunds_report"),
    path("<str:number>/", views.detail, name="refund"),
    path("<str:number>/retry/", views.retry, name="refund_retry"),
    path("<str:number>/manual/", views.manual, name="refund_manual"),
]
