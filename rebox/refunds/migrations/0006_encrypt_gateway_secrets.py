"""Encrypt the GatewayAccount.secret_key and webhook_secret already stored; going back decrypts them.

The column became text in the migration before. The two are apart because PostgreSQL
refuses to alter a table in the transaction that has just updated its rows."""

from django.db import migrations

from rebox.core.fields import stored_values_encryption


class Migration(migrations.Migration):

    dependencies = [
        ("refunds", "0005_encrypted_gateway_secrets_columns"),
    ]

    operations = [
        stored_values_encryption("refunds", "GatewayAccount", ["secret_key", "webhook_secret"]),
    ]
