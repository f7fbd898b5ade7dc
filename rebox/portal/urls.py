"""The shopper's pages, under /s/<store_slug>/ (public: no login, no API key)."""

from django.urls import path

from rebox.portal import journey_views, status_views, views, withdrawal_views

app_name = "portal"
urlpatterns = [
    path("s/<slug:store_slug>/returns-policy", views.policy_page, name="policy"),
    path("s/<slug:store_slug>/returns-policy.json", views.policy_json, name="policy_json"),
    path("s/<slug:store_slug>/returns-policy/embed", views.policy_embed, name="policy_embed"),
    path("s/<slug:store_slug>/returns-policy/embed.js", views.policy_embed_js, name="policy_embed_js"),
    # the return journey: find the order, choose, confirm; then the return's own pages
    path("s/<slug:store_slug>/returns", journey_views.lookup, name="lookup"),
    path("s/<slug:store_slug>/returns/", journey_views.lookup),
    path("s/<slug:store_slug>/withdraw", journey_views.lookup, {"withdrawal": True}, name="withdraw"),
    path("s/<slug:store_slug>/returns/o/<str:token>", journey_views.order_page, name="order"),
    path("s/<slug:store_slug>/returns/o/<str:token>/withdraw", withdrawal_views.withdrawal,
         name="withdrawal"),
    path("s/<slug:store_slug>/r/<str:token>", status_views.status_page, name="return_status"),
    path("s/<slug:store_slug>/r/<str:token>/done", journey_views.done_page, name="return_done"),
    path("s/<slug:store_slug>/r/<str:token>/cancel", status_views.cancel, name="return_cancel"),
    path("s/<slug:store_slug>/r/<str:token>/photos", status_views.add_photos, name="return_photos"),
]
