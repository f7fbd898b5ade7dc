"""Model fields whose values are encrypted at rest (``rebox.core.crypto``).

Code reads and assigns plain values (``account.secret_key``); the column holds
``enc1:<token>``. An empty string is stored as it is: "no secret configured" is not itself
a secret, and keeping it plain lets such rows be told apart without a key.

The stored text is different on every save, so these fields cannot be filtered by value:
look a row up by something else and compare in Python (``hmac.compare_digest``).
"""

import json

from django import forms
from django.apps import apps
from django.core.exceptions import FieldError
from django.db import models, transaction

from rebox.core import crypto


class _Encrypted:
    """What both field types share: a text column, and no lookups by value."""

    def get_internal_type(self) -> str:
        return "TextField"  # ciphertext is longer than any max_length given for the plain value

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        raise FieldError(
            f"{self.label_for_errors} is encrypted with a random nonce and cannot be filtered by "
            f"value ('{lookup_name}'); find the row by another field and compare in Python")

    @property
    def label_for_errors(self) -> str:
        return f"{self.model._meta.label}.{self.name}"


class EncryptedCharField(_Encrypted, models.CharField):
    """A CharField kept encrypted. ``max_length`` limits the plain value (forms, full_clean);
    the column is text."""

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return crypto.decrypt(value, where=self.label_for_errors)

    def get_db_prep_save(self, value, connection):
        value = super().get_db_prep_save(value, connection)
        return crypto.encrypt(value) if value else value


class EncryptedJSONField(_Encrypted, models.TextField):
    """A JSON value (e.g. a dict of secrets) kept encrypted as one token."""

    def to_python(self, value):
        return value

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return json.loads(crypto.decrypt(value, where=self.label_for_errors))

    def get_db_prep_save(self, value, connection):
        if value is None:
            return None
        return crypto.encrypt(json.dumps(value))

    def value_to_string(self, obj):
        return self.value_from_object(obj)  # serializers write the JSON value, as JSONField does

    def formfield(self, **kwargs):
        return models.Field.formfield(self, **{"form_class": forms.JSONField, **kwargs})


def encrypted_fields() -> list[tuple[type[models.Model], list[str]]]:
    """Every concrete model with encrypted fields, and those fields' names."""
    found = []
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, _Encrypted)]
        if names and not model._meta.proxy:
            found.append((model, names))
    return found


def stored_secrets_reencrypt() -> dict[str, int]:
    """Re-encrypt every stored secret with the first key in force, plain leftovers
    included, in one transaction (a value no key opens stops it before anything is
    written). Returns how many values were rewritten, per ``app.Model.field``."""
    rewritten: dict[str, int] = {}
    with transaction.atomic():
        for model, names in encrypted_fields():
            rows = list(model._base_manager.select_for_update().order_by("pk").values_list("pk", *names))
            for pk, *values in rows:
                present = {name: value for name, value in zip(names, values, strict=True)
                           if value not in (None, "")}
                if present:
                    model._base_manager.filter(pk=pk).update(**present)
                for name in present:
                    label = f"{model._meta.label}.{name}"
                    rewritten[label] = rewritten.get(label, 0) + 1
        replays = _replayed_secrets_reencrypt()
        if replays:
            rewritten["core.IdempotencyRecord.webhooks.create"] = replays
    return rewritten


def _replayed_secrets_reencrypt() -> int:
    """The answer kept for a retried POST /webhooks holds its endpoint's secret encrypted
    (rebox.api.webhooks): it follows the key rotation like the stored secrets do."""
    from rebox.core.models import IdempotencyRecord

    count = 0
    for record in IdempotencyRecord.objects.select_for_update().filter(scope="webhooks.create"):
        secret = (record.response_body or {}).get("secret")
        if secret:
            plain = crypto.decrypt(secret, where="a replayed webhook answer")
            record.response_body = {**record.response_body, "secret": crypto.encrypt(plain)}
            record.save(update_fields=["response_body"])
            count += 1
    return count


def stored_values_convert(model, names: list[str], schema_editor, *, encrypt: bool) -> None:
    """For data migrations: encrypt (or, going back, decrypt) the raw column values of a
    historical model, whatever field class that model's state has."""
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    for name in names:
        column = quote(model._meta.get_field(name).column)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {pk}, {column} FROM {table} WHERE {column} <> ''")
            rows = cursor.fetchall()
            for row_pk, stored in rows:
                if crypto.is_encrypted(stored) == encrypt and (not encrypt or _opens(stored)):
                    continue  # a plain value that only starts like ciphertext is encrypted too
                value = crypto.encrypt(stored) if encrypt else crypto.decrypt(stored, where=name)
                cursor.execute(f"UPDATE {table} SET {column} = %s WHERE {pk} = %s", [value, row_pk])


def _opens(stored: str) -> bool:
    try:
        crypto.decrypt(stored)
    except crypto.SecretUnreadable:
        return False
    return True


def stored_values_encryption(app_label: str, model_name: str, names: list[str]):
    """A data migration's operation: encrypt the model's stored ``names``, decrypt going back."""
    from django.db import migrations

    def run(apps, schema_editor, *, encrypt: bool) -> None:
        stored_values_convert(apps.get_model(app_label, model_name), names, schema_editor, encrypt=encrypt)

    return migrations.RunPython(lambda apps, editor: run(apps, editor, encrypt=True),
                                lambda apps, editor: run(apps, editor, encrypt=False))
