"""A local stand-in for EasyPost's v2 API (the subset Rebox uses), in a thread.

It checks HTTP Basic auth, keeps shipments and pickups (findable by id or reference, as
EasyPost's are), counts purchases, and can be told to refuse (422 with EasyPost's error
JSON), to fail (500) or to be slow."""

import base64
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ERROR_422 = {
    "error": {
        "code": "SHIPMENT.INVALID_PARAMS",
        "message": "Unable to create shipment",
        "errors": [{"field": "to_address.street1", "message": "is required", "suggestion": None}],
    }
}


class EasyPostStandIn:
    def __init__(self, api_key: str = "EZTK_test"):
        self.api_key = api_key
        self.mode = "ok"
        self.delay = 0.0
        self.shipments: dict[str, dict] = {}
        self.pickups: dict[str, dict] = {}
        self.purchases = 0
        self.pickup_purchases = 0
        self.requests: list[tuple[str, str, dict | None]] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/v2"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def _find(self, table: dict, key: str) -> dict | None:
        return table.get(key) or next((o for o in table.values() if o.get("reference") == key), None)

    def _handler(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status: int, body, content_type="application/json"):
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path.startswith("/files/"):
                    return self._send(200, b"%PDF-1.4 carrier label " + self.path.encode(), "application/pdf")
                self._route("GET", None)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                self._route("POST", json.loads(self.rfile.read(length) or b"{}"))

            def _route(self, method, body):
                standin.requests.append((method, self.path, body))
                expected = "Basic " + base64.b64encode(f"{standin.api_key}:".encode()).decode()
                if self.headers.get("Authorization") != expected:
                    return self._send(
                        401, {"error": {"code": "APIKEY.INACTIVE", "message": "Invalid key", "errors": []}}
                    )
                if standin.delay:
                    time.sleep(standin.delay)
                if standin.mode == "refuse" and method == "POST":
                    return self._send(422, ERROR_422)
                if standin.mode == "down":
                    return self._send(
                        500, {"error": {"code": "INTERNAL_SERVER_ERROR", "message": "Oops", "errors": []}}
                    )
                parts = self.path.strip("/").split("/")[1:]  # after "v2"
                status, answer = standin.answer(method, parts, body or {})
                self._send(status, answer)

        return Handler

    def answer(self, method: str, parts: list[str], body: dict) -> tuple[int, dict]:
        not_found = {
            "error": {
                "code": "NOT_FOUND",
                "message": "The requested resource could not be found.",
                "errors": [],
            }
        }
        if parts[0] == "shipments":
            if method == "POST" and len(parts) == 1:
                sid = f"shp_{uuid.uuid4().hex}"
                shipment = {
                    "id": sid,
                    "object": "Shipment",
                    **body["shipment"],
                    "postage_label": None,
                    "tracking_code": None,
                    "tracker": None,
                    "selected_rate": None,
                    "rates": [
                        {
                            "id": f"rate_{sid}_1",
                            "carrier": "USPS",
                            "service": "Priority",
                            "rate": "7.90",
                            "currency": "USD",
                        },
                        {
                            "id": f"rate_{sid}_2",
                            "carrier": "USPS",
                            "service": "GroundAdvantage",
                            "rate": "5.25",
                            "currency": "USD",
                        },
                    ],
                }
                self.shipments[sid] = shipment
                return 201, shipment
            shipment = self._find(self.shipments, parts[1])
            if shipment is None:
                return 404, not_found
            if method == "POST" and parts[2:] == ["buy"]:
                if shipment["postage_label"]:
                    return 422, {
                        "error": {
                            "code": "SHIPMENT.POSTAGE.EXISTS",
                            "message": "already bought",
                            "errors": [],
                        }
                    }
                rate = next(r for r in shipment["rates"] if r["id"] == body["rate"]["id"])
                self.purchases += 1
                number = f"9400{self.purchases:018d}"
                shipment.update(
                    selected_rate=rate,
                    tracking_code=number,
                    postage_label={
                        "object": "PostageLabel",
                        "label_url": f"http://127.0.0.1:{self.server.server_port}/files/{shipment['id']}.pdf",
                    },
                    tracker={"object": "Tracker", "public_url": f"https://track.example/{number}"},
                )
            return 200, shipment
        if parts[0] == "pickups":
            if method == "POST" and len(parts) == 1:
                pid = f"pickup_{uuid.uuid4().hex}"
                pickup = {
                    "id": pid,
                    "object": "Pickup",
                    **body["pickup"],
                    "confirmation": None,
                    "pickup_rates": [
                        {
                            "id": f"pickuprate_{pid}",
                            "carrier": "USPS",
                            "service": "NextDay",
                            "rate": "0.00",
                            "currency": "USD",
                            "pickup_id": pid,
                        }
                    ],
                }
                self.pickups[pid] = pickup
                return 201, pickup
            pickup = self._find(self.pickups, parts[1])
            if pickup is None:
                return 404, not_found
            if method == "POST" and parts[2:] == ["buy"]:
                self.pickup_purchases += 1
                pickup.update(status="scheduled", confirmation=f"WTC{self.pickup_purchases:06d}")
            return 200, pickup
        return 404, not_found
