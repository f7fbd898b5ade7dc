"""Inspection and disposition of received units: checklists, grades, acceptance,
mismatches with the claimed reason, and where each unit goes (stock follows)."""

import pytest

from rebox.catalog.models import Category
from rebox.core.errors import Conflict, ValidationFailed
from rebox.core.models import AuditEntry, OutboxEvent
from rebox.inventory.models import Location, MovementKind, StockLevel, StockMovement
from rebox.returns.inspection import (
    checklist_for,
    line_acceptance,
    reason_mismatch,
    unit_dispose,
    unit_inspect,
)
from rebox.returns.models import InspectionChecklist, Return, ReturnUnit
from rebox.returns.receiving import receiving_complete
from rebox.returns.tests.test_receiving import CLERK, return_on_its_way, scan

pytestmark = pytest.mark.django_db


def received(api, store, *, scans=("TEE", "TEE", "MUG"), **options) -> Return:
    ret = return_on_its_way(api, store, **options)
    for code in scans:
        scan(store, ret, code)
    return receiving_complete(store=store, ret=ret, actor=CLERK)


def units(ret, sku=None):
    qs = ReturnUnit.objects.filter(line__ret=ret).select_related("line__order_line", "line__ret")
    return list(qs.filter(line__order_line__sku=sku) if sku else qs)


def inspect(store, unit, **fields):
    fields.setdefault("grade", "A")
    fields.setdefault("acceptance", "accepted")
    return unit_inspect(store=store, unit=unit, actor=CLERK, **fields)


# --- checklists ---------------------------------------------------------------------

def test_checklists_are_seeded_per_kind_of_category_with_the_store_default_as_fallback(api, store):
    ret = received(api, store)  # TEE sold in "tops", MUG in "home"

    tee = checklist_for(store=store, line=ret.lines.get(order_line__sku="TEE"))
    mug = checklist_for(store=store, line=ret.lines.get(order_line__sku="MUG"))

    assert {i["code"] for i in tee} == {"tags_attached", "unworn", "no_stains"}
    assert {i["code"] for i in mug} == {"item_intact", "packaging_present", "accessories_complete"}
    assert all(set(i["labels"]) == {"en", "he", "da", "uk"} for i in tee + mug)


def test_shoes_and_electronics_get_their_own_lists(store):
    Category.objects.create(store=store, slug="shoes", name="Shoes")
    Category.objects.create(store=store, slug="electronics", name="Electronics")
    from rebox.returns.inspection import checklists_seed

    checklists_seed(store=store)

    lists = {row.category.slug if row.category else None: {i["code"] for i in row.items}
             for row in InspectionChecklist.objects.filter(store=store).select_related("category")}
    assert {"soles_clean", "box_present"} <= lists["shoes"]
    assert {"powers_on", "serial_matches"} <= lists["electronics"]
    assert None in lists


def test_a_store_edited_checklist_is_used_as_it_is(api, store):
    ret = received(api, store)
    tops = Category.objects.get(store=store, slug="tops")
    InspectionChecklist.objects.create(store=store, category=tops,
                                       items=[{"code": "smells_fine", "labels": {"en": "Smells fine"}}])

    items = checklist_for(store=store, line=ret.lines.get(order_line__sku="TEE"))

    assert [i["code"] for i in items] == ["smells_fine"]


# --- inspection ---------------------------------------------------------------------

def test_inspecting_records_grade_checklist_notes_and_who(api, store):
    ret = received(api, store)
    unit = units(ret, "TEE")[0]

    done = inspect(store, unit, grade="B", checklist={"tags_attached": True}, notes="  tag loose ",
                   serial_number="SN-1")

    assert (done.grade, done.acceptance) == ("B", "accepted")
    assert (done.notes, done.serial_number) == ("tag loose", "SN-1")
    assert done.checklist == {"no_stains": False, "tags_attached": True, "unworn": False}
    assert done.inspected_by == CLERK.label and done.inspected_at is not None
    assert OutboxEvent.objects.filter(topic="return.unit_inspected", subject_id=ret.pk).count() == 1


