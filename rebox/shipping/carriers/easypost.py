"""EasyPost's v2 REST API, as documented:

* authentication: the API key as the HTTP Basic user name, no password
  (https://www.easypost.com/docs/api, "Authentication");
* ``reference``: "may be used in place of id values in many API endpoints" (same page,
  "EasyPost Objects"), which is how a retry finds the shipment an earlier try created;
* Shipment: ``POST /v2/shipments`` with ``{"shipment": {to_address, from_address, parcel,
  reference, is_return, options}}`` answers with ``rates``; ``POST /v2/shipments/{id}/buy``
  with ``{"rate": {"id": ...}}`` answers with ``postage_label.label_url``, ``tracking_code``
  and ``tracker.public_url`` (https://docs.easypost.com/docs/shipments);
* Pickup: ``POST /v2/pickups`` with ``{"pickup": {address, shipment: {id}, reference,
  min_datetime, max_datetime, is_account_address, instructions}}`` answers with
  ``pickup_rates``; ``POST /v2/pickups/{id}/buy`` with ``{carrier, service}`` schedules it
  and answers with ``confirmation`` (https://docs.easypost.com/docs/pickups);
* errors: 4xx/5xx with ``{"error": {"code", "message", "errors": [...]}}``
  (https://docs.easypost.com/docs/errors).

Standard library HTTP only; timeouts, 5xx and 429 become CarrierUnavailable (retried),
other 4xx CarrierRefused (staff fix the data, then retry).
"""

import base64
import json
import urllib.error
import urllib.request
from datetime import UTC, datetime, time
from decimal import Decimal

from rebox.shipping.carriers import (
    CarrierError,
    CarrierRefused,
    CarrierUnavailable,
    LabelRequest,
    PurchasedLabel,
)

API = "https://api.easypost.com/v2"
DEFAULT_PARCEL = {"weight": 32.0, "length": 12.0, "width": 9.0, "height": 4.0}  # oz, inches


def _address(address: dict) -> dict:
    return {
        "name": address.get("name", ""),
        "company": address.get("company", ""),
        "street1": address.get("line1", ""),
        "street2": address.get("line2", ""),
        "city": address.get("city", ""),
        "state": address.get("state", ""),
        "zip": address.get("postal_code", ""),
        "country": address.get("country", ""),
        "phone": address.get("phone", ""),
        "email": address.get("email", ""),
    }


class EasyPostCarrier:
    name = "easypost"

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str | None = None,
        timeout: float = 20.0,
        default_parcel: dict | None = None,
    ):
        self.base_url = (base_url or API).rstrip("/")
        self.timeout = timeout
        self.parcel = default_parcel or DEFAULT_PARCEL
        self._auth = "Basic " + base64.b64encode(f"{api_key}:".encode()).decode()

    # --- the adapter -------------------------------------------------------------------
    def buy_label(self, request: LabelRequest) -> PurchasedLabel:
        shipment = self._find(f"/shipments/{request.reference}")
        if shipment is None:
            shipment = self._call(
                "POST",
                "/shipments",
                {
                    "shipment": {
                        "reference": request.reference,
                        "is_return": True,
                        "to_address": _address(request.to_address),
                        "from_address": _address(request.from_address),
                        "parcel": dict(request.parcel or self.parcel),
                        "options": {"label_format": "PDF", "print_custom_1": request.return_number},
                    }
                },
            )
        if not (shipment.get("postage_label") or {}).get("label_url"):
            shipment = self._call(
                "POST",
                f"/shipments/{shipment['id']}/buy",
                {"rate": {"id": self._lowest_rate(shipment)["id"]}},
            )
        confirmation = ""
        if request.method == "courier_pickup" and request.pickup_date:
            confirmation = self._pickup(request, shipment)
        label_url = shipment["postage_label"]["label_url"]
        rate = shipment.get("selected_rate") or {}
        return PurchasedLabel(
            carrier=rate.get("carrier", "easypost"),
            service=rate.get("service", ""),
            tracking_number=shipment.get("tracking_code") or "",
            tracking_url=(shipment.get("tracker") or {}).get("public_url") or "",
            label_pdf=self._download(label_url),
            shipment_id=shipment["id"],
            label_url=label_url,
            pickup_confirmation=confirmation,
        )

    def _lowest_rate(self, shipment: dict) -> dict:
        rates = shipment.get("rates") or []
        if not rates:
            messages = "; ".join(m.get("message", "") for m in shipment.get("messages") or [])
            raise CarrierRefused(f"EasyPost offered no rate for this parcel. {messages}".strip())
        return min(rates, key=lambda r: Decimal(str(r["rate"])))

    def _pickup(self, request: LabelRequest, shipment: dict) -> str:
        reference = f"{request.reference}-pickup"
        pickup = self._find(f"/pickups/{reference}")
        if pickup is None:
            day = request.pickup_date
            pickup = self._call(
                "POST",
                "/pickups",
                {
                    "pickup": {
                        "reference": reference,
                        "shipment": {"id": shipment["id"]},
                        "address": _address(request.from_address),
                        "is_account_address": False,
                        "min_datetime": datetime.combine(day, time(8), UTC).isoformat(),
                        "max_datetime": datetime.combine(day, time(18), UTC).isoformat(),
                        "instructions": f"Return {request.return_number}",
                    }
                },
            )
        if pickup.get("confirmation"):
            return pickup["confirmation"]
        rates = pickup.get("pickup_rates") or []
        if not rates:
            raise CarrierRefused("EasyPost offered no pickup on that day")
        rate = min(rates, key=lambda r: Decimal(str(r["rate"])))
        bought = self._call(
            "POST", f"/pickups/{pickup['id']}/buy", {"carrier": rate["carrier"], "service": rate["service"]}
        )
        return bought.get("confirmation") or ""

    # --- HTTP ----------------------------------------------------------------------------
    def _find(self, path: str) -> dict | None:
        try:
            return self._call("GET", path)
        except CarrierRefused as exc:
            if getattr(exc, "status", None) == 404:
                return None
            raise

    def _call(self, method: str, path: str, body: dict | None = None) -> dict:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.base_url + path,
            data=data,
            method=method,
            headers={
                "Authorization": self._auth,
                "Content-Type": "application/json",
                "Accept": "application/json",
                "User-Agent": "Rebox",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            raise self._error(exc) from exc
        except (TimeoutError, urllib.error.URLError, ConnectionError) as exc:
            raise CarrierUnavailable(f"EasyPost did not answer: {exc}") from exc
        except ValueError as exc:
            raise CarrierUnavailable("EasyPost answered with something that is not JSON") from exc

    def _error(self, exc: urllib.error.HTTPError) -> CarrierError:
        try:
            error = json.loads(exc.read() or b"{}").get("error") or {}
        except ValueError:
            error = {}
        fields = "; ".join(
            f"{e.get('field')}: {e.get('message')}" if isinstance(e, dict) else str(e)
            for e in error.get("errors") or []
        )
        text = f"EasyPost {exc.code} {error.get('code', '')}: {error.get('message', exc.reason)}"
        text = f"{text} ({fields})" if fields else text
        kind = CarrierUnavailable if exc.code >= 500 or exc.code == 429 else CarrierRefused
        failure = kind(text)
        failure.status = exc.code  # type: ignore[attr-defined]
        return failure

    def _download(self, url: str) -> bytes:
        try:
            with urllib.request.urlopen(url, timeout=self.timeout) as response:  # noqa: S310
                return response.read()
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            raise CarrierUnavailable(f"The label file could not be fetched: {exc}") from exc
