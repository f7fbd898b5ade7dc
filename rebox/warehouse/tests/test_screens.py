"""The warehouse screens: scan, count, complete, inspect and dispose, by role and language."""

import pytest

from rebox.backoffice.tests.conftest import make_staff
from rebox.backoffice.tests.page import Page
from rebox.core.models import Role
from rebox.inventory.models import MovementKind, StockMovement
from rebox.returns.models import Return, ReturnUnit
from rebox.returns.tests.test_receiving import barcode, return_on_its_way

pytestmark = pytest.mark.django_db


@pytest.fixture
def hands(client, store):
    client.force_login(make_staff("hands@shop.example", (store, Role.WAREHOUSE)))
    return client


@pytest.fixture
def parcel(api, store):
    return return_on_its_way(api, store, tee=2, mug=1)


def test_a_scanned_label_opens_the_parcel_with_its_expected_lines(hands, parcel):
    found = hands.get("/warehouse/", {"code": f"rma:{parcel.number.lower()}"})
    assert found.status_code == 302 and found["Location"] == f"/warehouse/returns/{parcel.number}/"

    page = Page(hands.get(found["Location"]).content.decode())

    assert page.find(name="barcode").attrs.get("autofocus") is not None
    assert "0 / 2" in page.root.text() and "0 / 1" in page.root.text()


def test_an_unknown_number_is_said_beside_the_scan_box(hands, store):
    page = Page(hands.get("/warehouse/", {"code": "NOPE"}).content.decode())

    assert "No return with this number" in page.around("code")


def test_scanning_counts_and_exceptions_show_on_the_parcel(hands, store, parcel):
    path = f"/warehouse/returns/{parcel.number}/"

    hands.post(f"{path}scan/", {"barcode": barcode(store, "TEE")})
    hands.post(f"{path}scan/", {"barcode": "SOMETHING-ELSE"})
    page = hands.get(path).content.decode()

    assert "1 / 2" in page
    assert "Unexpected extra item" in page and "SOMETHING-ELSE" in page


def test_an_empty_scan_is_an_error_beside_the_field(hands, parcel):
    response = hands.post(f"/warehouse/returns/{parcel.number}/scan/", {"barcode": ""})

    assert response.status_code == 422
    assert "required" in Page(response.content.decode()).around("barcode")


def test_a_parcel_closed_by_its_last_scan_still_records_what_turns_up_in_the_box(api, hands, store):
    ret = return_on_its_way(api, store, tee=1, mug=0)
    api.post(f"/returns/{ret.number}/receive", {"barcode": "TEE", "complete_when_whole": True})
    path = f"/warehouse/returns/{ret.number}/"

    page = Page(hands.get(path).content.decode())
    assert page.find(name="barcode") is not None and page.find(name="why") is None
    assert "Receiving is complete" in page.root.text()
    hands.post(f"{path}scan/", {"barcode": "A-STRAY-SOCK"})

    assert "A-STRAY-SOCK" in hands.get(path).content.decode()
    assert Return.objects.get(pk=ret.pk).status == "received"
    assert ret.lines.get().quantity_received == 1


def test_completing_then_inspecting_and_restocking_a_unit_from_the_screens(hands, store, parcel):
    path = f"/warehouse/returns/{parcel.number}/"
    hands.post(f"{path}scan/", {"barcode": "MUG"})

    hands.post(f"{path}complete/", {"why": ""})
    assert Return.objects.get(pk=parcel.pk).status == "received"
    unit = ReturnUnit.objects.get(line__ret=parcel)
    unit_path = f"{path}units/{unit.pk}/"
    form = Page(hands.get(unit_path).content.decode())
    assert form.find(name="check_item_intact") is not None

    missing = hands.post(unit_path, {"step": "inspect", "grade": "B", "acceptance": "rejected"})
    assert missing.status_code == 422
    assert "say why" in Page(missing.content.decode()).around("rejection_reason")
    saved = hands.post(unit_path, {"step": "inspect", "grade": "A", "acceptance": "accepted",
                                   "check_item_intact": "on"})
    assert saved.status_code == 302
    assert Return.objects.get(pk=parcel.pk).status == "inspected"
    done = hands.post(unit_path, {"step": "dispose", "disposition": "restock", "location": "main",
                                  "value_recovered": "149.50"})
    assert done.status_code == 302

    unit.refresh_from_db()
    assert (unit.disposition, unit.value_recovered_minor) == ("restock", 14_950)
    assert StockMovement.objects.filter(kind=MovementKind.RETURNED_TO_STOCK).count() == 1


def test_an_agent_may_look_but_not_scan(client, store, parcel):
    client.force_login(make_staff("agent@shop.example", (store, Role.AGENT)))

    page = client.get(f"/warehouse/returns/{parcel.number}/")
    scanned = client.post(f"/warehouse/returns/{parcel.number}/scan/", {"barcode": "TEE"})

    assert page.status_code == 200 and b'name="barcode"' not in page.content
    assert scanned.status_code == 403
    assert not ReturnUnit.objects.exists()


def test_an_analyst_and_another_store_see_nothing(client, store, other_store, parcel):
    client.force_login(make_staff("analyst@shop.example", (store, Role.ANALYST)))
    assert client.get("/warehouse/").status_code == 403

    client.force_login(make_staff("them@other.example", (other_store, Role.WAREHOUSE)))
    assert client.get(f"/warehouse/returns/{parcel.number}/").status_code == 404
    assert client.post(f"/warehouse/returns/{parcel.number}/scan/", {"barcode": "TEE"}).status_code == 404


@pytest.mark.parametrize(("language", "words", "rtl"), [
    ("he", "קבלת החזרה", True), ("da", "Modtag en returnering", False), ("uk", "Прийняти повернення", False),
])
def test_the_screens_speak_hebrew_danish_and_ukrainian(hands, language, words, rtl):
    hands.cookies["django_language"] = language

    html = hands.get("/warehouse/", headers={"accept-language": language}).content.decode()

    assert words in html
    assert f'<html lang="{language}" dir="{"rtl" if rtl else "ltr"}">' in html


def test_the_back_office_menu_leads_to_the_warehouse(hands):
    page = Page(hands.get("/warehouse/").content.decode())

    link = page.find(href="/warehouse/")
    assert link is not None and link.attrs.get("aria-current") == "page"
