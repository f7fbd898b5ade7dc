"""The receiving API's prepared-statement path on PostgreSQL (`rebox.returns.receiving_pg`)
writes what the ORM services write, answers what they answer, leaves every other case to
them untouched, and stays safe when scanners and hands race."""

import pytest
from django.forms.models import model_to_dict

from rebox.api.receiving import receiving_detail
from rebox.core.errors import Conflict, ValidationFailed
from rebox.core.models import AuditEntry, OutboxEvent
from rebox.returns import receiving_pg
from rebox.returns.inspection import checklists_seed, unit_inspect
from rebox.returns.models import InspectionChecklist, ReceivingException, Return, ReturnUnit
from rebox.returns.receiving import receiving_complete, receiving_scan
from rebox.returns.tests.test_receiving import CLERK, barcode, return_on_its_way
from rebox.testing import run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

INSPECTIONS = [  # per unit, in (line, index) order: TEE 1, TEE 2, MUG 1
    {"grade": "A", "acceptance": "accepted", "checklist": {"tags_attached": True, "unworn": True}},
    {"grade": "C", "acceptance": "rejected", "rejection_reason": " stained ", "notes": " wash? "},
    {"grade": "B", "acceptance": "partly", "deduction_percent": 20, "serial_number": " SN-1 "},
]


def _trail(ret: Return, since: int) -> dict:
    """Everything receiving and inspection wrote for ``ret``, ids replaced by positions."""
    lines = list(ret.lines.order_by("pk"))
    units = list(ReturnUnit.objects.filter(line__ret=ret).order_by("line_id", "index"))
    names = {"line": {line.pk: f"line{n}" for n, line in enumerate(lines)},
             "unit": {unit.pk: f"unit{n}" for n, unit in enumerate(units)}}

    def plain(data: dict) -> dict:
        return {k: names[k].get(v, v) if k in names else ("N" if k == "number" else v)
                for k, v in data.items()}

    return {
        "return": Return.objects.filter(pk=ret.pk).values("status").get(),
        "lines": [{k: getattr(line, k) for k in ("quantity_received", "reception", "acceptance")}
                  for line in lines],
        "units": [{**{k: v for k, v in model_to_dict(u).items() if k not in ("id", "line", "inspected_at")},
                   "line": names["line"][u.line_id], "inspected": u.inspected_at is not None}
                  for u in units],
        "exceptions": list(ReceivingException.objects.filter(ret=ret).values("kind", "quantity", "note")),
        "audit": [(e.action, e.actor_type, e.actor_label, e.why, plain(e.details)) for e in
                  AuditEntry.objects.filter(subject_type="return", subject_id=ret.pk, pk__gt=since)
                  .order_by("at", "id")],
        "outbox": [(e.topic, plain(e.payload)) for e in
                   OutboxEvent.objects.filter(subject_id=ret.pk, subject_type="return",
                                              topic__in=["return.received", "return.unit_inspected",
                                                         "return.inspected"]).order_by("created_at")],
    }


def _last_audit() -> int:
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_the_fast_path_writes_what_the_services_write(api, store):
    by_orm = return_on_its_way(api, store, number="R1")
    by_sql = return_on_its_way(api, store, number="R2")

    since_orm = _last_audit()
    for code in (" tee", barcode(store, "TEE"), "Mug"):
        receiving_scan(store=store, ret=by_orm, barcode=code, actor=CLERK)
    receiving_complete(store=store, ret=by_orm, actor=CLERK)
    for unit, fields in zip(ReturnUnit.objects.filter(line__ret=by_orm).select_related(
            "line__order_line__variant__product", "line__ret").order_by("line_id", "index"), INSPECTIONS,
            strict=True):
        unit_inspect(store=store, unit=unit, actor=CLERK, **fields)

    since_sql = _last_audit()
    for code in (" tee", barcode(store, "TEE"), "Mug"):
        assert receiving_pg.scan_count(store=store, code=by_sql.number, barcode=code, actor=CLERK)
    assert receiving_pg.complete_whole(store=store, code=by_sql.number, actor=CLERK) == by_sql.pk
    for unit, fields in zip(ReturnUnit.objects.filter(line__ret=by_sql).order_by("line_id", "index"),
                            INSPECTIONS, strict=True):
        assert receiving_pg.inspect_unit(store=store, code=by_sql.number, unit_id=unit.pk, actor=CLERK,
                                         **fields) == by_sql.pk

    orm, sql = _trail(by_orm, since_orm), _trail(by_sql, since_sql)
    assert sql["return"] == {"status": "inspected"}
    assert [line["acceptance"] for line in sql["lines"]] == ["partly", "partly"]
    assert len(sql["audit"]) == 3 + 1 + 3 + 1 and len(sql["outbox"]) == 1 + 3 + 1
    assert sql == orm


