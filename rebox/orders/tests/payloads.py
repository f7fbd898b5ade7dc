"""Storefront payloads written for these tests, and a way to post them signed."""

import json
from pathlib import Path

from django.test import Client

from rebox.core.signatures import hmac_sha256_base64

FIXTURES = Path(__file__).parent / "fixtures"


def payload(name: str) -> dict:
    """A fresh copy of a fixture, free for a test to change."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def shopify_order() -> dict:
    return payload("shopify_order_dkk.json")


def woocommerce_order() -> dict:
    return payload("woocommerce_order_ils.json")


def post_signed(url: str, body: dict | bytes, *, secret: str | None, signature_header: str,
                headers: dict[str, str] | None = None):
    """POST ``body`` as the platform would, signed with ``secret`` (None: no signature)."""
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    sent = dict(headers or {})
    if secret is not None:
        sent[signature_header] = hmac_sha256_base64(secret, raw)
    return Client().post(url, raw, content_type="application/json", headers=sent)
