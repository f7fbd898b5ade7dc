"""Exchanges for another size or colour: stock held at approval and given back when the
return does not happen; after inspection a new order, paid by the exchange tender, that
goes through fulfilment; exactly once (two workers on PostgreSQL)."""

import pytest

from rebox.catalog.models import Variant
from rebox.core.actors import SYSTEM
from rebox.core.models import AuditEntry, OutboxEvent
from rebox.inventory.models import Location, MovementKind, StockLevel, StockMovement
from rebox.inventory.services import stock_level_from_ledger, stock_move
from rebox.orders.models import Order
from rebox.refunds.exchanges import exchange_release, exchange_reserve, exchange_resolve
from rebox.refunds.models import Exchange
from rebox.refunds.resolution import return_resolve
from rebox.returns.models import Acceptance, Return, ReturnUnit
from rebox.returns.services import return_transition
from rebox.returns.tests.helpers import delivered_order, return_body
from rebox.testing import run_at_once


def other_size(store, sku="TEE", *, new_sku="TEE-L", stock=5, price_minor=None) -> Variant:
    """Another size of ``sku``'s product, with stock at the default location."""
    base = Variant.objects.get(store=store, sku=sku)
    variant = Variant.objects.create(store=store, product=base.product, sku=new_sku, size="L",
                                     barcode=f"9{abs(hash(new_sku)) % 10**9:09d}",
                                     price_minor=price_minor if price_minor is not None else base.price_minor,
                                     currency=base.currency)
    if stock:
        location = Location.objects.get(store=store, is_default=True)
        stock_move(store_id=store.pk, variant_id=variant.pk, location_id=location.pk,
                   kind=MovementKind.RECEIVED, quantity=stock, actor=SYSTEM, why="opening stock")
    return variant


def exchange_request(api, order, line_id, quantity, variant=None) -> Return:
    body = return_body(order, (line_id, quantity), resolution="exchange")
    if variant is not None:
        body["lines"][0]["exchange_variant_id"] = variant.pk
    response = api.post("/returns", body)
    assert response.status_code == 201, response.content
    return Return.objects.get(number=response.json()["number"])


def approve(ret) -> Return:
    return return_transition(ret=ret, to="approved", actor=SYSTEM)


def inspect(ret, *acceptances) -> Return:
    """Walk an approved return to inspected; one acceptance per unit (default accepted)."""
    for status in ("in_transit", "received"):
        return_transition(ret=ret, to=status, actor=SYSTEM)
    verdicts = iter(acceptances)
    for line in ret.lines.all():
        for index in range(1, line.quantity + 1):
            ReturnUnit.objects.create(line=line, index=index, grade="A",
                                      acceptance=next(verdicts, Acceptance.ACCEPTED))
    return return_transition(ret=ret, to="inspected", actor=SYSTEM)


def available(variant) -> int:
    level = StockLevel.objects.get(variant=variant)
    return level.on_hand - level.reserved


def ledger_matches(variant) -> bool:
    level = StockLevel.objects.get(variant=variant)
    return stock_level_from_ledger(variant_id=variant.pk, location_id=level.location_id) == (
        level.on_hand, level.reserved)


@pytest.mark.django_db
def test_approving_an_exchange_holds_the_wanted_size_and_holding_twice_holds_once(api, store):
    lines = delivered_order(api, store, number="R1")
    large = other_size(store, stock=5)
    ret = approve(exchange_request(api, "R1", lines["TEE"], 2, large))

    first = exchange_reserve(ret=ret)
    again = exchange_reserve(ret=ret)

    assert first.pk == again.pk
    assert available(large) == 3
    assert ledger_matches(large)
    assert (first.credit_minor, first.new_minor, first.difference_minor) == (40_000, 40_000, 0)


@pytest.mark.django_db
def test_a_cancelled_exchange_gives_the_held_stock_back(api, store, django_capture_on_commit_callbacks):
    lines = delivered_order(api, store, number="R1")
    large = other_size(store, stock=5)
    ret = exchange_request(api, "R1", lines["TEE"], 1, large)
    with django_capture_on_commit_callbacks(execute=True):
        api.post(f"/returns/{ret.number}/approve", {})
    assert available(large) == 4  # the approval handler held one

    with django_capture_on_commit_callbacks(execute=True):
        assert api.post(f"/returns/{ret.number}/cancel", {}).status_code == 200

    assert available(large) == 5
    assert ledger_matches(large)
    assert Exchange.objects.get(ret=ret).status == "released"
    assert exchange_release(ret=ret, why="again") is None  # nothing left to give back


