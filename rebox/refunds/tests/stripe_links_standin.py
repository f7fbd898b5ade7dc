"""A local stand-in for Stripe's Checkout Sessions (the hosted payment pages Rebox sends
as payment links): it checks the secret key, keeps idempotency keys like Stripe (a repeat
answers the first session again), can refuse, and makes the ``checkout.session.completed``
event Stripe would send once the customer paid (``completed_event``)."""

from __future__ import annotations

import itertools
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class StripeLinksStandIn:
    def __init__(self, *, secret_key: str = "sk_test_rebox"):
        self.secret_key = secret_key
        self.mode = "ok"  # ok | refuse
        self.sessions: list[dict] = []  # created, in order
        self.posts = 0
        self._keys: dict[str, dict] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> StripeLinksStandIn:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def completed_event(self, session: dict, *, payment_intent: str = "pi_DIFF1") -> bytes:
        """The webhook body Stripe sends when ``session`` has been paid."""
        paid = {**session, "status": "complete", "payment_status": "paid", "payment_intent": payment_intent}
        return json.dumps({"id": f"evt_{session['id']}", "object": "event",
                           "type": "checkout.session.completed", "data": {"object": paid}}).encode()

    def _create(self, form: dict[str, str]) -> tuple[int, dict]:
        if self.mode == "refuse":
            return 400, {"error": {"type": "invalid_request_error", "message": "Currency not supported."}}
        if form.get("mode") != "payment" or not form.get("success_url"):
            return 400, {"error": {"type": "invalid_request_error",
                                   "message": "Missing mode or success_url."}}
        number = next(self._ids)
        amount = int(form["line_items[0][price_data][unit_amount]"]) * int(form["line_items[0][quantity]"])
        session = {"id": f"cs_test_{number:06d}", "object": "checkout.session", "mode": "payment",
                   "url": f"https://checkout.stripe.test/c/pay/cs_test_{number:06d}",
                   "amount_total": amount, "currency": form["line_items[0][price_data][currency]"],
                   "client_reference_id": form.get("client_reference_id"), "payment_status": "unpaid",
                   "metadata": {k[9:-1]: v for k, v in form.items() if k.startswith("metadata[")},
                   "name": form.get("line_items[0][price_data][product_data][name]")}
        self.sessions.append(session)
        return 200, session

    def _handler(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                if self.headers.get("Authorization") != f"Bearer {standin.secret_key}":
                    return self._answer(401, {"error": {"type": "invalid_request_error",
                                                        "message": "Invalid API Key provided"}})
                if self.path != "/v1/checkout/sessions":
                    return self._answer(404, {"error": {"type": "invalid_request_error",
                                                        "message": "Unrecognized request URL"}})
                key = self.headers.get("Idempotency-Key")
                with standin._lock:
                    standin.posts += 1
                    if key and key in standin._keys:
                        return self._answer(200, standin._keys[key])
                    status, body = standin._create(form)
                    if key and status == 200:
                        standin._keys[key] = body
                self._answer(status, body)

        return Handler
