"""Integration secrets are encrypted at rest: a database dump or replica does not leak them,
code still reads them plainly, legacy plain values still read, and keys rotate."""

import io
import json
from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection
from django.forms import modelform_factory

from rebox.core import crypto
from rebox.core.fields import stored_values_convert
from rebox.core.models import IdempotencyRecord, Store
from rebox.notifications.models import WebhookEndpoint
from rebox.refunds.models import GatewayAccount
from rebox.shipping.models import CarrierAccount

pytestmark = pytest.mark.django_db

STRIPE_KEY = "sk_live_51HxAbCdEfGhIjKlMnOpQrStUv"
STRIPE_WHSEC = "whsec_9f8e7d6c5b4a"
EASYPOST_KEY = "EZAK_0123456789abcdef"
ENDPOINT_SECRET = "whsec_outbound_abcdefghijklmnop"
SHOPIFY_SECRET = "shpss_a1b2c3d4e5"


def new_key() -> str:
    return Fernet.generate_key().decode()


def raw_column(model, pk: int, field: str) -> str:
    column = model._meta.get_field(field).column
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {model._meta.db_table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def write_raw(model, pk: int, field: str, stored: str) -> None:
    column = model._meta.get_field(field).column
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {model._meta.db_table} SET {column} = %s WHERE id = %s", [stored, pk])


@pytest.fixture
def secrets_stored(store):
    """One of each kind of stored secret, for the shop."""
    store.webhook_secrets = {"shopify": SHOPIFY_SECRET}
    store.save(update_fields=["webhook_secrets"])
    return SimpleNamespace(
        store=store,
        gateway=GatewayAccount.objects.create(store=store, payment_gateway="stripe", gateway="stripe",
                                              secret_key=STRIPE_KEY, webhook_secret=STRIPE_WHSEC),
        carrier=CarrierAccount.objects.create(store=store, carrier="easypost", api_key=EASYPOST_KEY),
        endpoint=WebhookEndpoint.objects.create(store=store, url="https://erp.example/hooks",
                                                secret=ENDPOINT_SECRET, topics=["*"]),
    )


def all_raw_columns(s) -> list[str]:
    return [raw_column(Store, s.store.pk, "webhook_secrets"),
            raw_column(GatewayAccount, s.gateway.pk, "secret_key"),
            raw_column(GatewayAccount, s.gateway.pk, "webhook_secret"),
            raw_column(CarrierAccount, s.carrier.pk, "api_key"),
            raw_column(WebhookEndpoint, s.endpoint.pk, "secret")]


def reread(s) -> SimpleNamespace:
    return SimpleNamespace(store=Store.objects.get(pk=s.store.pk),
                           gateway=GatewayAccount.objects.get(pk=s.gateway.pk),
                           carrier=CarrierAccount.objects.get(pk=s.carrier.pk),
                           endpoint=WebhookEndpoint.objects.get(pk=s.endpoint.pk))


def assert_reads_plainly(s) -> None:
    fresh = reread(s)
    assert fresh.store.webhook_secrets == {"shopify": SHOPIFY_SECRET}
    assert (fresh.gateway.secret_key, fresh.gateway.webhook_secret) == (STRIPE_KEY, STRIPE_WHSEC)
    assert fresh.carrier.api_key == EASYPOST_KEY
    assert fresh.endpoint.secret == ENDPOINT_SECRET


def test_every_secret_reads_back_plainly_through_the_orm(secrets_stored):
    assert_reads_plainly(secrets_stored)
    assert GatewayAccount.objects.values_list("secret_key", flat=True).get() == STRIPE_KEY


def test_the_columns_hold_ciphertext_not_the_secret(secrets_stored):
    for stored in all_raw_columns(secrets_stored):
        assert stored.startswith("enc1:")
    stored_text = " ".join(all_raw_columns(secrets_stored))
    for secret in (STRIPE_KEY, STRIPE_WHSEC, EASYPOST_KEY, ENDPOINT_SECRET, SHOPIFY_SECRET, "shopify"):
        assert secret not in stored_text


def test_the_same_secret_is_stored_differently_each_time(secrets_stored):
    other = GatewayAccount.objects.create(store=secrets_stored.store, payment_gateway="klarna",
                                          gateway="manual", secret_key=STRIPE_KEY)

    assert raw_column(GatewayAccount, other.pk, "secret_key") != \
        raw_column(GatewayAccount, secrets_stored.gateway.pk, "secret_key")


def test_an_empty_secret_stays_empty_and_means_not_configured(store):
    account = GatewayAccount.objects.create(store=store, payment_gateway="stripe", gateway="stripe",
                                            secret_key=STRIPE_KEY)

    assert raw_column(GatewayAccount, account.pk, "webhook_secret") == ""
    assert GatewayAccount.objects.get(pk=account.pk).webhook_secret == ""


def test_a_plain_legacy_value_is_still_read(secrets_stored):
    s = secrets_stored
    write_raw(GatewayAccount, s.gateway.pk, "secret_key", "sk_legacy_plain")
    write_raw(Store, s.store.pk, "webhook_secrets", '{"woocommerce": "wc_legacy"}')

    assert GatewayAccount.objects.get(pk=s.gateway.pk).secret_key == "sk_legacy_plain"
    assert Store.objects.get(pk=s.store.pk).webhook_secrets == {"woocommerce": "wc_legacy"}


def test_the_data_migration_encrypts_legacy_rows_and_going_back_restores_them(secrets_stored):
    s = secrets_stored
    write_raw(GatewayAccount, s.gateway.pk, "secret_key", STRIPE_KEY)
    write_raw(Store, s.store.pk, "webhook_secrets", json.dumps({"shopify": SHOPIFY_SECRET}))
    editor = SimpleNamespace(connection=connection)

    stored_values_convert(GatewayAccount, ["secret_key", "webhook_secret"], editor, encrypt=True)
    stored_values_convert(Store, ["webhook_secrets"], editor, encrypt=True)

    assert all(value.startswith("enc1:") for value in all_raw_columns(s))
    assert STRIPE_KEY not in raw_column(GatewayAccount, s.gateway.pk, "secret_key")
    assert_reads_plainly(s)

    stored_values_convert(GatewayAccount, ["secret_key", "webhook_secret"], editor, encrypt=False)
    stored_values_convert(Store, ["webhook_secrets"], editor, encrypt=False)

    assert raw_column(GatewayAccount, s.gateway.pk, "secret_key") == STRIPE_KEY
    assert raw_column(GatewayAccount, s.gateway.pk, "webhook_secret") == STRIPE_WHSEC
    assert Store.objects.get(pk=s.store.pk).webhook_secrets == {"shopify": SHOPIFY_SECRET}
    assert_reads_plainly(s)


def test_an_old_key_still_reads_after_a_new_first_key_and_rotation_lets_it_go(settings, store):
    old, new = new_key(), new_key()
    settings.REBOX_ENCRYPTION_KEYS = [old]
    s = SimpleNamespace(store=store)
    store.webhook_secrets = {"shopify": SHOPIFY_SECRET}
    store.save(update_fields=["webhook_secrets"])
    s.gateway = GatewayAccount.objects.create(store=store, payment_gateway="stripe", gateway="stripe",
                                              secret_key=STRIPE_KEY, webhook_secret=STRIPE_WHSEC)
    s.carrier = CarrierAccount.objects.create(store=store, carrier="easypost", api_key=EASYPOST_KEY)
    s.endpoint = WebhookEndpoint.objects.create(store=store, url="https://erp.example/hooks",
                                                secret=ENDPOINT_SECRET, topics=["*"])
    under_old = all_raw_columns(s)

    settings.REBOX_ENCRYPTION_KEYS = [new, old]
    assert_reads_plainly(s)

    out = io.StringIO()
    call_command("rotate_secrets", stdout=out)

    assert "Re-encrypted 5 secrets" in out.getvalue()
    assert "refunds.GatewayAccount.secret_key: 1" in out.getvalue()
    under_new = all_raw_columns(s)
    for before, after in zip(under_old, under_new, strict=True):
        assert after != before
        with pytest.raises(InvalidToken):
            Fernet(old).decrypt(after.removeprefix("enc1:"))
    settings.REBOX_ENCRYPTION_KEYS = [new]
    assert_reads_plainly(s)


def test_rotation_also_encrypts_values_left_plain(secrets_stored):
    write_raw(CarrierAccount, secrets_stored.carrier.pk, "api_key", EASYPOST_KEY)

    call_command("rotate_secrets", stdout=io.StringIO())

    assert raw_column(CarrierAccount, secrets_stored.carrier.pk, "api_key").startswith("enc1:")
    assert_reads_plainly(secrets_stored)


def test_a_secret_no_key_opens_is_a_clear_error_not_an_empty_value(settings, store):
    settings.REBOX_ENCRYPTION_KEYS = [new_key()]
    account = GatewayAccount.objects.create(store=store, payment_gateway="stripe", gateway="stripe",
                                            secret_key=STRIPE_KEY)
    settings.REBOX_ENCRYPTION_KEYS = [new_key()]

    with pytest.raises(crypto.SecretUnreadable,
                       match=r"refunds.GatewayAccount.secret_key cannot be decrypted.*REBOX_ENCRYPTION_KEYS"):
        GatewayAccount.objects.get(pk=account.pk)


def test_rotation_with_a_secret_no_key_opens_fails_and_changes_nothing(settings, store):
    settings.REBOX_ENCRYPTION_KEYS = [new_key()]
    carrier = CarrierAccount.objects.create(store=store, carrier="easypost", api_key=EASYPOST_KEY)
    lost = raw_column(CarrierAccount, carrier.pk, "api_key")
    settings.REBOX_ENCRYPTION_KEYS = [new_key()]
    account = GatewayAccount.objects.create(store=store, payment_gateway="stripe", gateway="stripe",
                                            secret_key=STRIPE_KEY)
    readable = raw_column(GatewayAccount, account.pk, "secret_key")

    with pytest.raises(CommandError, match="cannot be decrypted.*Nothing was changed"):
        call_command("rotate_secrets", stdout=io.StringIO())

    assert raw_column(CarrierAccount, carrier.pk, "api_key") == lost
    assert raw_column(GatewayAccount, account.pk, "secret_key") == readable


def test_without_keys_the_key_comes_from_the_secret_key_and_its_fallbacks(settings, store):
    settings.REBOX_ENCRYPTION_KEYS = []
    settings.SECRET_KEY = "first-secret-key-" + "x" * 40
    account = GatewayAccount.objects.create(store=store, payment_gateway="stripe", gateway="stripe",
                                            secret_key=STRIPE_KEY)

    settings.SECRET_KEY = "second-secret-key-" + "y" * 40
    with pytest.raises(crypto.SecretUnreadable):
        GatewayAccount.objects.get(pk=account.pk)

    settings.SECRET_KEY_FALLBACKS = ["first-secret-key-" + "x" * 40]
    assert GatewayAccount.objects.get(pk=account.pk).secret_key == STRIPE_KEY


def test_keys_set_later_still_read_what_the_derived_key_wrote(settings, store):
    settings.REBOX_ENCRYPTION_KEYS = []
    account = GatewayAccount.objects.create(store=store, payment_gateway="stripe", gateway="stripe",
                                            secret_key=STRIPE_KEY)
    settings.REBOX_ENCRYPTION_KEYS = [new_key()]

    assert GatewayAccount.objects.get(pk=account.pk).secret_key == STRIPE_KEY


def test_keys_may_be_given_as_one_comma_separated_string(settings):
    first, second = new_key(), new_key()
    settings.REBOX_ENCRYPTION_KEYS = f" {first} , {second} "

    stored = crypto.encrypt("sk_x")

    assert Fernet(first).decrypt(stored.removeprefix("enc1:")) == b"sk_x"


def test_a_malformed_key_is_a_configuration_error_that_does_not_print_it(settings):
    settings.REBOX_ENCRYPTION_KEYS = [new_key(), "correct-horse-battery-staple"]

    with pytest.raises(ImproperlyConfigured, match="key 2 is not 32 bytes") as caught:
        crypto.encrypt("sk_x")
    assert "correct-horse" not in str(caught.value)


def test_filtering_by_a_secret_value_is_refused_not_silently_empty(secrets_stored):
    with pytest.raises(FieldError, match="cannot be filtered by value"):
        list(GatewayAccount.objects.filter(secret_key=STRIPE_KEY))
    with pytest.raises(FieldError, match="cannot be filtered by value"):
        list(WebhookEndpoint.objects.filter(secret__startswith="whsec_"))


def test_an_admin_form_shows_and_saves_the_plain_secrets(secrets_stored):
    store = secrets_stored.store
    StoreForm = modelform_factory(Store, fields=["webhook_secrets"])
    shown = StoreForm(instance=store)["webhook_secrets"].value()

    assert "enc1:" not in str(shown) and SHOPIFY_SECRET in str(shown)
    edited = json.dumps({"shopify": SHOPIFY_SECRET, "tracking": "t1"})
    form = StoreForm({"webhook_secrets": edited}, instance=store)
    assert form.is_valid(), form.errors
    form.save()

    assert Store.objects.get(pk=store.pk).webhook_secrets == {"shopify": SHOPIFY_SECRET, "tracking": "t1"}
    assert raw_column(Store, store.pk, "webhook_secrets").startswith("enc1:")


def test_the_webhook_api_replays_the_secret_without_keeping_it_plain(api):
    body = {"url": "https://erp.example/hooks", "topics": ["order.placed"]}

    first = api.post("/webhooks", body, idempotency_key="hook-1")
    again = api.post("/webhooks", body, idempotency_key="hook-1")

    assert first.status_code == again.status_code == 201
    secret = first.json()["secret"]
    assert secret.startswith("whsec_") and again.json()["secret"] == secret
    assert WebhookEndpoint.objects.get().secret == secret
    kept = IdempotencyRecord.objects.get(key="hook-1").response_body
    assert secret not in str(kept)
