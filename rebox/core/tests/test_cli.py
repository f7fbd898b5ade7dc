"""The operator's commands."""

import io

import pytest
from django.core.management import CommandError, call_command

from rebox.core.api_keys import api_key_authenticate
from rebox.core.models import ApiKey

pytestmark = pytest.mark.django_db


def test_create_api_key_prints_a_working_key_once_and_stores_only_its_hash(store):
    out = io.StringIO()

    call_command("create_api_key", "--store", store.slug, "--name", "storefront", stdout=out,
                 stderr=io.StringIO())

    raw = out.getvalue().strip()
    key = ApiKey.objects.get(store=store, name="storefront")
    assert api_key_authenticate(raw).pk == key.pk
    assert raw not in (key.secret_hash, key.prefix)


def test_create_api_key_for_an_unknown_store_fails_clearly(db):
    with pytest.raises(CommandError, match="No store with slug 'nope'"):
        call_command("create_api_key", "--store", "nope", "--name", "x")


def test_a_revoked_key_no_longer_works(api, client):
    from rebox.core.api_keys import api_key_revoke

    api_key_revoke(key=ApiKey.objects.get(store=api.store))

    assert client.get("/api/v1/orders", HTTP_AUTHORIZATION=f"Bearer {api.key}").status_code == 401


def test_seeding_the_demo_twice_keeps_the_first_data(settings, tmp_path, django_capture_on_commit_callbacks):
    from rebox.demo import seed_demo
    from rebox.orders.models import Order
    from rebox.returns.models import Return
    from rebox.shipping.models import Parcel

    settings.VAR_DIR = tmp_path
    with django_capture_on_commit_callbacks(execute=True):  # the outbox runs as after each commit
        first = seed_demo()
    orders = Order.objects.filter(store=first).count()
    credentials = (tmp_path / "demo.json").read_text()

    second = seed_demo()

    assert second.pk == first.pk
    assert Order.objects.filter(store=first).count() == orders >= 300
    assert (tmp_path / "demo.json").read_text() == credentials
    statuses = set(Order.objects.filter(store=first).values_list("status", flat=True))
    assert {"pending", "paid", "shipped", "delivered"} <= statuses
    countries = {o.shipping_country for o in Order.objects.filter(store=first)}
    assert countries == {"IL", "DK", "UA", "GB", "US"}
    returns = set(Return.objects.filter(store=first).values_list("status", flat=True))
    assert {"requested", "approved", "in_transit", "received", "resolved"} <= returns
    assert Parcel.objects.filter(store=first, label__status="ready").exists()


def test_a_verified_key_is_remembered_until_revoked(api, client, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.REBOX_API_KEY_CACHE_SECONDS = 60
    assert client.get("/api/v1/orders", HTTP_AUTHORIZATION=f"Bearer {api.key}").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get("/api/v1/orders", HTTP_AUTHORIZATION=f"Bearer {api.key}")
    assert not any("core_apikey" in q["sql"] for q in queries.captured_queries)

    from rebox.core.api_keys import api_key_revoke

    api_key_revoke(key=ApiKey.objects.get(store=api.store))
    assert client.get("/api/v1/orders", HTTP_AUTHORIZATION=f"Bearer {api.key}").status_code == 401
