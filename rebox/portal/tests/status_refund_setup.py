"""A Nordlys order returned, inspected and paid back, for the status page's money tests:
the whole order (a dress and sneakers, with 5.00 delivery) returned for a change of size,
the dress accepted with a 20 % deduction; refunded by card through the Stripe stand-in."""

from datetime import timedelta

from django.utils import timezone

from rebox.core.actors import SYSTEM
from rebox.refunds.models import GatewayAccount, Refund
from rebox.refunds.resolution import return_resolve
from rebox.refunds.services import refund_execute
from rebox.returns.links import status_url
from rebox.returns.models import Acceptance, Return, ReturnUnit
from rebox.returns.services import return_transition
from rebox.testing import api_client_for, order_payload

DRESS, SNEAKER, DELIVERY = 79_00, 119_00, 5_00


def delivered_with_delivery(store, number: str, *, gift_code: str = "") -> dict[str, int]:
    api = api_client_for(store)
    body = order_payload(("DRESS-M", 1, DRESS), ("SNEAKER-40", 1, SNEAKER), number=number,
                         shipping_minor=DELIVERY)
    body["placed_at"] = (timezone.now() - timedelta(days=5)).isoformat()
    assert api.post("/orders", body).status_code == 201
    shipment = api.post(f"/orders/{number}/shipments", {"carrier": "gls", "tracking_number": f"T{number}"})
    api.post(f"/orders/{number}/shipments/{shipment.json()['shipments'][0]['id']}/events",
             {"id": f"d-{number}", "status": "delivered",
              "occurred_at": (timezone.now() - timedelta(days=3)).isoformat()})
    if gift_code:
        from rebox.orders.models import Order

        Order.objects.filter(store=store, number=number).update(gift_receipt_code=gift_code)
    return {line["sku"]: line["id"] for line in api.get(f"/orders/{number}").json()["lines"]}


def returned(store, number: str, *, resolution: str = "refund", gift_code: str | None = None,
             reason: str = "too_small") -> Return:
    lines = delivered_with_delivery(store, number, gift_code=gift_code or "")
    body = {"order": number, "resolution": resolution, "method": "mail_label",
            "lines": [{"order_line_id": line_id, "quantity": 1, "reason": reason}
                      for line_id in lines.values()]}
    if gift_code:
        body["gift_code"] = gift_code
    created = api_client_for(store).post("/returns", body)
    assert created.status_code == 201, created.content
    return Return.objects.get(store=store, number=created.json()["number"])


def inspect(ret: Return) -> Return:
    """Walk the return to inspected: the dress partly accepted (20 % off), the rest accepted."""
    for status in ("approved", "in_transit", "received"):
        if Return.objects.get(pk=ret.pk).status != status:
            return_transition(ret=ret, to=status, actor=SYSTEM)
    for line in ret.lines.select_related("order_line"):
        partly = line.order_line.sku == "DRESS-M"
        ReturnUnit.objects.create(line=line, index=1, grade="B" if partly else "A",
                                  acceptance=Acceptance.PARTLY if partly else Acceptance.ACCEPTED,
                                  deduction_percent=20 if partly else 0)
    return return_transition(ret=ret, to="inspected", actor=SYSTEM)


def refunded_by_card(store, stripe, number: str = "N100", *, reason: str = "too_small") -> Return:
    """Returned, inspected, resolved and paid back through the stand-in."""
    GatewayAccount.objects.get_or_create(store=store, payment_gateway="stripe", gateway="stripe",
                                         defaults={"secret_key": stripe.secret_key, "api_base": stripe.url})
    stripe.captured["ch_1"], stripe.currencies["ch_1"] = DRESS + SNEAKER + DELIVERY, "eur"
    ret = inspect(returned(store, number, reason=reason))
    if Return.objects.get(pk=ret.pk).status == "inspected":  # else the outbox resolved it after commit
        return_resolve(ret=ret)
    for refund in Refund.objects.filter(ret=ret).exclude(status="succeeded"):
        assert refund_execute(refund.pk) == "succeeded"
    assert not Refund.objects.filter(ret=ret).exclude(status="succeeded").exists()
    return Return.objects.get(pk=ret.pk)


def status_path(ret: Return, lang: str) -> str:
    url = status_url(ret)
    return url[url.index("/s/"):] + f"?lang={lang}"
