"""API keys: ``rbx_<prefix>_<secret>``. Shown once; only a SHA-256 of it is stored.

A key carries 190 bits of randomness, so a fast hash is safe here (no password
stretching needed) and keeps every API request to one indexed lookup.
"""

import hashlib
import hmac
import secrets

from django.utils import timezone

from rebox.core.errors import Unauthorized
from rebox.core.models import ApiKey, Store


def _digest(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


def api_key_create(*, store: Store, name: str) -> tuple[ApiKey, str]:
    """Create a key and return it with the plain text, which is never available again."""
    prefix = secrets.token_hex(6)
    raw = f"rbx_{prefix}_{secrets.token_urlsafe(24)}"
    key = ApiKey.objects.create(store=store, name=name, prefix=prefix, secret_hash=_digest(raw))
    return key, raw


def api_key_authenticate(raw_key: str) -> ApiKey:
    parts = raw_key.split("_", 2) if raw_key else []
    if len(parts) != 3 or parts[0] != "rbx":
        raise Unauthorized("API key missing or malformed")
    key = (
        ApiKey.objects.select_related("store")
        .filter(prefix=parts[1], revoked_at__isnull=True)
        .first()
    )
    if key is None or not hmac.compare_digest(key.secret_hash, _digest(raw_key)):
        raise Unauthorized("API key not recognised")
    return key


def api_key_revoke(*, key: ApiKey) -> None:
    key.revoked_at = timezone.now()
    key.save(update_fields=["revoked_at"])
