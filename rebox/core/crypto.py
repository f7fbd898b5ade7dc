"""Secrets at rest: integration credentials are stored encrypted, ``enc1:<Fernet token>``.

Keys come from ``REBOX_ENCRYPTION_KEYS`` (Fernet keys, comma-separated): the first one
encrypts, every one decrypts, so a key is rotated by putting a new one first, running
``rebox rotate-secrets`` and then dropping the old one. Without it, the key is derived from
``SECRET_KEY`` with HKDF, so the embedded mode needs no configuration. Keys derived from
``SECRET_KEY`` and ``SECRET_KEY_FALLBACKS`` always decrypt too: an installation that starts
setting ``REBOX_ENCRYPTION_KEYS`` still reads what it stored before, until
``rotate-secrets`` has moved it under the new key.

A stored value without the prefix is plain text written before encryption existed (or
during its migration) and is returned as it is.
"""

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "enc1:"
_HKDF_INFO = b"rebox secrets at rest v1"


class SecretUnreadable(Exception):
    """A stored secret that no configured key opens: its key was removed or changed.

    Raised rather than answering an empty secret, which would look like "not configured"
    and fail later in a way that hides the cause.
    """


def derived_key(secret_key: str) -> bytes:
    """The Fernet key HKDF-SHA256 derives from a Django SECRET_KEY."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO)
    return base64.urlsafe_b64encode(hkdf.derive(secret_key.encode()))


def configured_keys() -> tuple[str, ...]:
    """REBOX_ENCRYPTION_KEYS as a tuple (a list, or one comma-separated string)."""
    keys = getattr(settings, "REBOX_ENCRYPTION_KEYS", None) or ()
    if isinstance(keys, str):
        keys = keys.split(",")
    return tuple(k.strip() for k in keys if k.strip())


def _fernet(key: str | bytes, position: int) -> Fernet:
    try:
        return Fernet(key)
    except ValueError:
        # The key itself stays out of the message: it ends up in logs.
        raise ImproperlyConfigured(
            f"REBOX_ENCRYPTION_KEYS: key {position} is not 32 bytes in url-safe base64 "
            "(make one with `openssl rand -base64 32`)") from None


@lru_cache(maxsize=8)
def _keyring(configured: tuple[str, ...], secret_key: str, fallbacks: tuple[str, ...]) -> MultiFernet:
    keys = [_fernet(key, n) for n, key in enumerate(configured, start=1)]
    keys += [Fernet(derived_key(secret)) for secret in (secret_key, *fallbacks)]
    return MultiFernet(keys)


def keyring() -> MultiFernet:
    """The keys in force: the first encrypts, all decrypt (read from settings on each call,
    built once per configuration)."""
    fallbacks = tuple(getattr(settings, "SECRET_KEY_FALLBACKS", ()))
    return _keyring(configured_keys(), settings.SECRET_KEY, fallbacks)


def is_encrypted(stored: str) -> bool:
    return stored.startswith(PREFIX)


def encrypt(plain: str) -> str:
    """``plain`` encrypted with the first key, as stored: ``enc1:<token>``. Each call gives
    a different text (random nonce), so stored secrets cannot be compared in SQL."""
    return PREFIX + keyring().encrypt(plain.encode()).decode("ascii")


def decrypt(stored: str, *, where: str = "a stored secret") -> str:
    """The plain text of a stored value; a value without the prefix is returned unchanged."""
    if not is_encrypted(stored):
        return stored
    try:
        return keyring().decrypt(stored[len(PREFIX):].encode("ascii")).decode()
    except (InvalidToken, UnicodeError):
        raise SecretUnreadable(
            f"{where} cannot be decrypted: no key in REBOX_ENCRYPTION_KEYS (nor the one derived "
            "from SECRET_KEY) opens it. Was the key it was encrypted with removed or changed?"
        ) from None
