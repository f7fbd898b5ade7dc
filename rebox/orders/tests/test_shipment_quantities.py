"""Whatever sequence of partial shipments staff try, an order line never ships more than
was ordered, the order's status follows what is left, and stock stays in step."""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rebox.core.actors import SYSTEM
from rebox.core.errors import ApplicationError
from rebox.inventory.models import StockLevel
from rebox.inventory.services import stock_level_from_ledger
from rebox.orders.drafts import CustomerDraft, LineDraft, OrderDraft
from rebox.orders.services import order_create
from rebox.orders.shipments import shipment_create, shipped_quantities
from rebox.testing import make_variant

pytestmark = pytest.mark.django_db
_numbers = itertools.count()

attempts = st.lists(st.lists(st.tuples(st.integers(0, 2), st.integers(-1, 4)), min_size=1,
                             max_size=3), max_size=6)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ordered=st.lists(st.integers(1, 3), min_size=3, max_size=3), attempts=attempts)
def test_shipped_never_exceeds_ordered(store, ordered, attempts):
    n = next(_numbers)
    variants = [make_variant(store, f"Q{n}-{i}", price_minor=100, stock=5) for i in range(3)]
    order = order_create(store=store, actor=SYSTEM, draft=OrderDraft(
        currency="EUR", customer=CustomerDraft(email="q@example.com"),
        lines=[LineDraft(sku=v.sku, quantity=q, unit_price_minor=100)
               for v, q in zip(variants, ordered, strict=True)]))
    order.status = "paid"
    order.save(update_fields=["status"])
    line_ids = list(order.lines.values_list("pk", flat=True))

    for attempt in attempts:
        quantities = {line_ids[i]: q for i, q in attempt}
        try:
            shipment_create(order=order, carrier="dhl", tracking_number=f"T{n}-{id(attempt)}",
                            quantities=quantities, actor=SYSTEM)
        except ApplicationError:
            pass

    shipped = shipped_quantities(order)
    order.refresh_from_db()
    for line in order.lines.all():
        assert 0 <= shipped.get(line.pk, 0) <= line.quantity
    everything = all(shipped.get(line.pk, 0) == line.quantity for line in order.lines.all())
    assert order.status == ("shipped" if everything else "partially_shipped" if shipped else "paid")
    for variant, line in zip(variants, order.lines.all(), strict=True):
        level = StockLevel.objects.get(variant=variant)
        assert (level.on_hand, level.reserved) == stock_level_from_ledger(
            variant_id=variant.pk, location_id=level.location_id)
        assert level.on_hand == 5 - shipped.get(line.pk, 0)
        assert level.reserved == line.quantity - shipped.get(line.pk, 0)
