"""The shopper's pages, under /s/<store_slug>/ (public: no login, no API key)."""

from django.urls import path

from rebox.portal import views

app_name = "portal"
urlpatterns = [
    path("s/<slug:store_slug>/returns-policy", views.policy_page, name="policy"),
    path("s/<slug:store_slug>/returns-policy.json", views.policy_json, name="policy_json"),
    path("s/<slug:store_slug>/returns-policy/embed", views.policy_embed, name="policy_embed"),
    path("s/<slug:store_slug>/returns-policy/embed.js", views.policy_embed_js, name="policy_embed_js"),
]
