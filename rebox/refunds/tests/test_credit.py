"""Store credit: balance from the ledger, spent once per key, never below zero, expiring
oldest first; concurrent checkouts cannot spend the same credit (PostgreSQL)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from rebox.core.actors import SYSTEM, Actor
from rebox.core.errors import Conflict, IdempotencyKeyReused, NotFound, ValidationFailed
from rebox.core.models import OutboxEvent
from rebox.orders.models import Customer
from rebox.refunds.credit import (
    credit_adjust,
    credit_balance,
    credit_issue,
    credit_redeem,
    credits_expire,
)
from rebox.refunds.models import CreditEntry
from rebox.testing import run_at_once

SHOP = Actor.integration("storefront")
pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(store):
    return Customer.objects.create(store=store, email="ana@example.com", name="Ana")


def test_credit_issued_twice_with_one_key_exists_once_with_its_bonus(store, customer):
    for _ in range(2):
        account = credit_issue(store=store, customer=customer, currency="EUR", amount_minor=5_000,
                               bonus_minor=500, actor=SYSTEM, key="return:K1")

    assert credit_balance(account) == 5_500
    assert OutboxEvent.objects.filter(topic="credit.issued").count() == 1


def test_redeeming_spends_once_per_key_and_never_beyond_the_balance(store, customer):
    account = credit_issue(store=store, customer=customer, currency="EUR", amount_minor=3_000,
                           actor=SYSTEM, key="k")

    _entry, left = credit_redeem(store=store, code=account.code.lower(), amount_minor=2_000, key="chk-1",
                                 actor=SHOP, reference="web-1001")
    _again, left_again = credit_redeem(store=store, code=account.code, amount_minor=2_000, key="chk-1",
                                       actor=SHOP)
    with pytest.raises(Conflict, match="Only 1000 EUR"):
        credit_redeem(store=store, code=account.code, amount_minor=1_001, key="chk-2", actor=SHOP)
    with pytest.raises(IdempotencyKeyReused):
        credit_redeem(store=store, code=account.code, amount_minor=500, key="chk-1", actor=SHOP)

    assert (left, left_again) == (1_000, 1_000)
    assert credit_balance(account) == 1_000


def test_another_stores_code_is_not_found(store, other_store, customer):
    account = credit_issue(store=store, customer=customer, currency="EUR", amount_minor=3_000,
                           actor=SYSTEM, key="k")

    with pytest.raises(NotFound):
        credit_redeem(store=other_store, code=account.code, amount_minor=1, key="x", actor=SHOP)


def test_an_adjustment_needs_a_reason_and_cannot_go_below_zero(store, customer):
    account = credit_issue(store=store, customer=customer, currency="EUR", amount_minor=1_000,
                           actor=SYSTEM, key="k")

    with pytest.raises(ValidationFailed):
        credit_adjust(account=account, amount_minor=-100, actor=SHOP, why=" ")
    with pytest.raises(Conflict):
        credit_adjust(account=account, amount_minor=-1_001, actor=SHOP, why="typo")
    credit_adjust(account=account, amount_minor=-400, actor=SHOP, why="goodwill given twice")

    assert credit_balance(account) == 600


def test_expiry_takes_what_is_left_of_the_oldest_issue_once(store, customer):
    now = timezone.now()
    account = credit_issue(store=store, customer=customer, currency="EUR", amount_minor=1_000,
                           actor=SYSTEM, key="old", expires_at=now - timedelta(days=1))
    credit_issue(store=store, customer=customer, currency="EUR", amount_minor=2_000, actor=SYSTEM,
                 key="new", expires_at=now + timedelta(days=300))
    credit_redeem(store=store, code=account.code, amount_minor=700, key="spend", actor=SHOP)

    assert credits_expire(now=now) == 1
    assert credits_expire(now=now) == 0
    assert CreditEntry.objects.get(kind="expired").amount_minor == -300
    assert credit_balance(account) == 2_000


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["issue", "spend", "adjust"]), st.integers(1, 5_000)),
                max_size=12))
def test_the_balance_is_never_negative_and_equals_the_ledger(ops):
    from rebox.testing import make_store

    store = make_store(f"credit-{abs(hash(tuple(ops))) % 10**9}")
    customer = Customer.objects.create(store=store, email="p@example.com", name="P")
    account = credit_issue(store=store, customer=customer, currency="EUR", amount_minor=1, actor=SYSTEM,
                           key="seed")
    expected = 1
    for i, (op, amount) in enumerate(ops):
        try:
            if op == "issue":
                credit_issue(store=store, customer=customer, currency="EUR", amount_minor=amount,
                             actor=SYSTEM, key=f"i{i}")
                expected += amount
            elif op == "spend":
                credit_redeem(store=store, code=account.code, amount_minor=amount, key=f"s{i}", actor=SHOP)
                expected -= amount
            else:
                credit_adjust(account=account, amount_minor=-amount, actor=SHOP, why="count")
                expected -= amount
        except Conflict:
            pass
        assert credit_balance(account) == expected >= 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_checkouts_cannot_spend_the_same_credit(store, customer):
    account = credit_issue(store=store, customer=customer, currency="EUR", amount_minor=5_000,
                           actor=SYSTEM, key="k")

    def spend(i):
        try:
            credit_redeem(store=store, code=account.code, amount_minor=3_000, key=f"c{i}", actor=SHOP)
            return "spent"
        except Conflict:
            return "refused"

    outcomes = run_at_once([lambda i=i: spend(i) for i in range(4)])

    assert sorted(outcomes) == ["refused", "refused", "refused", "spent"]
    assert credit_balance(account) == 2_000
