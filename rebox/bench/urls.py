"""Bare 'ceiling' endpoints for the benchmark; routed only when REBOX_BENCH_ENDPOINTS is on."""

from django.conf import settings

urlpatterns = []
if settings.REBOX_BENCH_ENDPOINTS:
    from django.urls import path

    from rebox.bench import views

    urlpatterns = [
        path("ceiling/read", views.ceiling_read),
        path("ceiling/write", views.ceiling_write),
    ]
