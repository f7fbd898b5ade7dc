from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from rebox.backoffice import views
from rebox.backoffice.policy import reasons as policy_reasons
from rebox.backoffice.policy import trial as policy_trial
from rebox.backoffice.policy import views as policy

app_name = "backoffice"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="backoffice:orders", query_string=True),
         name="home"),
    path("login/", views.StaffLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="backoffice:login"), name="logout"),
    path("store/", views.store_switch, name="store_switch"),
    path("orders/", views.orders_list, name="orders"),
    path("orders/<str:number>/", views.order_detail, name="order"),
    path("returns/", include("rebox.backoffice.returns.urls")),
    path("refunds/", include("rebox.backoffice.refunds.urls")),
    path("policy/", policy.policy_overview, name="policy"),
    path("policy/versions/", policy.policy_history, name="policy_history"),
    path("policy/new/", policy.policy_new, name="policy_new"),
    path("policy/reasons/", policy_reasons.policy_reasons, name="policy_reasons"),
    path("policy/versions/<int:number>/", policy.policy_version, name="policy_version"),
    path("policy/versions/<int:number>/edit/", policy.policy_edit, name="policy_edit"),
    path("policy/versions/<int:number>/preview/", policy_trial.policy_preview, name="policy_preview"),
    path("policy/versions/<int:number>/simulation/", policy_trial.policy_simulation,
         name="policy_simulation"),
    path("policy/versions/<int:number>/publish/", policy_trial.policy_publish, name="policy_publish"),
]
