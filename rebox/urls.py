from django.contrib import admin
from django.http import HttpResponse, JsonResponse
from django.urls import include, path

from rebox.api.main import api


def healthz(request):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def robots(request):
    return HttpResponse("User-agent: *\nDisallow: /\n", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots),
    path("api/v1/", api.urls),
    path("hooks/", include("rebox.orders.hooks_urls")),
    path("refunds/", include("rebox.refunds.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("mail/", include("rebox.notifications.urls")),
    path("bench/", include("rebox.bench.urls")),
    path("warehouse/", include("rebox.warehouse.urls")),
    path("", include("rebox.shipping.urls")),
    path("", include("rebox.portal.urls")),
    path("", include("rebox.backoffice.urls")),
]
