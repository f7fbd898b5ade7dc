"""Store credit codes of one store mean nothing to another store's key."""

from rebox.core.actors import SYSTEM
from rebox.orders.models import Customer
from rebox.refunds.credit import credit_balance, credit_issue
from rebox.refunds.models import CreditAccount

CALLS = {
    ("get", "/api/v1/credits/{code}"): ("/credits/{credit_code}", None, 404),
    ("post", "/api/v1/credits/{code}/redeem"): ("/credits/{credit_code}/redeem", {"amount_minor": 100}, 404),
}


def prepare(api, store, owned) -> dict:
    customer = Customer.objects.create(store=store, email="credit@example.com", name="C")
    account = credit_issue(store=store, customer=customer, currency="EUR", amount_minor=1_000,
                           actor=SYSTEM, key="isolation")
    return {"credit_code": account.code}


def unchanged(store, owned) -> None:
    assert credit_balance(CreditAccount.objects.get(store=store, code=owned["credit_code"])) == 1_000
