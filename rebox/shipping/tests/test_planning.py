"""An approved return becomes parcels, one per destination, each with its label or QR code."""

import io
from urllib.parse import urlparse

import pytest
from pypdf import PdfReader

from rebox.core.models import AuditEntry, OutboxEvent
from rebox.core.outbox import handlers_for
from rebox.shipping.handlers import plan_parcels
from rebox.shipping.models import Parcel
from rebox.shipping.selectors import label_pdf, parcels_for_return
from rebox.shipping.services import parcels_plan
from rebox.shipping.tests.conftest import approve, dropship_order, request_return

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_shipping_app_listens_to_approved_returns():
    assert plan_parcels in handlers_for("return.approved")


def test_lines_for_two_destinations_get_two_parcels_with_builtin_labels(
    world, api, django_capture_on_commit_callbacks
):
    number = request_return(api, "R1", (world["lines"]["TEE"], 2), (world["lines"]["MUG"], 1))
    ret = approve(api, number, django_capture_on_commit_callbacks)

    views = parcels_for_return(ret)
    assert [(v.destination_name, v.destination_kind, v.label_status, v.status) for v in views] == [
        ("Køge DC", "warehouse", "ready", "created"),
        ("HQ", "store", "ready", "created"),
    ]
    assert all(
        v.label_url.startswith("http") and v.qr_url == "" and v.tracking_number.startswith("RBX")
        for v in views
    )
    tee_parcel = Parcel.objects.get(pk=views[0].id)
    assert [(pl.line.order_line.sku, pl.quantity) for pl in tee_parcel.lines.all()] == [("TEE", 2)]
    assert OutboxEvent.objects.filter(topic="parcel.label_ready", payload__number=number).count() == 2
    assert AuditEntry.objects.filter(subject_id=ret.pk, action="parcel.planned").count() == 2


def test_the_label_pdf_has_the_return_number_addresses_and_lines(
    world, api, client, django_capture_on_commit_callbacks
):
    number = request_return(api, "R1", (world["lines"]["TEE"], 2))
    ret = approve(api, number, django_capture_on_commit_callbacks)
    view = parcels_for_return(ret)[0]

    response = client.get(urlparse(view.label_url).path)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(response.streaming_content))
    assert f"RETURN {number}" in text
    assert "Lagervej 5" in text and "4600 Køge" in text  # to: the warehouse
    assert "Nørregade 1" in text and "Ana Jensen" in text  # from: the customer
    assert "2 × TEE" in text and view.tracking_number in text
    assert label_pdf(ret=ret, parcel_id=view.id) == b"".join(
        client.get(urlparse(view.label_url).path).streaming_content)  # the bytes emails attach


def test_the_label_barcode_encodes_the_return_number():
    from rebox.shipping.carriers import LabelRequest
    from rebox.shipping.pdf import label_pdf

    request = LabelRequest(
        reference="r",
        return_number="AB12CD34EF",
        store_name="Shop",
        method="mail_label",
        from_address={"line1": "a"},
        to_address={"line1": "b"},
    )
    pdf = label_pdf(request, tracking_number="T1", carrier_name="Rebox")
    # once as "RETURN ..." and once printed under the Code128 bars by the barcode itself
    assert pdf_text(pdf).count("AB12CD34EF") == 2
    assert b"/Subtype /Image" in pdf  # the QR code


def test_a_dropship_line_goes_to_its_supplier_in_its_own_parcel(
    world, api, store, django_capture_on_commit_callbacks
):
    lines = dropship_order(api, store)
    number = request_return(api, "D1", (lines["TEE"], 1), (lines["LAMP"], 1))
    ret = approve(api, number, django_capture_on_commit_callbacks)

    supplier_parcel = Parcel.objects.get(ret=ret, supplier=world["acme"])
    assert supplier_parcel.destination_address["line1"] == "Fabriksvej 9"
    assert supplier_parcel.supplier_decision == "pending"
    assert [pl.line.order_line.sku for pl in supplier_parcel.lines.all()] == ["LAMP"]
    routed = OutboxEvent.objects.get(topic="supplier.return_routed")
    assert routed.payload["supplier"] == "acme" and routed.payload["parcel_id"] == supplier_parcel.pk
    assert routed.payload["decision_url"].startswith("http") and routed.payload["number"] == number
    assert Parcel.objects.filter(ret=ret).count() == 2


def test_drop_off_returns_get_a_qr_code_not_a_label(world, api, client, django_capture_on_commit_callbacks):
    number = request_return(api, "R1", (world["lines"]["TEE"], 1), method="drop_off")
    ret = approve(api, number, django_capture_on_commit_callbacks)

    (view,) = parcels_for_return(ret)
    assert view.label_url == "" and view.qr_url and view.label_status == "ready"
    text = pdf_text(b"".join(client.get(urlparse(view.qr_url).path).streaming_content))
    assert f"RETURN {number}" in text and "Lagervej 5" in text


def test_planning_twice_makes_no_second_set_of_parcels(world, api, django_capture_on_commit_callbacks):
    number = request_return(api, "R1", (world["lines"]["TEE"], 1))
    ret = approve(api, number, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        again = parcels_plan(ret=ret)
    assert [p.pk for p in again] == list(Parcel.objects.filter(ret=ret).values_list("pk", flat=True))
    assert Parcel.objects.filter(ret=ret).count() == 1


def test_a_forged_label_link_gets_the_neutral_page(client):
    response = client.get("/shipping/labels/forged-token.pdf")
    assert response.status_code == 404 and b"not valid" in response.content