def test_the_answer_is_the_services_answer(api, store):
    ret = return_on_its_way(api, store, tee=2, mug=1)
    api.post(f"/returns/{ret.number}/receive", {"barcode": "TEE"})
    api.post(f"/returns/{ret.number}/receive", {"barcode": "NOT-OURS"})  # an exception, with its time
    api.post(f"/returns/{ret.number}/receiving/complete", {})  # MUG short
    unit = ReturnUnit.objects.get(line__ret=ret)
    api.post(f"/returns/{ret.number}/units/{unit.pk}/inspect",
             {"grade": "B", "acceptance": "accepted", "checklist": {"unworn": True}})

    answer = receiving_pg.receiving_read(ret.pk, {"counted": 1})

    assert answer == receiving_detail(ret, {"counted": 1})
    assert [e["kind"] for e in answer["exceptions"]] == ["unexpected", "short", "short"]
    assert answer["lines"][0]["units"][0]["checklist"]["unworn"] is True


@pytest.mark.parametrize("code", ["MUG", "NOT-OURS", "TEE"])
def test_a_scan_that_is_not_simply_counted_is_left_to_the_services_with_nothing_written(api, store, code):
    ret = return_on_its_way(api, store, tee=1, mug=0)
    if code == "TEE":  # the one TEE announced is in already: one more is unexpected
        receiving_scan(store=store, ret=ret, barcode="TEE", actor=CLERK)
    written = (ReturnUnit.objects.count(), ReceivingException.objects.count(), AuditEntry.objects.count())

    assert receiving_pg.scan_count(store=store, code=ret.number, barcode=code, actor=CLERK) is None
    assert (ReturnUnit.objects.count(), ReceivingException.objects.count(),
            AuditEntry.objects.count()) == written


def test_returns_not_receivable_or_not_found_are_left_to_the_services(api, store, other_store):
    ret = return_on_its_way(api, store, tee=1, mug=0)
    receiving_scan(store=store, ret=ret, barcode="TEE", actor=CLERK)

    assert receiving_pg.scan_count(store=other_store, code=ret.number, barcode="TEE", actor=CLERK) is None
    assert receiving_pg.complete_whole(store=other_store, code=ret.number, actor=CLERK) is None
    receiving_complete(store=store, ret=ret, actor=CLERK)
    assert receiving_pg.scan_count(store=store, code=ret.number, barcode="TEE", actor=CLERK) is None
    assert receiving_pg.complete_whole(store=store, code=ret.number, actor=CLERK) is None
    unit = ReturnUnit.objects.get(line__ret=ret)
    assert receiving_pg.inspect_unit(store=other_store, code=ret.number, unit_id=unit.pk, grade="A",
                                     acceptance="accepted", actor=CLERK) is None
    assert receiving_pg.inspect_unit(store=store, code=ret.number, unit_id=unit.pk + 1000, grade="A",
                                     acceptance="accepted", actor=CLERK) is None


def test_a_short_parcel_and_a_store_without_checklists_go_to_the_services(api, store):
    ret = return_on_its_way(api, store, tee=2, mug=0)
    receiving_scan(store=store, ret=ret, barcode="TEE", actor=CLERK)

    assert receiving_pg.complete_whole(store=store, code=ret.number, actor=CLERK) is None
    assert Return.objects.get(pk=ret.pk).status == "in_transit"
    receiving_complete(store=store, ret=ret, actor=CLERK)
    InspectionChecklist.objects.filter(store=store).delete()
    unit = ReturnUnit.objects.get(line__ret=ret)
    assert receiving_pg.inspect_unit(store=store, code=ret.number, unit_id=unit.pk, grade="A",
                                     acceptance="accepted", actor=CLERK) is None
    assert ReturnUnit.objects.get(pk=unit.pk).inspected_at is None


