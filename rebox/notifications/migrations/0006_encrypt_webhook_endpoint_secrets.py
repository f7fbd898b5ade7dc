"""Encrypt the WebhookEndpoint.secret already stored; going back decrypts them.

The column became text in the migration before. The two are apart because PostgreSQL
refuses to alter a table in the transaction that has just updated its rows."""

from django.db import migrations

from rebox.core.fields import stored_values_convert

FIELDS = ["secret"]


def encrypt(apps, schema_editor):
    stored_values_convert(apps.get_model("notifications", "WebhookEndpoint"), FIELDS, schema_editor, encrypt=True)


def decrypt(apps, schema_editor):
    stored_values_convert(apps.get_model("notifications", "WebhookEndpoint"), FIELDS, schema_editor, encrypt=False)


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0005_encrypted_webhook_endpoint_secret_column"),
    ]

    operations = [
        migrations.RunPython(encrypt, decrypt),
    ]
