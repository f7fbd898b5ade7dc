"""Inbound webhooks: storefronts (Shopify, WooCommerce) and carriers, each HMAC-signed."""

from django.urls import path

from rebox.orders import hooks

app_name = "hooks"
urlpatterns = [
    path("tracking/<slug:store_slug>", hooks.tracking, name="tracking"),
    path("shopify/<slug:store_slug>", hooks.shopify, name="shopify"),
    path("woocommerce/<slug:store_slug>", hooks.woocommerce, name="woocommerce"),
]
