"""Encrypt the GatewayAccount.secret_key and webhook_secret already stored; going back decrypts them.

The column became text in the migration before. The two are apart because PostgreSQL
refuses to alter a table in the transaction that has just updated its rows."""

from django.db import migrations

from rebox.core.fields import stored_values_convert

FIELDS = ["secret_key", "webhook_secret"]


def encrypt(apps, schema_editor):
    stored_values_convert(apps.get_model("refunds", "GatewayAccount"), FIELDS, schema_editor, encrypt=True)


def decrypt(apps, schema_editor):
    stored_values_convert(apps.get_model("refunds", "GatewayAccount"), FIELDS, schema_editor, encrypt=False)


class Migration(migrations.Migration):

    dependencies = [
        ("refunds", "0005_encrypted_gateway_secrets_columns"),
    ]

    operations = [
        migrations.RunPython(encrypt, decrypt),
    ]
