"""Store isolation rows for the receiving operations (see test_store_isolation.py).

``prepare`` makes a parcel of this store with one unit scanned in; another store's key
must find neither the return nor the unit, and change nothing of either."""

from django.utils import timezone

from rebox.core.actors import Actor
from rebox.orders.models import Order
from rebox.returns.models import ReceivingException, Return, ReturnUnit
from rebox.returns.receiving import receiving_scan
from rebox.returns.services import return_approve, return_transition
from rebox.testing import make_variant, order_payload

STAFF = Actor("staff", "isolation@shop.example")


def prepare(api, store, owned) -> dict:
    make_variant(store, "RCV-1", price_minor=1_000, stock=5)
    order = api.post("/orders", order_payload(("RCV-1", 2, 1_000), number="OWN-RCV")).json()
    Order.objects.filter(store=store, number="OWN-RCV").update(status="delivered",
                                                               delivered_at=timezone.now())
    created = api.post("/returns", {"order": "OWN-RCV", "resolution": "refund", "method": "mail_label",
                                    "lines": [{"order_line_id": order["lines"][0]["id"], "quantity": 2,
                                               "reason": "changed_mind"}]})
    assert created.status_code == 201, created.content
    ret = Return.objects.get(store=store, number=created.json()["number"])
    if ret.status == "requested":
        ret = return_approve(ret=ret, actor=STAFF)
    ret = return_transition(ret=ret, to="in_transit", actor=STAFF, why="carrier scan")
    outcome = receiving_scan(store=store, ret=ret, barcode="RCV-1", actor=STAFF)
    return {"receiving_number": ret.number, "unit_id": outcome.unit.pk}


def unchanged(store, owned) -> None:
    ret = Return.objects.get(store=store, number=owned["receiving_number"])
    assert ret.status == "in_transit"
    assert [line.quantity_received for line in ret.lines.all()] == [1]
    unit = ReturnUnit.objects.get(pk=owned["unit_id"])
    assert unit.inspected_at is None and not unit.disposition
    assert not ReceivingException.objects.filter(ret=ret).exists()


_INSPECT = {"grade": "A", "acceptance": "accepted"}
CALLS = {
    ("get", "/api/v1/returns/{number}/receiving"): ("/returns/{receiving_number}/receiving", None, 404),
    ("post", "/api/v1/returns/{number}/receive"): (
        "/returns/{receiving_number}/receive", {"barcode": "RCV-1"}, 404),
    ("post", "/api/v1/returns/{number}/receiving/lost"): (
        "/returns/{receiving_number}/receiving/lost", {}, 404),
    ("post", "/api/v1/returns/{number}/receiving/complete"): (
        "/returns/{receiving_number}/receiving/complete", {}, 404),
    ("post", "/api/v1/returns/{number}/units/{unit_id}/inspect"): (
        "/returns/{receiving_number}/units/{unit_id}/inspect", _INSPECT, 404),
    ("post", "/api/v1/returns/{number}/units/{unit_id}/dispose"): (
        "/returns/{receiving_number}/units/{unit_id}/dispose", {"disposition": "restock"}, 404),
}