def test_a_drop_off_completes_through_in_transit(api, store):
    ret = return_on_its_way(api, store, tee=1, mug=0, in_transit=False)
    assert receiving_pg.scan_count(store=store, code=ret.number, barcode="TEE", actor=CLERK)

    receiving_pg.complete_whole(store=store, code=ret.number, actor=CLERK, why="desk")

    trail = AuditEntry.objects.filter(subject_type="return", subject_id=ret.pk).order_by("at", "id")
    assert [(e.action, e.why) for e in trail][-2:] == [
        ("return.in_transit", "handed in at the warehouse without a carrier scan (drop-off)"),
        ("return.received", "desk")]


def test_bad_inspections_and_early_ones_write_nothing(api, store):
    ret = return_on_its_way(api, store, tee=1, mug=0)
    receiving_pg.scan_count(store=store, code=ret.number, barcode="TEE", actor=CLERK)
    receiving_complete(store=store, ret=ret, actor=CLERK)
    checklists_seed(store=store)
    unit = ReturnUnit.objects.get(line__ret=ret)

    with pytest.raises(ValidationFailed) as bad:
        receiving_pg.inspect_unit(store=store, code=ret.number, unit_id=unit.pk, grade="B",
                                  acceptance="partly", checklist={"nope": True}, actor=CLERK)
    assert [e.field for e in bad.value.errors] == ["deduction_percent", "checklist"]
    receiving_pg.inspect_unit(store=store, code=ret.number, unit_id=unit.pk, grade="A",
                              acceptance="accepted", actor=CLERK)
    with pytest.raises(Conflict, match="is inspected; units are inspected once it is received"):
        receiving_pg.inspect_unit(store=store, code=ret.number, unit_id=unit.pk, grade="B",
                                  acceptance="accepted", actor=CLERK)
    assert ReturnUnit.objects.get(pk=unit.pk).grade == "A"


# --- races, through the API as scanners send them ------------------------------------

def _post(api, path, body):
    def run():
        return api.post(path, body).status_code
    return run


@pytest.mark.django_db(transaction=True)
def test_four_scanners_on_a_parcel_of_two_count_two_units_and_two_extra_items(api, store):
    ret = return_on_its_way(api, store, tee=2, mug=0)

    statuses = run_at_once([_post(api, f"/returns/{ret.number}/receive", {"barcode": "TEE"})] * 4)

    line = ret.lines.get()
    assert statuses == [200] * 4
    assert line.quantity_received == 2
    assert sorted(ReturnUnit.objects.filter(line=line).values_list("index", flat=True)) == [1, 2]
    assert ReceivingException.objects.filter(ret=ret, kind="unexpected").count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_scan_racing_completion_is_counted_before_it_or_refused_after_it(api, store):
    for n in range(3):
        ret = return_on_its_way(api, store, tee=2, mug=0, number=f"RACE{n}")
        api.post(f"/returns/{ret.number}/receive", {"barcode": "TEE"})

        scan, done = run_at_once([_post(api, f"/returns/{ret.number}/receive", {"barcode": "TEE"}),
                                  _post(api, f"/returns/{ret.number}/receiving/complete", {})])

        line = ret.lines.get()
        short = ReceivingException.objects.filter(ret=ret, kind="short")
        assert done == 200 and Return.objects.get(pk=ret.pk).status == "received"
        assert ReturnUnit.objects.filter(line=line).count() == line.quantity_received
        if scan == 200:  # counted before completion: nothing is short
            assert line.quantity_received == 2 and not short.exists()
        else:  # refused once received: the missing unit is short
            assert scan == 409 and line.quantity_received == 1 and short.get().quantity == 1