@pytest.mark.django_db
def test_an_inspected_exchange_becomes_a_paid_order_for_the_wanted_size(
        api, store, django_capture_on_commit_callbacks):
    lines = delivered_order(api, store, number="R1")
    large = other_size(store, stock=5)
    ret = exchange_request(api, "R1", lines["TEE"], 2, large)
    with django_capture_on_commit_callbacks(execute=True):
        api.post(f"/returns/{ret.number}/approve", {})
        inspect(ret)

    exchange = Exchange.objects.get(ret=ret)
    order = exchange.order
    assert Return.objects.get(pk=ret.pk).status == "resolved"
    assert (order.number, order.source, order.status) == (f"EX-{ret.number}", "exchange", "paid")
    assert [(line.sku, line.quantity, line.total_minor) for line in order.lines.all()] == [
        ("TEE-L", 2, 40_000)]
    tender = order.payments.get()
    assert (tender.method, tender.gateway, tender.reference, tender.amount_minor) == (
        "other", "", f"exchange:{ret.number}", order.total_minor)
    # the held units became the new order's reservation: nothing extra is held, the ledger agrees
    assert available(large) == 3
    assert StockMovement.objects.filter(variant=large, kind="reserved", order_line__order=order).count() == 1
    assert ledger_matches(large)
    event = OutboxEvent.objects.get(topic="exchange.created")
    assert event.payload["new_order"] == order.number and event.payload["return"] == ret.number
    assert AuditEntry.objects.filter(action="exchange.created", subject_id=ret.pk).exists()


@pytest.mark.django_db
def test_resolving_an_exchange_twice_finds_the_first_order(api, store):
    lines = delivered_order(api, store, number="R1")
    ret = inspect(approve(exchange_request(api, "R1", lines["MUG"], 1)))  # like for like

    exchange_resolve(ret=ret)
    again = return_resolve(ret=ret)

    assert again.status == "resolved"
    assert Order.objects.filter(source="exchange").count() == 1
    assert Exchange.objects.get(ret=ret).order.lines.get().sku == "MUG"


@pytest.mark.django_db
def test_units_rejected_at_inspection_are_not_exchanged(api, store):
    lines = delivered_order(api, store, number="R1")
    large = other_size(store, stock=5)
    ret = approve(exchange_request(api, "R1", lines["TEE"], 2, large))
    exchange_reserve(ret=ret)
    ret = inspect(ret, Acceptance.ACCEPTED, Acceptance.REJECTED)

    exchange_resolve(ret=ret)

    order = Exchange.objects.get(ret=ret).order
    assert [(line.quantity, line.total_minor) for line in order.lines.all()] == [(1, 20_000)]
    assert order.payments.get().amount_minor == 20_000
    assert available(large) == 4  # the rejected unit's hold went back
    assert ledger_matches(large)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_resolving_the_same_exchange_make_one_order(api, store):
    lines = delivered_order(api, store, number="R1")
    large = other_size(store, stock=5)
    ret = approve(exchange_request(api, "R1", lines["TEE"], 1, large))
    exchange_reserve(ret=ret)
    ret = inspect(ret)

    outcomes = run_at_once([lambda: exchange_resolve(ret=ret).status for _ in range(3)])

    assert outcomes == ["resolved"] * 3
    assert Order.objects.filter(source="exchange").count() == 1
    assert available(large) == 4
    assert ledger_matches(large)
    assert AuditEntry.objects.filter(action="return.resolved", subject_id=ret.pk).count() == 1


class _Undo(Exception):
    pass


@pytest.mark.django_db
def test_any_sequence_of_choices_and_a_release_keeps_stock_and_ledger_consistent(api, store):
    from django.db import transaction
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from rebox.core.errors import ValidationFailed
    from rebox.refunds.exchanges import Wanted, exchange_choose
    from rebox.testing import make_variant

    lines = delivered_order(api, store, number="R1")
    ret = approve(exchange_request(api, "R1", lines["MUG"], 1))
    stock = {"A": 3, "B": 1, "C": 0}
    variants = [make_variant(store, sku, price_minor=1_000 * (i + 1), stock=n, category="home")
                for i, (sku, n) in enumerate(stock.items())]

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(choices=st.lists(st.lists(st.tuples(st.integers(0, 2), st.integers(1, 3)), min_size=1, max_size=2),
                            max_size=4),
           release=st.booleans())
    def run(choices, release):
        try:
            with transaction.atomic():
                for choice in choices:
                    try:
                        with transaction.atomic():
                            exchange_choose(ret=ret, wanted=[Wanted(variants[i].pk, q) for i, q in choice],
                                            actor=SYSTEM)
                    except ValidationFailed:
                        pass  # out of stock: nothing changes
                if release:
                    exchange_release(ret=ret, why="cancelled")
                exchange = Exchange.objects.filter(ret=ret).first()
                held = {v.pk: 0 for v in variants}
                if exchange is not None:
                    for line in exchange.lines.filter(location__isnull=False):
                        held[line.variant_id] += line.quantity
                for variant, on_hand in zip(variants, stock.values(), strict=True):
                    level = StockLevel.objects.filter(variant=variant).first()
                    reserved = level.reserved if level else 0
                    assert reserved == held[variant.pk] and (level.on_hand if level else 0) == on_hand
                    assert level is None or ledger_matches(variant)
                    if release:
                        assert reserved == 0
                raise _Undo
        except _Undo:
            pass

    run()
