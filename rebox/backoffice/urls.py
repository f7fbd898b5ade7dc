from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import RedirectView

from rebox.backoffice import views
from rebox.backoffice.forms import StaffLoginForm

app_name = "backoffice"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="backoffice:orders", query_string=True),
         name="home"),
    path("login/", auth_views.LoginView.as_view(
        template_name="backoffice/login.html", authentication_form=StaffLoginForm,
        redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="backoffice:login"), name="logout"),
    path("store/", views.store_switch, name="store_switch"),
    path("orders/", views.orders_list, name="orders"),
    path("orders/<str:number>/", views.order_detail, name="order"),
]