@pytest.mark.django_db(transaction=True)
def test_two_hands_inspecting_the_last_units_at_once_move_the_return_once(api, store):
    ret = return_on_its_way(api, store, tee=2, mug=0)
    api.post(f"/returns/{ret.number}/receive", {"barcode": "TEE", "quantity": 2})
    api.post(f"/returns/{ret.number}/receiving/complete", {})
    first, second = ReturnUnit.objects.filter(line__ret=ret).order_by("index")
    body = {"grade": "A", "acceptance": "accepted"}

    statuses = run_at_once([_post(api, f"/returns/{ret.number}/units/{u.pk}/inspect", body)
                            for u in (first, second)])

    assert statuses == [200, 200]
    assert all(u.inspected_at for u in ReturnUnit.objects.filter(line__ret=ret))
    # (after commit, the refunds step may resolve the return at once: it is past "received")
    assert Return.objects.get(pk=ret.pk).status != "received"
    assert AuditEntry.objects.filter(subject_id=ret.pk, action="return.inspected").count() == 1
    assert ret.lines.get().acceptance == "accepted"


def test_the_counted_answer_through_the_api(api, store):
    ret = return_on_its_way(api, store, tee=2, mug=0)

    body = api.post(f"/returns/{ret.number}/receive", {"barcode": "TEE", "quantity": 3}).json()

    assert body["scan"] == {"counted": 2, "wrong_item": 0, "unexpected": 1,
                            "message": "one more TEE than the 2 announced"}
    assert [u["index"] for u in body["lines"][0]["units"]] == [1, 2]


# --- a scan that completes the parcel when it is whole --------------------------------

def test_completing_on_the_last_scan_writes_what_the_services_write(api, store):
    by_orm = return_on_its_way(api, store, number="R1", in_transit=False)  # drop-off: via in_transit
    by_sql = return_on_its_way(api, store, number="R2", in_transit=False)

    since_orm = _last_audit()
    for code in (" tee", barcode(store, "TEE"), "Mug"):
        receiving_scan(store=store, ret=by_orm, barcode=code, actor=CLERK, complete_when_whole=True)
    since_sql = _last_audit()
    for code in (" tee", barcode(store, "TEE"), "Mug"):
        assert receiving_pg.scan_count(store=store, code=by_sql.number, barcode=code, actor=CLERK,
                                       complete_when_whole=True)

    orm, sql = _trail(by_orm, since_orm), _trail(by_sql, since_sql)
    assert sql["return"] == {"status": "received"}
    assert [a[0] for a in sql["audit"]][-2:] == ["return.in_transit", "return.received"]
    assert sql == orm


@pytest.mark.django_db(transaction=True)
def test_two_scanners_bringing_in_the_last_two_lines_at_once_close_the_parcel_once(api, store):
    for n in range(4):
        ret = return_on_its_way(api, store, tee=1, mug=1, number=f"LAST{n}")

        statuses = run_at_once([
            _post(api, f"/returns/{ret.number}/receive", {"barcode": code, "complete_when_whole": True})
            for code in ("TEE", "MUG")])

        assert statuses == [200, 200]
        assert Return.objects.get(pk=ret.pk).status == "received"
        assert AuditEntry.objects.filter(subject_id=ret.pk, action="return.received").count() == 1
        assert not ReceivingException.objects.filter(ret=ret).exists()


def test_the_answer_of_the_last_scan_says_the_parcel_is_received(api, store):
    ret = return_on_its_way(api, store, tee=2, mug=0)

    first = api.post(f"/returns/{ret.number}/receive", {"barcode": "TEE", "complete_when_whole": True})
    last = api.post(f"/returns/{ret.number}/receive", {"barcode": "TEE", "complete_when_whole": True})
    extra = api.post(f"/returns/{ret.number}/receive", {"barcode": "TEE", "complete_when_whole": True})

    assert (first.json()["status"], last.json()["status"], extra.json()["status"]) == \
        ("in_transit", "received", "received")
    assert extra.json()["scan"]["unexpected"] == 1
    assert [e["kind"] for e in extra.json()["exceptions"]] == ["unexpected"]
