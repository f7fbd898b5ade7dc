"""API keys: ``rbx_<prefix>_<secret>``. Shown once; only a SHA-256 of it is stored.

A key carries 190 bits of randomness, so a fast hash is safe here (no password
stretching needed). Each web process remembers a verified key for
REBOX_API_KEY_CACHE_SECONDS (30 by default), which saves a query on every request: a key
revoked in another process keeps working there for at most that long.
"""

import hashlib
import hmac
import secrets
import time

from django.conf import settings
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


_verified: dict[str, tuple[float, ApiKey]] = {}  # digest -> (valid until, key with its store)


def api_key_authenticate(raw_key: str) -> ApiKey:
    parts = raw_key.split("_", 2) if raw_key else []
    if len(parts) != 3 or parts[0] != "rbx":
        raise Unauthorized("API key missing or malformed")
    digest = _digest(raw_key)
    remembered = _verified.get(digest)
    if remembered is not None and remembered[0] > time.monotonic():
        return remembered[1]
    key = (
        ApiKey.objects.select_related("store")
        .filter(prefix=parts[1], revoked_at__isnull=True)
        .first()
    )
    if key is None or not hmac.compare_digest(key.secret_hash, digest):
        raise Unauthorized("API key not recognised")
    ttl = settings.REBOX_API_KEY_CACHE_SECONDS
    if ttl > 0:
        if len(_verified) > 10_000:
            _verified.clear()
        _verified[digest] = (time.monotonic() + ttl, key)
    return key


def api_key_revoke(*, key: ApiKey) -> None:
    key.revoked_at = timezone.now()
    key.save(update_fields=["revoked_at"])
    _verified.clear()  # this process forgets at once; others within the cache time
