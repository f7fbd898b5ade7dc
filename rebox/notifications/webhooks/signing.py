"""Rebox-Signature on every outbound webhook, and how a receiver checks it.

Every request carries

    Rebox-Signature: t=1767225600,v1=<64 lowercase hex digits>

where ``t`` is the Unix time in seconds of this attempt and ``v1`` is HMAC-SHA256, keyed
with the endpoint's secret (the whole ``whsec_...`` string as UTF-8), of the bytes
``<t>.<raw body>``. A receiver:

1. takes the raw request body as bytes, before any JSON parsing (parsing and serialising
   again changes the bytes and breaks the signature);
2. splits the header on "," and each part on its first "=", keeping ``t`` and every ``v1``
   (more than one may come, e.g. while a secret is rotated: any match is enough);
3. computes ``hmac(secret, f"{t}.".encode() + body, sha256).hexdigest()`` and compares it
   with each ``v1`` in constant time (``hmac.compare_digest``); no match → answer 401;
4. rejects a ``t`` more than TOLERANCE (five minutes) away from its own clock, so that a
   captured request cannot be replayed later; retries are signed anew with a fresh ``t``;
5. deduplicates by the ``Rebox-Event-Id`` header (the body's ``id``): delivery is at least
   once, and a retry carries the same id and the same body.

``signature_verify`` below is that receiver, in Python.
"""

import time

from rebox.core.signatures import hmac_sha256_hex, signature_matches

TOLERANCE = 300  # seconds


def _signed_bytes(at: int, body: bytes) -> bytes:
    return f"{at}.".encode() + body


def signature_header(*, secret: str, body: bytes, at: int) -> str:
    return f"t={at},v1={hmac_sha256_hex(secret, _signed_bytes(at, body))}"


def signature_verify(*, secret: str, body: bytes, header: str | None, now: float | None = None,
                     tolerance: int = TOLERANCE) -> bool:
    """True when ``header`` signs ``body`` with ``secret`` and is recent enough."""
    parts = [part.split("=", 1) for part in (header or "").split(",") if "=" in part]
    stamps = [value.strip() for key, value in parts if key.strip() == "t"]
    given = [value.strip() for key, value in parts if key.strip() == "v1"]
    if len(stamps) != 1 or not stamps[0].isdigit() or not given:
        return False
    at = int(stamps[0])
    if abs((time.time() if now is None else now) - at) > tolerance:
        return False
    expected = hmac_sha256_hex(secret, _signed_bytes(at, body))
    return any(signature_matches(expected, signature) for signature in given)