@pytest.mark.parametrize(("fields", "field"), [
    ({"grade": "E"}, "grade"),
    ({"acceptance": "pending"}, "acceptance"),
    ({"acceptance": "rejected", "rejection_reason": " "}, "rejection_reason"),
    ({"acceptance": "partly"}, "deduction_percent"),
    ({"acceptance": "partly", "deduction_percent": 100}, "deduction_percent"),
    ({"acceptance": "partly", "deduction_percent": 0}, "deduction_percent"),
    ({"checklist": {"powers_on": True}}, "checklist"),
])
def test_bad_inspections_name_the_field_and_write_nothing(api, store, fields, field):
    ret = received(api, store)
    unit = units(ret, "TEE")[0]

    with pytest.raises(ValidationFailed) as caught:
        inspect(store, unit, **fields)

    assert [e.field for e in caught.value.errors] == [field]
    assert ReturnUnit.objects.get(pk=unit.pk).inspected_at is None


def test_the_last_unit_settles_each_line_and_moves_the_return_to_inspected(api, store):
    ret = received(api, store)
    tee_1, tee_2 = units(ret, "TEE")
    (mug,) = units(ret, "MUG")

    inspect(store, tee_1)
    inspect(store, tee_2, grade="C", acceptance="partly", deduction_percent=30)
    assert Return.objects.get(pk=ret.pk).status == "received"
    inspect(store, mug, grade="D", acceptance="rejected", rejection_reason="arrived broken in pieces")

    ret.refresh_from_db()
    assert ret.status == "inspected"
    acceptance = dict(ret.lines.values_list("order_line__sku", "acceptance"))
    assert acceptance == {"TEE": "partly", "MUG": "rejected"}
    entry = AuditEntry.objects.get(action="return.inspected", subject_id=ret.pk)
    assert "1 accepted, 1 rejected, 1 partly accepted" in entry.why


def test_a_short_line_keeps_its_acceptance_pending_for_the_agent(api, store):
    ret = received(api, store, scans=("TEE",))

    inspect(store, units(ret)[0])

    ret.refresh_from_db()
    assert ret.status == "inspected"
    acceptance = dict(ret.lines.values_list("order_line__sku", "acceptance"))
    assert acceptance == {"TEE": "accepted", "MUG": "pending"}


def test_units_are_not_inspected_before_the_parcel_is_received_or_after_the_return_is_inspected(api, store):
    ret = received(api, store, scans=("MUG",))
    (unit,) = units(ret)
    inspect(store, unit)

    with pytest.raises(Conflict, match="inspected"):
        inspect(store, unit, grade="B")


@pytest.mark.parametrize(("reason", "basis", "grade", "checklist", "flagged"), [
    ("defective", "defect", "A", {}, True),
    ("defective", "defect", "B", {"powers_on": True, "serial_matches": True}, True),
    ("defective", "defect", "B", {"powers_on": True, "serial_matches": False}, False),
    ("defective", "defect", "C", {"powers_on": False}, False),
    ("stopped_working", "defect", "A", {}, True),
    ("arrived_late", "defect", "A", {}, False),
    ("changed_mind", "change_of_mind", "A", {"powers_on": True}, False),
    ("wrong_item", "defect", "C", {}, True),
])
def test_a_reason_contradicted_by_the_condition_found_is_flagged(reason, basis, grade, checklist, flagged):
    sentence = reason_mismatch(reason_code=reason, basis=basis, grade=grade, checklist=checklist, sku="TV-1")

    assert bool(sentence) is flagged
    if flagged:
        assert sentence.endswith(".") and ("TV-1" in sentence or reason in sentence)


def test_a_defective_claim_on_a_unit_graded_as_new_is_flagged_for_the_agent(api, store):
    ret = received(api, store, reason="defective", tee=0, mug=1, scans=("MUG",))

    unit = inspect(store, units(ret)[0], grade="A", checklist={"item_intact": True})

    assert "defect" in unit.mismatch and "graded A" in unit.mismatch


