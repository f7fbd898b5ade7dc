"""A local stand-in for Stripe's Refunds API, enough of it to test the adapter's wire
format and Rebox's exactly-once handling: it keeps idempotency keys like Stripe (a repeat
replays the first answer with ``Idempotent-Replayed: true``; a repeat while the first is
still running gets 409 ``idempotency_error``), lists refunds by payment, and can refuse,
fail with 500, or perform the refund and then answer too late (a timeout for the caller).
It counts every refund it really performed."""

from __future__ import annotations

import itertools
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class StripeStandIn:
    def __init__(self, *, secret_key: str = "sk_test_rebox", latency: float = 0.0):
        self.secret_key = secret_key
        self.latency = latency
        self.mode = "ok"  # ok | refuse | error500 | slow_after_performing
        self.slow_seconds = 3.0
        self.refunds: list[dict] = []  # performed, in order
        self.captured: dict[str, int] = {}  # payment reference -> amount captured
        self.currencies: dict[str, str] = {}  # payment reference -> its currency (lower case)
        self.requests: list[tuple[str, str, dict]] = []
        self._keys: dict[str, tuple[int, dict] | None] = {}  # None while in flight
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> StripeStandIn:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def performed_for(self, reference: str) -> list[dict]:
        return [r for r in self.refunds if reference in (r["payment_intent"], r["charge"])]

    def _create(self, form: dict[str, str]) -> tuple[int, dict]:
        reference = form.get("payment_intent") or form.get("charge") or ""
        amount = int(form.get("amount", "0"))
        if self.mode == "refuse":
            return 400, {"error": {"type": "invalid_request_error", "code": "charge_already_refunded",
                                   "message": "Charge has already been refunded."}}
        if self.mode == "error500":
            return 500, {"error": {"type": "api_error", "message": "Something went wrong."}}
        left = self.captured.get(reference, 10**12) - sum(r["amount"] for r in self.performed_for(reference))
        if amount <= 0 or amount > left:
            return 400, {"error": {"type": "invalid_request_error", "code": "amount_too_large",
                                   "message": f"Refund amount ({amount}) is greater than unrefunded amount."}}
        refund = {"id": f"re_{next(self._ids):08d}", "object": "refund", "amount": amount,
                  "currency": self.currencies.get(reference, "usd"), "status": "succeeded",
                  "payment_intent": form.get("payment_intent"), "charge": form.get("charge"),
                  "metadata": {k[9:-1]: v for k, v in form.items() if k.startswith("metadata[")},
                  "created": int(time.time())}
        self.refunds.append(refund)
        return 200, refund

    def _handler(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status: int, body: dict, replayed: bool = False) -> None:
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    if replayed:
                        self.send_header("Idempotent-Replayed", "true")
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the caller gave up waiting

            def _authorized(self) -> bool:
                if self.headers.get("Authorization") != f"Bearer {standin.secret_key}":
                    self._answer(401, {"error": {"type": "invalid_request_error",
                                                 "message": "Invalid API Key provided"}})
                    return False
                return True

            def do_GET(self):
                url = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(url.query))
                standin.requests.append(("GET", url.path, query))
                if not self._authorized():
                    return
                reference = query.get("payment_intent") or query.get("charge") or ""
                with standin._lock:
                    data = standin.performed_for(reference)
                self._answer(200, {"object": "list", "data": data, "has_more": False})

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                standin.requests.append(("POST", self.path, form))
                if not self._authorized():
                    return
                key = self.headers.get("Idempotency-Key")
                if standin.latency:
                    time.sleep(standin.latency)
                with standin._lock:
                    if key in standin._keys:
                        earlier = standin._keys[key]
                        if earlier is None:
                            self._answer(409, {"error": {"type": "idempotency_error", "message":
                                                         "There is currently another in-progress request "
                                                         "using this Idempotent Key."}})
                        else:
                            self._answer(earlier[0], earlier[1], replayed=True)
                        return
                    if key:
                        standin._keys[key] = None
                    status, body = standin._create(form)
                    if key and status != 500:
                        standin._keys[key] = (status, body)
                    elif key:
                        del standin._keys[key]
                    slow = standin.mode == "slow_after_performing" and status == 200
                if slow:
                    time.sleep(standin.slow_seconds)
                self._answer(status, body)

        return Handler
