"""Asking a customer for money through Stripe: a hosted payment page (Checkout Session)
for the difference of an exchange, and the signed webhook that says it was paid.

Wire format (https://docs.stripe.com/api/checkout/sessions/create): ``POST
/v1/checkout/sessions`` form-encoded with ``mode=payment``, one line item priced inline
(``line_items[0][price_data][currency|unit_amount|product_data][name]``, ``quantity``),
``success_url``, ``client_reference_id`` and ``metadata[...]`` (copied onto the payment
with ``payment_intent_data[metadata][...]``); the answer's ``url`` is the link to send.
An ``Idempotency-Key`` made from the reference makes a repeated request the same link.

Webhooks (https://docs.stripe.com/webhooks#verify-manually): header ``Stripe-Signature:
t=<unix time>,v1=<hex>``; ``v1`` is HMAC-SHA256 with the endpoint's secret over
``"<t>.<raw body>"``; events older than the tolerance are refused (replays).
"""

from __future__ import annotations

import hashlib
import hmac
import time
import urllib.error

from rebox.refunds.gateways.stripe import StripeGateway

TOLERANCE_SECONDS = 300


class PaymentLinkFailed(Exception):
    """Stripe gave no link (its message is kept for the agent)."""


class BadSignature(Exception):
    """A webhook that Stripe did not sign with this secret, or signed too long ago."""


class StripeLinks(StripeGateway):
    """The Stripe adapter, plus payment links."""

    def __init__(self, *, secret_key: str, api_base: str | None = None, success_url: str,
                 timeout: float | None = None):
        super().__init__(secret_key=secret_key, api_base=api_base, timeout=timeout)
        self.success_url = success_url

    def payment_link(self, amount: int, currency: str, description: str, reference: str) -> str:
        """A page where the customer pays ``amount`` (minor units) of ``currency``; asking
        again with the same reference gives the same page."""
        if amount <= 0:
            raise ValueError("a payment link asks for a positive amount")
        form = {
            "mode": "payment",
            "line_items[0][price_data][currency]": currency.lower(),
            "line_items[0][price_data][unit_amount]": str(amount),
            "line_items[0][price_data][product_data][name]": description[:250],
            "line_items[0][quantity]": "1",
            "success_url": self.success_url,
            "client_reference_id": reference,
            "metadata[rebox_reference]": reference,
            "payment_intent_data[metadata][rebox_reference]": reference,
        }
        try:
            status, _headers, body = self._call("POST", "/v1/checkout/sessions", form=form,
                                                idempotency_key=f"rebox-link-{reference}")
        except (TimeoutError, urllib.error.URLError, ConnectionError) as error:
            raise PaymentLinkFailed(f"no answer from Stripe: {error}") from error
        if 200 <= status < 300 and body.get("url"):
            return str(body["url"])
        error = body.get("error") or {}
        raise PaymentLinkFailed(f"Stripe {status} {error.get('type', '')}: {error.get('message', 'no link')}")


def verify_signature(*, payload: bytes, header: str, secret: str, now: float | None = None,
                     tolerance: int = TOLERANCE_SECONDS) -> None:
    """Raise BadSignature unless ``header`` signs ``payload`` with ``secret`` recently."""
    parts: dict[str, list[str]] = {}
    for item in (header or "").split(","):
        key, _, value = item.strip().partition("=")
        parts.setdefault(key, []).append(value)
    try:
        signed_at = int(parts["t"][0])
    except (KeyError, ValueError) as error:
        raise BadSignature("no timestamp in Stripe-Signature") from error
    if not secret:
        raise BadSignature("no webhook secret is set for this gateway account")
    expected = hmac.new(secret.encode(), f"{signed_at}.".encode() + payload, hashlib.sha256).hexdigest()
    if not any(hmac.compare_digest(expected, given) for given in parts.get("v1", [])):
        raise BadSignature("signature does not match")
    if abs((now if now is not None else time.time()) - signed_at) > tolerance:
        raise BadSignature("signed too long ago")


def sign(payload: bytes, secret: str, *, at: int | None = None) -> str:
    """The header Stripe would send (for tests and the demo)."""
    at = int(time.time()) if at is None else at
    digest = hmac.new(secret.encode(), f"{at}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={at},v1={digest}"