@pytest.mark.parametrize(("acceptances", "line"), [
    (["accepted", "accepted"], "accepted"), (["rejected"], "rejected"),
    (["accepted", "rejected"], "partly"), (["partly"], "partly"), ([], "pending"),
])
def test_a_lines_acceptance_follows_its_units(acceptances, line):
    assert line_acceptance(acceptances) == line


# --- disposition --------------------------------------------------------------------

def inspected_unit(api, store, **fields):
    ret = received(api, store, scans=("TEE",), tee=1, mug=0)
    return inspect(store, units(ret)[0], **fields)


def on_hand(store, sku="TEE", code="main"):
    level = StockLevel.objects.filter(variant__sku=sku, variant__store=store, location__code=code).first()
    return level.on_hand if level else 0


def test_restocking_puts_the_unit_back_as_sellable_stock_once(api, store):
    unit = inspected_unit(api, store)
    before = on_hand(store)

    done = unit_dispose(store=store, unit=unit, disposition="restock", actor=CLERK,
                        value_recovered_minor=18_000)

    assert on_hand(store) == before + 1
    move = StockMovement.objects.get(kind=MovementKind.RETURNED_TO_STOCK)
    assert (move.on_hand_delta, move.order_line_id) == (1, unit.line.order_line_id)
    assert (done.disposition, done.location.code, done.value_recovered_minor) == ("restock", "main", 18_000)
    with pytest.raises(Conflict, match="already went to restock"):
        unit_dispose(store=store, unit=unit, disposition="restock", actor=CLERK)
    assert StockMovement.objects.filter(kind=MovementKind.RETURNED_TO_STOCK).count() == 1
    assert AuditEntry.objects.filter(action="return.unit_disposed").count() == 1
    assert OutboxEvent.objects.filter(topic="return.unit_disposed").count() == 1


def test_restocking_to_a_named_location_of_the_store(api, store, other_store):
    Location.objects.create(store=store, code="shop-2", name="Shop 2")
    unit = inspected_unit(api, store)

    with pytest.raises(ValidationFailed):
        unit_dispose(store=store, unit=unit, disposition="restock", actor=CLERK,
                     location=Location.objects.get(store=other_store))
    unit_dispose(store=store, unit=unit, disposition="restock", actor=CLERK, location="shop-2")

    assert on_hand(store, code="shop-2") == 1


@pytest.mark.parametrize("disposition", ["refurbish", "repair", "return_to_supplier", "liquidate",
                                         "donate", "recycle", "dispose"])
def test_other_dispositions_record_the_value_recovered_and_leave_stock_alone(api, store, disposition):
    unit = inspected_unit(api, store, grade="D")
    movements = StockMovement.objects.count()

    done = unit_dispose(store=store, unit=unit, disposition=disposition, actor=CLERK,
                        value_recovered_minor=500, why="buyer found")

    assert (done.disposition, done.value_recovered_minor, done.disposed_by) == (disposition, 500, CLERK.label)
    assert StockMovement.objects.count() == movements
    assert AuditEntry.objects.get(action="return.unit_disposed").why == "buyer found"


def test_a_unit_not_yet_inspected_has_no_disposition(api, store):
    ret = received(api, store)

    with pytest.raises(Conflict, match="not inspected"):
        unit_dispose(store=store, unit=units(ret)[0], disposition="recycle", actor=CLERK)


@pytest.mark.parametrize(("fields", "field"), [
    ({"disposition": "sell_on_ebay"}, "disposition"),
    ({"disposition": "donate", "value_recovered_minor": -1}, "value_recovered_minor"),
    ({"disposition": "restock", "location": "nowhere"}, "location"),
])
def test_bad_dispositions_name_the_field(api, store, fields, field):
    unit = inspected_unit(api, store)

    with pytest.raises(ValidationFailed) as caught:
        unit_dispose(store=store, unit=unit, actor=CLERK, **fields)

    assert [e.field for e in caught.value.errors] == [field]
    assert not ReturnUnit.objects.get(pk=unit.pk).disposition

