"""Stripe's Refunds API, spoken over HTTP with the standard library.

Wire format (https://docs.stripe.com/api/refunds/create, .../api/refunds/list,
https://docs.stripe.com/api/idempotent_requests): ``POST /v1/refunds`` form-encoded with
``payment_intent`` (or ``charge``), ``amount`` in minor units and ``metadata[...]``;
``Authorization: Bearer <secret key>``; ``Idempotency-Key`` header, so that a repeated POST
returns the first result (marked ``Idempotent-Replayed: true``) instead of a second
refund; a concurrent POST with a key still in flight answers 409 ``idempotency_error``.
Errors are ``{"error": {"type", "code", "message"}}``. Keys are kept by Stripe for 24 hours,
so before a retry Rebox first lists the payment's refunds and adopts one carrying its
refund number in the metadata: a retry days later still makes no second refund.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

from rebox.refunds.gateways import Done, Outcome, RefundRequest, Refused, Retry

PUBLIC_BASE = "https://api.stripe.com"
TIMEOUT_SECONDS = 20


class StripeGateway:
    def __init__(self, *, secret_key: str, api_base: str | None = None, timeout: float | None = None):
        self.secret_key = secret_key
        self.api_base = (api_base or PUBLIC_BASE).rstrip("/")
        self.timeout = timeout or TIMEOUT_SECONDS

    def _call(self, method: str, path: str, *, form: dict | None = None,
              idempotency_key: str | None = None) -> tuple[int, dict, dict]:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(f"{self.api_base}{path}", data=data, method=method)
        request.add_header("Authorization", f"Bearer {self.secret_key}")
        if data is not None:
            request.add_header("Content-Type", "application/x-www-form-urlencoded")
        if idempotency_key:
            request.add_header("Idempotency-Key", idempotency_key)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, dict(response.headers), json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            try:
                body = json.loads(error.read() or b"{}")
            except ValueError:
                body = {}
            return error.code, dict(error.headers or {}), body

    @staticmethod
    def _target(reference: str) -> dict[str, str]:
        if reference.startswith(("ch_", "py_")):
            return {"charge": reference}
        return {"payment_intent": reference}

    def refund(self, request: RefundRequest) -> Outcome:
        form = {**self._target(request.payment_reference), "amount": str(request.amount_minor),
                "metadata[rebox_refund]": request.refund_number}
        try:
            status, headers, body = self._call("POST", "/v1/refunds", form=form,
                                               idempotency_key=request.idempotency_key)
        except (TimeoutError, urllib.error.URLError, ConnectionError) as error:
            return Retry(f"no answer from Stripe: {error}")
        if 200 <= status < 300 and body.get("object") == "refund":
            if body.get("status") in ("failed", "canceled"):
                return Refused(f"Stripe refund {body.get('id')} {body.get('status')}: "
                               f"{body.get('failure_reason') or 'no reason given'}")
            if body.get("amount") != request.amount_minor or \
                    str(body.get("currency", "")).upper() != request.currency:
                return Refused(f"Stripe answered with {body.get('amount')} {body.get('currency')}, "
                               f"not {request.amount_minor} {request.currency}")
            replayed = headers.get("Idempotent-Replayed", headers.get("idempotent-replayed")) == "true"
            return Done(reference=str(body["id"]), replayed=replayed)
        error = body.get("error") or {}
        message = f"Stripe {status} {error.get('type', '')}/{error.get('code', '')}: " \
                  f"{error.get('message', 'no message')}"
        if status == 409 or status == 429 or status >= 500 or error.get("type") == "idempotency_error":
            return Retry(message)
        return Refused(message)

    def find(self, request: RefundRequest) -> Done | None:
        query = urllib.parse.urlencode({**self._target(request.payment_reference), "limit": "100"})
        try:
            status, _headers, body = self._call("GET", f"/v1/refunds?{query}")
        except (TimeoutError, urllib.error.URLError, ConnectionError):
            return None
        if status != 200:
            return None
        for refund in body.get("data", []):
            if (refund.get("metadata") or {}).get("rebox_refund") == request.refund_number \
                    and refund.get("status") not in ("failed", "canceled"):
                return Done(reference=str(refund["id"]), replayed=True)
        return None
