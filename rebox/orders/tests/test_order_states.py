"""The status tables, tested as data, and the one transition function that uses them."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rebox.core.actors import SYSTEM
from rebox.core.errors import Conflict
from rebox.orders.services import order_transition
from rebox.orders.states import ORDER_TRANSITIONS, SHIPMENT_TRANSITIONS, OrderStatus, ShipmentStatus, can_move


def test_every_status_has_a_row_and_every_target_is_a_status():
    for table, statuses in ((ORDER_TRANSITIONS, OrderStatus), (SHIPMENT_TRANSITIONS, ShipmentStatus)):
        assert set(table) == set(statuses.values)
        assert all(target in statuses.values for targets in table.values() for target in targets)


def test_delivered_and_cancelled_orders_are_final():
    assert ORDER_TRANSITIONS[OrderStatus.DELIVERED] == set()
    assert ORDER_TRANSITIONS[OrderStatus.CANCELLED] == set()


def test_shipped_goods_can_no_longer_be_cancelled():
    assert not can_move(ORDER_TRANSITIONS, OrderStatus.SHIPPED, OrderStatus.CANCELLED)


@given(path=st.lists(st.sampled_from(OrderStatus.values), max_size=12))
def test_following_the_table_always_reaches_a_status_from_which_delivery_or_an_end_is_reachable(path):
    current = OrderStatus.PENDING
    for target in path:
        if can_move(ORDER_TRANSITIONS, current, target):
            current = target
    reachable, frontier = {current}, [current]
    while frontier:
        for nxt in ORDER_TRANSITIONS[frontier.pop()]:
            if nxt not in reachable:
                reachable.add(nxt)
                frontier.append(nxt)
    assert reachable & {OrderStatus.DELIVERED, OrderStatus.CANCELLED}


@pytest.mark.django_db
def test_a_forbidden_move_is_a_conflict_naming_the_current_status(api, store):
    from rebox.orders.models import Order
    from rebox.testing import make_variant, order_payload

    make_variant(store, "MUG", price_minor=2_000)
    api.post("/orders", order_payload(("MUG", 1, 2_000), number="S1"))
    order = Order.objects.get(number="S1")

    with pytest.raises(Conflict, match="is paid and cannot become delivered"):
        order_transition(order=order, to=OrderStatus.DELIVERED, actor=SYSTEM)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
