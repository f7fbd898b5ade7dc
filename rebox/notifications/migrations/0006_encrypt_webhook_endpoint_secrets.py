"""Encrypt the WebhookEndpoint.secret already stored; going back decrypts them.

The column became text in the migration before. The two are apart because PostgreSQL
refuses to alter a table in the transaction that has just updated its rows."""

from django.db import migrations

from rebox.core.fields import stored_values_encryption


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0005_encrypted_webhook_endpoint_secret_column"),
    ]

    operations = [
        stored_values_encryption("notifications", "WebhookEndpoint", ["secret"]),
    ]
