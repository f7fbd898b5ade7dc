"""The stock level is always what the ledger of movements adds up to, and never negative."""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rebox.core.actors import SYSTEM
from rebox.core.errors import OutOfStock
from rebox.inventory.models import MovementKind, StockLevel, StockMovement
from rebox.inventory.services import stock_level_from_ledger, stock_move
from rebox.testing import make_variant

pytestmark = pytest.mark.django_db

_skus = itertools.count()
moves = st.lists(
    st.tuples(st.sampled_from(MovementKind.values), st.integers(-5, 8)),
    max_size=25,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moves=moves)
def test_level_equals_the_ledger_and_never_goes_negative(store, moves):
    variant = make_variant(store, f"SKU-{next(_skus)}", stock=0)
    location = store.locations.get()
    for kind, quantity in moves:
        try:
            stock_move(store_id=store.pk, variant_id=variant.pk, location_id=location.pk,
                       kind=kind, quantity=quantity, actor=SYSTEM)
        except (OutOfStock, ValueError):
            pass
    level = StockLevel.objects.filter(variant=variant).first()
    on_hand, reserved = (level.on_hand, level.reserved) if level else (0, 0)
    assert (on_hand, reserved) == stock_level_from_ledger(variant_id=variant.pk,
                                                          location_id=location.pk)
    assert 0 <= reserved <= on_hand


def test_a_refused_move_writes_no_movement(store):
    variant = make_variant(store, "ONE", stock=1)
    location = store.locations.get()
    before = StockMovement.objects.count()

    with pytest.raises(OutOfStock):
        stock_move(store_id=store.pk, variant_id=variant.pk, location_id=location.pk,
                   kind=MovementKind.RESERVED, quantity=2, actor=SYSTEM)

    assert StockMovement.objects.count() == before
    assert StockLevel.objects.get(variant=variant).reserved == 0


def test_shipping_consumes_the_reservation_and_the_unit(store):
    variant = make_variant(store, "TWO", stock=2)
    location = store.locations.get()
    for kind in (MovementKind.RESERVED, MovementKind.SHIPPED):
        stock_move(store_id=store.pk, variant_id=variant.pk, location_id=location.pk,
                   kind=kind, quantity=1, actor=SYSTEM)

    level = StockLevel.objects.get(variant=variant)
    assert (level.on_hand, level.reserved, level.available) == (1, 0, 1)
