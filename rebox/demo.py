"""The demo store (slug ``demo``): loaded once by `make run`; re-running keeps the data."""

import json
import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from rebox.core.api_keys import api_key_create
from rebox.core.models import Membership, Role, Store

DEMO_SLUG = "demo"
DEMO_USER = "demo@rebox.localhost"


def seed_demo(stdout=None) -> Store:
    existing = Store.objects.filter(slug=DEMO_SLUG).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        store = Store.objects.create(
            slug=DEMO_SLUG, name="Nordlys & Co.", currency="EUR", country="DK",
            languages=["en", "da", "he", "uk"], default_language="en",
            time_zone="Europe/Copenhagen", support_email="help@nordlys.example",
            branding={"primary_color": "#0f766e"},
            webhook_secrets={k: secrets.token_hex(16)
                             for k in ("shopify", "woocommerce", "tracking")},
        )
        password = secrets.token_urlsafe(9)
        user = get_user_model().objects.create_user(
            username=DEMO_USER, email=DEMO_USER, password=password)
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        Membership.objects.create(user=user, store=store, role=Role.OWNER)
        _, raw_key = api_key_create(store=store, name="demo")
    credentials = {"store": DEMO_SLUG, "username": DEMO_USER, "password": password,
                   "api_key": raw_key}
    path = settings.VAR_DIR / "demo.json"
    path.write_text(json.dumps(credentials, indent=2))
    os.chmod(path, 0o600)
    if stdout:
        stdout.write("Loaded the demo store 'demo'.")
    return store
