"""Review of secrets at rest: a legacy value that merely looks encrypted, rotation that leaves
a kept API answer behind, and dumps of the database through Django."""

import io
from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from rebox.core.fields import stored_values_convert
from rebox.refunds.models import GatewayAccount

pytestmark = pytest.mark.django_db

LOOKS_ENCRYPTED = "enc1:sk_from_a_vault_export"  # plain, but with the prefix


def write_raw(model, pk: int, field: str, stored: str) -> None:
    column = model._meta.get_field(field).column
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {model._meta.db_table} SET {column} = %s WHERE id = %s", [stored, pk])


def test_a_legacy_plain_secret_starting_like_ciphertext_is_encrypted_by_the_migration(store):
    account = GatewayAccount.objects.create(store=store, payment_gateway="stripe", gateway="stripe")
    write_raw(GatewayAccount, account.pk, "secret_key", LOOKS_ENCRYPTED)  # as it stood before 0005

    stored_values_convert(GatewayAccount, ["secret_key", "webhook_secret"],
                          SimpleNamespace(connection=connection), encrypt=True)

    # read back as written, rather than SecretUnreadable on every load of the account
    assert GatewayAccount.objects.get(pk=account.pk).secret_key == LOOKS_ENCRYPTED


def test_a_secret_typed_with_the_prefix_after_encryption_reads_back_as_typed(store):
    account = GatewayAccount.objects.create(store=store, payment_gateway="stripe", gateway="stripe",
                                            secret_key=LOOKS_ENCRYPTED)

    assert GatewayAccount.objects.get(pk=account.pk).secret_key == LOOKS_ENCRYPTED


def test_a_webhook_creation_retried_after_rotation_still_answers_its_secret(settings, api):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.REBOX_ENCRYPTION_KEYS = [old]
    body = {"url": "https://erp.example/hooks", "topics": ["order.placed"]}
    first = api.post("/webhooks", body, idempotency_key="hook-rotate")
    settings.REBOX_ENCRYPTION_KEYS = [new, old]
    call_command("rotate_secrets", stdout=io.StringIO())
    settings.REBOX_ENCRYPTION_KEYS = [new]
    settings.SECRET_KEY_FALLBACKS = []

    again = api.post("/webhooks", body, idempotency_key="hook-rotate")

    assert again.status_code == 201 and again.json()["secret"] == first.json()["secret"]
