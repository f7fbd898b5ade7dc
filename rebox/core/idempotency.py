"""Idempotency-Key handling, enforced by the database.

The response is stored in the same transaction as the change it describes, under a
unique (store, key). A retry finds the stored answer; a concurrent duplicate blocks on
the unique index until the first commits, then fails to insert, rolls back its own work
and replays the first answer. The same key with a different request body is a 409.
(`rebox.orders.pg_create` does the same for orders with its own SQL, using `check_key`,
`request_fingerprint` and `replay`.)
"""

import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError, transaction

from rebox.core.errors import FieldError, IdempotencyKeyReused, ValidationFailed
from rebox.core.models import IdempotencyRecord, Store

MAX_KEY_LENGTH = 255


def request_fingerprint(scope: str, body: object) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{scope}\n{canonical}".encode()).hexdigest()


def replay(*, stored_hash: str, status: int, body: dict, fingerprint: str) -> tuple[int, dict]:
    """The first answer to a key, if this request is the one that got it (else 409)."""
    if stored_hash != fingerprint:
        raise IdempotencyKeyReused(
            "This Idempotency-Key was first used with a different request; use a new key."
        )
    return status, body


def _replay(record: IdempotencyRecord, fingerprint: str) -> tuple[int, dict]:
    return replay(stored_hash=record.request_hash, status=record.response_status,
                  body=record.response_body, fingerprint=fingerprint)


def check_key(key: str) -> None:
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ValidationFailed(
            errors=[FieldError("Idempotency-Key", f"must be 1 to {MAX_KEY_LENGTH} characters")]
        )


def run_idempotent(
    *,
    store: Store,
    key: str | None,
    scope: str,
    body: object,
    operation: Callable[[], tuple[int, dict]],
) -> tuple[int, dict]:
    """Run ``operation`` (which returns status and JSON body) at most once per key."""
    if key is None:
        with transaction.atomic():
            return operation()
    check_key(key)
    fingerprint = request_fingerprint(scope, body)
    existing = IdempotencyRecord.objects.filter(store=store, key=key).first()
    if existing is not None:
        return _replay(existing, fingerprint)
    try:
        with transaction.atomic():
            status, response = operation()
            IdempotencyRecord.objects.create(
                store=store, key=key, scope=scope, request_hash=fingerprint,
                response_status=status, response_body=response,
            )
            return status, response
    except IntegrityError:
        existing = IdempotencyRecord.objects.filter(store=store, key=key).first()
        if existing is None:
            raise
        return _replay(existing, fingerprint)
