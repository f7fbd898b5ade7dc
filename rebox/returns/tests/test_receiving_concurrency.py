"""Two scanners on one parcel, two hands disposing of one unit: on PostgreSQL, for real."""

import pytest

from rebox.core.actors import Actor
from rebox.core.errors import Conflict
from rebox.inventory.models import MovementKind, StockMovement
from rebox.returns.inspection import unit_dispose, unit_inspect
from rebox.returns.models import ReceivingException, ReturnUnit
from rebox.returns.receiving import receiving_complete, receiving_scan
from rebox.returns.tests.test_receiving import CLERK, return_on_its_way
from rebox.testing import run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _attempt(call):
    def run():
        try:
            return call()
        except Conflict as error:
            return error

    return run


def test_two_scanners_on_one_parcel_count_each_unit_once_and_never_past_what_was_scanned(api, store):
    ret = return_on_its_way(api, store, tee=2, mug=0)
    scanners = [Actor("staff", f"scanner-{n}") for n in range(4)]

    outcomes = run_at_once([lambda a=actor: receiving_scan(store=store, ret=ret, barcode="TEE", actor=a)
                            for actor in scanners])

    line = ret.lines.get()
    assert sorted(o.kind for o in outcomes) == ["counted", "counted", "unexpected", "unexpected"]
    assert line.quantity_received == 2
    assert sorted(ReturnUnit.objects.filter(line=line).values_list("index", flat=True)) == [1, 2]
    assert ReceivingException.objects.filter(ret=ret, kind="unexpected").count() == 2


def test_two_concurrent_dispositions_of_one_unit_make_one_stock_movement(api, store):
    ret = return_on_its_way(api, store, tee=1, mug=0)
    receiving_scan(store=store, ret=ret, barcode="TEE", actor=CLERK)
    receiving_complete(store=store, ret=ret, actor=CLERK)
    unit = ReturnUnit.objects.select_related("line__order_line", "line__ret").get(line__ret=ret)
    unit_inspect(store=store, unit=unit, grade="A", acceptance="accepted", actor=CLERK)

    hands = (Actor("staff", "left"), Actor("staff", "right"))

    results = run_at_once([_attempt(lambda a=actor: unit_dispose(store=store, unit=unit,
                                                                 disposition="restock", actor=a))
                           for actor in hands])

    assert sum(isinstance(r, Conflict) for r in results) == 1
    assert StockMovement.objects.filter(kind=MovementKind.RETURNED_TO_STOCK).count() == 1
    assert ReturnUnit.objects.get(pk=unit.pk).disposition == "restock"
