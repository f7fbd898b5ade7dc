"""A local stand-in for Stripe's Refunds API, enough of it to test the adapter's wire
format and Rebox's exactly-once handling: it keeps idempotency keys like Stripe (a repeat
replays the first answer with ``Idempotent-Replayed: true``; a repeat while the first is
still running gets 409 ``idempotency_error``), lists refunds by payment, and can refuse,
fail with 500, or perform the refund and then answer too late (a timeout for the caller).
It counts every refund it really performed (``per_number()``: refunds per Rebox refund
number, for duplicates); the benchmark runs it too, with 20 ms of latency."""

from __future__ import annotations

import itertools
import json
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Server(ThreadingHTTPServer):
    request_queue_size = 256  # many workers connect at once; the default 5 drops SYNs
    daemon_threads = True


class StripeStandIn:
    def __init__(self, *, secret_key: str = "sk_test_rebox", latency: float = 0.0, port: int = 0,
                 keep_requests: bool = True):
        self.secret_key = secret_key
        self.latency = latency
        self.mode = "ok"  # ok | refuse | error500 | slow_after_performing
        self.slow_seconds = 3.0
        self.refunds: list[dict] = []  # performed, in order
        self.captured: dict[str, int] = {}  # payment reference -> amount captured
        self.currencies: dict[str, str] = {}  # payment reference -> its currency (lower case)
        self.default_currency = "usd"  # of payments not in ``currencies``
        self.first_at: float | None = None  # time.monotonic() of the first and last refund performed
        self.last_at: float | None = None
        self.requests: list[tuple[str, str, dict]] = []
        self.keep_requests = keep_requests  # off for long runs: only the counters grow
        self.calls: Counter = Counter()  # "POST", "GET", "replayed", "conflict"
        self._by_reference: dict[str, list[dict]] = defaultdict(list)
        self._keys: dict[str, tuple[int, dict] | None] = {}  # None while in flight
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self.server = _Server(("127.0.0.1", port), self._handler())
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
        return list(self._by_reference.get(reference, ()))

    def reset(self) -> None:
        """Forget every refund and key (a fresh account)."""
        with self._lock:
            self.refunds.clear()
            self._by_reference.clear()
            self._keys.clear()
            self.requests.clear()
            self.calls.clear()
            self.first_at = self.last_at = None

    def per_number(self) -> Counter:
        """Refunds performed per Rebox refund number (metadata ``rebox_refund``)."""
        with self._lock:
            return Counter(r["metadata"].get("rebox_refund") for r in self.refunds)

    def perform(self, *, payment_intent: str, amount: int, rebox_refund: str,
                idempotency_key: str | None = None) -> dict:
        """A refund made at the gateway behind Rebox's back (an agent in the dashboard, or,
        with the key, a call whose answer never arrived), carrying Rebox's refund number."""
        with self._lock:
            status, body = self._create({"payment_intent": payment_intent, "amount": str(amount),
                                         "metadata[rebox_refund]": rebox_refund})
            if idempotency_key:
                self._keys[idempotency_key] = (status, body)
        assert status == 200, body
        return body

    def _record(self, method: str, path: str, form: dict) -> None:
        self.calls[method] += 1
        if self.keep_requests:
            self.requests.append((method, path, form))

    def _create(self, form: dict[str, str]) -> tuple[int, dict]:
        reference = form.get("payment_intent") or form.get("charge") or ""
        amount = int(form.get("amount", "0"))
        if self.mode == "refuse":
            return 400, {"error": {"type": "invalid_request_error", "code": "charge_already_refunded",
                                   "message": "Charge has already been refunded."}}
        if self.mode == "error500":
            return 500, {"error": {"type": "api_error", "message": "Something went wrong."}}
        left = self.captured.get(reference, 10**12) - sum(r["amount"] for r in self._by_reference[reference])
        if amount <= 0 or amount > left:
            return 400, {"error": {"type": "invalid_request_error", "code": "amount_too_large",
                                   "message": f"Refund amount ({amount}) is greater than unrefunded amount."}}
        refund = {"id": f"re_{next(self._ids):08d}", "object": "refund", "amount": amount,
                  "currency": self.currencies.get(reference, self.default_currency), "status": "succeeded",
                  "payment_intent": form.get("payment_intent"), "charge": form.get("charge"),
                  "metadata": {k[9:-1]: v for k, v in form.items() if k.startswith("metadata[")},
                  "created": int(time.time())}
        self.refunds.append(refund)
        self._by_reference[reference].append(refund)
        self.last_at = time.monotonic()
        self.first_at = self.first_at or self.last_at
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
                standin._record("GET", url.path, query)
                if not self._authorized():
                    return
                reference = query.get("payment_intent") or query.get("charge") or ""
                with standin._lock:
                    data = standin.performed_for(reference)
                self._answer(200, {"object": "list", "data": data, "has_more": False})

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                standin._record("POST", self.path, form)
                if not self._authorized():
                    return
                key = self.headers.get("Idempotency-Key")
                if standin.latency:
                    time.sleep(standin.latency)
                with standin._lock:
                    if key in standin._keys:
                        earlier = standin._keys[key]
                        standin.calls["conflict" if earlier is None else "replayed"] += 1
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

