"""Delivered orders set up through the API, as an integrator would."""

from datetime import timedelta

from django.utils import timezone

from rebox.catalog.models import Variant
from rebox.testing import make_variant, order_payload


def delivered_order(api, store, *, number: str = "R1", days_ago: int = 3, tee: int = 2,
                    mug: int = 1) -> dict:
    """An order of ``tee`` TEE and ``mug`` MUG, delivered ``days_ago`` days ago; its lines by SKU."""
    if not Variant.objects.filter(store=store, sku="TEE").exists():
        make_variant(store, "TEE", price_minor=20_000, stock=20)
        make_variant(store, "MUG", price_minor=15_000, stock=20, category="home")
    body = order_payload(("TEE", tee, 20_000), ("MUG", mug, 15_000), number=number)
    body["placed_at"] = (timezone.now() - timedelta(days=days_ago + 2)).isoformat()
    assert api.post("/orders", body).status_code == 201
    shipment = api.post(f"/orders/{number}/shipments", {"carrier": "dhl", "tracking_number": number})
    delivered_at = (timezone.now() - timedelta(days=days_ago)).isoformat()
    api.post(f"/orders/{number}/shipments/{shipment.json()['shipments'][0]['id']}/events",
             {"id": f"d-{number}", "status": "delivered", "occurred_at": delivered_at})
    order = api.get(f"/orders/{number}").json()
    return {line["sku"]: line["id"] for line in order["lines"]}


def return_body(order: str, *lines: tuple[int, int], reason: str = "changed_mind",
                resolution: str = "refund", method: str = "mail_label") -> dict:
    return {"order": order, "resolution": resolution, "method": method,
            "lines": [{"order_line_id": line_id, "quantity": q, "reason": reason} for line_id, q in lines]}
