"""/returns/: the approval queue, a return's page, what returns cost and which products come
back and why (names in the backoffice namespace)."""

from django.urls import path

from rebox.backoffice.returns import behalf, costs, insights, views

urlpatterns = [
    path("", views.queue, name="returns"),
    path("approve/", views.bulk_approve, name="returns_bulk_approve"),
    path("new/", behalf.return_new, name="return_new"),
    path("costs/", costs.costs, name="return_costs"),
    path("costs.csv", costs.costs_csv, name="return_costs_csv"),
    path("insights/", insights.insights, name="return_insights"),
    path("insights.csv", insights.insights_csv, name="return_insights_csv"),
    path("<str:number>/", views.detail, name="return"),
    path("<str:number>/evidence/<int:evidence_id>/", views.evidence_file, name="return_evidence"),
    path("<str:number>/approve/", views.approve, name="return_approve"),
    path("<str:number>/decline/", views.decline, name="return_decline"),
    path("<str:number>/request-info/", views.request_info, name="return_request_info"),
]
