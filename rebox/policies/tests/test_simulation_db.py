"""The simulation on the store's stored orders: one query for the lines, the result kept on
the draft, and publishing only after a simulation of the draft as it stands.

Data set (customers in the US, where no statutory return right applies, so the numbers are
the two policies' own): order A, 22 days after delivery, a tee at 20.00 and shoes at
100.00; order B, 45 days after delivery, two tees at 30.00; a cancelled order and one from
eight months ago, both left out. Version 1 gives 30 days, free; the draft 14 days with a
5.00 return shipping fee, and shoes 60 days, free.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from rebox.backoffice.tests.conftest import place_order
from rebox.core.actors import SYSTEM, Actor
from rebox.core.errors import ValidationFailed
from rebox.orders.models import Order
from rebox.policies.models import StoredPolicyVersion
from rebox.policies.selectors import simulation_lines
from rebox.policies.services import (
    SimulationRequired,
    months_before,
    policy_draft_save,
    policy_publish,
    policy_publish_simulated,
    policy_seed,
    policy_simulate,
    policy_simulation_current,
    starting_default_rule,
)
from rebox.testing import make_variant

pytestmark = pytest.mark.django_db
OWNER = Actor("staff", "owner@shop.example")
US_ADDRESS = {"name": "Ann", "line1": "1 Main St", "city": "Boston", "postal_code": "02108", "country": "US"}


def deliver(order, days_ago: int, now):
    Order.objects.filter(pk=order.pk).update(delivered_at=now - timedelta(days=days_ago),
                                             shipping_address=US_ADDRESS)


@pytest.fixture
def orders(store):
    now = timezone.now()
    make_variant(store, "SHOE-42", price_minor=10_000, category="shoes", stock=50)
    a = place_order(store, "A", placed_at=now - timedelta(days=25),
                    lines=(("TEE-S", 1, 2_000), ("SHOE-42", 1, 10_000)))
    b = place_order(store, "B", placed_at=now - timedelta(days=50), lines=(("TEE-L", 2, 3_000),))
    c = place_order(store, "C", placed_at=now - timedelta(days=10), lines=(("TEE-S", 1, 2_000),))
    d = place_order(store, "D", placed_at=now - timedelta(days=240), lines=(("TEE-S", 1, 2_000),))
    deliver(a, 22, now)
    deliver(b, 45, now)
    deliver(c, 8, now)
    deliver(d, 235, now)
    Order.objects.filter(pk=c.pk).update(status="cancelled")
    return now


@pytest.fixture
def draft(store):
    policy_seed(store=store)
    default = {**starting_default_rule(), "window_days": 14, "return_shipping_fee_minor": 500}
    shoes = {"id": "shoes", "priority": 0, "match": {"category": "shoes"}, "window_days": 60,
             "return_shipping_fee_minor": 0}
    return policy_draft_save(store=store, default_rule=default, rules=[shoes], note="14 days", actor=OWNER)


def test_the_lines_come_in_one_query_without_cancelled_or_older_orders(store, orders,
                                                                      django_assert_num_queries):
    with django_assert_num_queries(1):
        lines = list(simulation_lines(store=store, since=months_before(orders, 6)))

    assert sorted((n, line.sku, line.quantity) for n, line, _ in lines) == [
        ("A", "SHOE-42", 1), ("A", "TEE-S", 1), ("B", "TEE-L", 2)]
    shoe = next(line for _, line, _ in lines if line.sku == "SHOE-42")
    assert shoe.category_slug == "shoes" and shoe.product_handle == "p-shoe-42"
    assert shoe.unit_price_minor == 10_000 and shoe.currency == "EUR"
    facts = {n: order for n, _, order in lines}
    assert facts["A"].customer_country == "US" and facts["A"].store_timezone == "Europe/Copenhagen"
    assert facts["A"].delivered_at == orders - timedelta(days=22)


def test_the_simulation_counts_what_the_draft_changes_20_days_after_delivery(store, orders, draft):
    result = policy_simulate(store=store, draft=draft, months=6, asked_after_days=20, actor=OWNER)

    assert (result.lines, result.orders) == (3, 2)
    assert (result.returnable_before, result.returnable_after) == (3, 1)  # only the shoes stay
    assert result.changes["became_non_returnable"] == 2
    assert sorted(result.examples["became_non_returnable"]) == ["A", "B"]
    assert result.changes["window_longer"] == 1 and result.examples["window_longer"] == ["A"]
    assert result.changes["window_shorter"] == 2
    assert result.refunds_before == {"EUR": 2_000 + 10_000 + 6_000}
    assert result.refunds_after == {"EUR": 10_000}
    assert result.fees_after == {"EUR": 0}


def test_the_simulation_counts_higher_fees_10_days_after_delivery(store, orders, draft):
    result = policy_simulate(store=store, draft=draft, months=6, asked_after_days=10, actor=OWNER)

    assert (result.returnable_before, result.returnable_after) == (3, 3)
    assert result.changes["fees_higher"] == 2  # the tees: 5.00 each (a line, whatever its quantity)
    assert result.fees_before == {"EUR": 0} and result.fees_after == {"EUR": 1_000}
    assert result.refunds_after == {"EUR": 18_000 - 1_000}


def test_a_longer_look_back_takes_older_orders_in(store, orders, draft):
    assert policy_simulate(store=store, draft=draft, months=12, asked_after_days=20, actor=OWNER).lines == 4


def test_the_result_is_kept_on_the_draft_with_what_it_ran_on(store, orders, draft):
    policy_simulate(store=store, draft=draft, months=6, asked_after_days=None, actor=OWNER)

    row = StoredPolicyVersion.objects.get(pk=draft.pk)
    assert row.simulated_at is not None
    assert row.simulation["against"] == 1 and row.simulation["asked_after_days"] is None
    assert row.simulation["fingerprint"] == row.content_fingerprint()
    assert row.simulation["result"]["lines"] == 3
    assert row.simulation["by"] == "owner@shop.example"


def test_a_look_back_outside_1_to_36_months_is_a_field_error(store, draft):
    with pytest.raises(ValidationFailed) as failed:
        policy_simulate(store=store, draft=draft, months=0, asked_after_days=14, actor=OWNER)

    assert failed.value.errors[0].field == "months"


def test_publishing_needs_a_simulation_of_the_draft_as_it_stands(store, orders, draft):
    with pytest.raises(SimulationRequired):
        policy_publish_simulated(store=store, version=draft, actor=OWNER)

    policy_simulate(store=store, draft=draft, months=6, asked_after_days=14, actor=OWNER)
    edited = policy_draft_save(store=store, default_rule={**draft.default_rule, "window_days": 21},
                               rules=draft.rules, note="21 days", actor=OWNER, draft=draft)
    assert not policy_simulation_current(store=store, version=edited)
    with pytest.raises(SimulationRequired):
        policy_publish_simulated(store=store, version=edited, actor=OWNER)

    policy_simulate(store=store, draft=edited, months=6, asked_after_days=14, actor=OWNER)
    assert policy_publish_simulated(store=store, version=edited, actor=OWNER).status == "published"


def test_a_simulation_against_a_version_no_longer_in_force_must_be_run_again(store, orders, draft):
    policy_simulate(store=store, draft=draft, months=6, asked_after_days=14, actor=OWNER)
    other = policy_draft_save(store=store, default_rule=starting_default_rule(), rules=[], note="other",
                              actor=SYSTEM)
    policy_publish(store=store, version=other, actor=SYSTEM)

    draft.refresh_from_db()
    assert not policy_simulation_current(store=store, version=draft)


def test_months_before_keeps_the_day_or_the_months_last_day():
    now = timezone.now().replace(year=2026, month=8, day=31, hour=12)

    assert months_before(now, 6).date().isoformat() == "2026-02-28"
    assert months_before(now, 8).date().isoformat() == "2025-12-31"
    assert months_before(now, 12).date().isoformat() == "2025-08-31"
