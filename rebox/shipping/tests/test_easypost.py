"""The EasyPost adapter against a local stand-in speaking EasyPost's wire format."""

from datetime import date

import pytest

from rebox.shipping.carriers import CarrierRefused, CarrierUnavailable, LabelRequest
from rebox.shipping.carriers.easypost import EasyPostCarrier
from rebox.shipping.tests.easypost_standin import EasyPostStandIn

REQUEST = LabelRequest(
    reference="rebox-ABC-1",
    return_number="ABC",
    store_name="Shop",
    method="mail_label",
    from_address={
        "name": "Ana Jensen",
        "line1": "Nørregade 1",
        "city": "København",
        "postal_code": "1165",
        "country": "DK",
    },
    to_address={
        "name": "Køge DC",
        "line1": "Lagervej 5",
        "city": "Køge",
        "postal_code": "4600",
        "country": "DK",
    },
)


@pytest.fixture
def standin():
    with EasyPostStandIn() as server:
        yield server


def carrier(standin, **kw):
    return EasyPostCarrier(api_key=standin.api_key, base_url=standin.url, **kw)


def test_buys_the_lowest_rate_and_reads_label_tracking_and_tracker(standin):
    bought = carrier(standin).buy_label(REQUEST)

    assert (bought.carrier, bought.service) == ("USPS", "GroundAdvantage")  # 5.25 beats 7.90
    assert bought.tracking_number == "9400000000000000000001"
    assert bought.tracking_url == "https://track.example/9400000000000000000001"
    assert bought.label_pdf.startswith(b"%PDF") and bought.label_url.endswith(".pdf")
    created = next(body for method, path, body in standin.requests if path == "/v2/shipments")
    assert created["shipment"]["reference"] == "rebox-ABC-1" and created["shipment"]["is_return"] is True
    assert created["shipment"]["to_address"]["street1"] == "Lagervej 5"
    assert created["shipment"]["from_address"]["zip"] == "1165"
    assert standin.purchases == 1


def test_a_second_call_with_the_same_reference_buys_nothing_more(standin):
    first = carrier(standin).buy_label(REQUEST)
    again = carrier(standin).buy_label(REQUEST)

    assert again.tracking_number == first.tracking_number and again.shipment_id == first.shipment_id
    assert standin.purchases == 1 and len(standin.shipments) == 1


def test_easyposts_error_json_becomes_a_refusal_naming_the_field(standin):
    standin.mode = "refuse"
    with pytest.raises(CarrierRefused) as refused:
        carrier(standin).buy_label(REQUEST)
    assert "SHIPMENT.INVALID_PARAMS" in str(refused.value) and "to_address.street1" in str(refused.value)
    assert refused.value.permanent


def test_a_server_error_or_a_slow_answer_is_retried_later(standin):
    standin.mode = "down"
    with pytest.raises(CarrierUnavailable):
        carrier(standin).buy_label(REQUEST)
    standin.mode, standin.delay = "ok", 1.0
    with pytest.raises(CarrierUnavailable) as slow:
        carrier(standin, timeout=0.2).buy_label(REQUEST)
    assert not slow.value.permanent


def test_a_wrong_api_key_is_refused(standin):
    with pytest.raises(CarrierRefused, match="401"):
        EasyPostCarrier(api_key="wrong", base_url=standin.url).buy_label(REQUEST)


def test_courier_pickup_books_the_chosen_day_once(standin):
    request = LabelRequest(
        **{**REQUEST.__dict__, "method": "courier_pickup", "pickup_date": date(2026, 11, 3)}
    )
    bought = carrier(standin).buy_label(request)
    again = carrier(standin).buy_label(request)

    assert bought.pickup_confirmation == again.pickup_confirmation == "WTC000001"
    (pickup,) = standin.pickups.values()
    assert pickup["min_datetime"].startswith("2026-11-03T08:00") and pickup["max_datetime"].startswith(
        "2026-11-03T18"
    )
    assert pickup["shipment"] == {"id": bought.shipment_id}
    assert standin.pickup_purchases == 1 and standin.purchases == 1
