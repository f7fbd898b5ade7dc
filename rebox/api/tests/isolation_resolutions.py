"""Store isolation rows for refunds, refund plans, resolving, money views, goodwill,
exchange payments and staff-given credit (see test_store_isolation.py).

``prepare`` gives this store a failed refund on its return (a retry or a manual record
would change it) and a customer with an email another store's key might try to credit."""

from rebox.core.actors import SYSTEM
from rebox.orders.models import Order
from rebox.refunds.models import CreditAccount, Goodwill, Refund
from rebox.refunds.services import refund_create
from rebox.returns.models import Return


def prepare(api, store, owned) -> dict:
    order = Order.objects.get(store=store, number="OWN-2")
    refund = refund_create(order=order, payment=order.payments.get(), amount_minor=500, actor=SYSTEM,
                           ret=Return.objects.get(store=store, number=owned["return_number"]))
    Refund.objects.filter(pk=refund.pk).update(status="failed", last_error="declined")
    return {"refund_number": refund.number, "customer_email": order.customer.email}


def unchanged(store, owned) -> None:
    refund = Refund.objects.get(store=store, number=owned["refund_number"])
    assert (refund.status, refund.gateway_reference) == ("failed", "")
    assert Refund.objects.filter(store=store, order__number="OWN-2").count() == 1
    assert not Goodwill.objects.filter(store=store).exists()
    assert not CreditAccount.objects.filter(store=store, customer__email=owned["customer_email"]).exists()


# the email of this store's customer (order_payload's), unknown to the other store
_CREDIT = {"email": "ana@example.com", "amount_minor": 100, "why": "intruder"}
CALLS = {
    ("get", "/api/v1/refunds"): ("/refunds", None, "empty"),
    ("get", "/api/v1/refunds/{number}"): ("/refunds/{refund_number}", None, 404),
    ("post", "/api/v1/refunds/{number}/retry"): ("/refunds/{refund_number}/retry", {}, 404),
    ("post", "/api/v1/refunds/{number}/manual"): (
        "/refunds/{refund_number}/manual", {"reference": "cash"}, 404),
    ("get", "/api/v1/returns/{number}/refund-plan"): ("/returns/{return_number}/refund-plan", None, 404),
    ("post", "/api/v1/returns/{number}/resolve"): ("/returns/{return_number}/resolve", {}, 404),
    ("get", "/api/v1/orders/{number}/money"): ("/orders/OWN-2/money", None, 404),
    ("post", "/api/v1/returns/{number}/goodwill"): (
        "/returns/{return_number}/goodwill", {"kind": "discount_code", "percent": 50, "why": "x"}, 404),
    ("post", "/api/v1/returns/{number}/exchange/confirm-payment"): (
        "/returns/{return_number}/exchange/confirm-payment", {"reference": "x", "amount_minor": 1}, 404),
    ("post", "/api/v1/credits"): ("/credits", _CREDIT, 404),
}
