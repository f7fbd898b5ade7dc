"""Store isolation rows for the reports (see test_store_isolation.py).

``prepare`` disposes of a unit of this store today (its order and return count in the
insights too); another store's key gets its own (empty) figures, never these."""

from django.utils import timezone

from rebox.core.actors import Actor
from rebox.orders.models import Order
from rebox.returns.inspection import unit_dispose, unit_inspect
from rebox.returns.models import Return, ReturnUnit
from rebox.returns.receiving import receiving_complete, receiving_scan
from rebox.returns.services import return_approve, return_transition
from rebox.testing import make_variant, order_payload

STAFF = Actor("staff", "isolation@shop.example")


def prepare(api, store, owned) -> dict:
    make_variant(store, "COST-1", price_minor=1_000, stock=5)
    order = api.post("/orders", order_payload(("COST-1", 1, 1_000), number="OWN-COST")).json()
    Order.objects.filter(store=store, number="OWN-COST").update(status="delivered",
                                                                delivered_at=timezone.now())
    created = api.post("/returns", {"order": "OWN-COST", "resolution": "refund", "method": "mail_label",
                                    "lines": [{"order_line_id": order["lines"][0]["id"], "quantity": 1,
                                               "reason": "changed_mind"}]})
    assert created.status_code == 201, created.content
    ret = Return.objects.get(store=store, number=created.json()["number"])
    if ret.status == "requested":
        ret = return_approve(ret=ret, actor=STAFF)
    ret = return_transition(ret=ret, to="in_transit", actor=STAFF, why="carrier scan")
    unit = receiving_scan(store=store, ret=ret, barcode="COST-1", actor=STAFF).unit
    receiving_complete(store=store, ret=ret, actor=STAFF)
    unit = unit_inspect(store=store, unit=ReturnUnit.objects.get(pk=unit.pk), grade="A",
                        acceptance="accepted", actor=STAFF)
    unit_dispose(store=store, unit=unit, disposition="liquidate", actor=STAFF, value_recovered_minor=400)
    return {"cost_unit_id": unit.pk}


def unchanged(store, owned) -> None:
    unit = ReturnUnit.objects.get(pk=owned["cost_unit_id"])
    assert (unit.disposition, unit.value_recovered_minor) == ("liquidate", 400)


CALLS = {
    ("get", "/api/v1/reports/return-costs"): ("/reports/return-costs", None, "empty"),
    ("get", "/api/v1/reports/return-insights"): ("/reports/return-insights", None, "empty"),
}
