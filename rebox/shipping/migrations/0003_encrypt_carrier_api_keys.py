"""Encrypt the CarrierAccount.api_key already stored; going back decrypts them.

The column became text in the migration before. The two are apart because PostgreSQL
refuses to alter a table in the transaction that has just updated its rows."""

from django.db import migrations

from rebox.core.fields import stored_values_encryption


class Migration(migrations.Migration):

    dependencies = [
        ("shipping", "0002_encrypted_carrier_api_key_column"),
    ]

    operations = [
        stored_values_encryption("shipping", "CarrierAccount", ["api_key"]),
    ]
