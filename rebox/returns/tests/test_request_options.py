"""return_request_create's options through POST /api/v1/returns: exchange, pickup, gift."""

import pytest

from rebox.core.actors import Actor
from rebox.core.models import OutboxEvent
from rebox.orders.models import Order
from rebox.returns.models import Return
from rebox.returns.services import RequestedLine, pickup_dates, return_request_create
from rebox.returns.tests.helpers import delivered_order, return_body
from rebox.testing import make_variant

pytestmark = pytest.mark.django_db


def test_an_exchange_variant_of_another_product_is_refused(api, store):
    lines = delivered_order(api, store)
    mug = make_variant(store, "MUG-2", price_minor=15_000)  # a product of its own
    body = return_body("R1", (lines["TEE"], 1), resolution="exchange")
    body["lines"][0]["exchange_variant_id"] = mug.pk

    response = api.post("/returns", body)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "lines[0].exchange_variant_id"
    assert Return.objects.count() == 0


def test_a_pickup_date_must_be_a_coming_working_day(api, store):
    lines = delivered_order(api, store)
    body = return_body("R1", (lines["TEE"], 1), method="courier_pickup")
    body["pickup_date"] = "2001-01-06"

    response = api.post("/returns", body)

    assert response.status_code == 422
    assert "pickup_date" in {e["field"] for e in response.json()["errors"]}
    assert all(day.weekday() < 5 for day in pickup_dates(store))


def test_a_wrong_gift_code_is_refused_and_the_right_one_makes_a_gift_return(api, store):
    lines = delivered_order(api, store)
    Order.objects.filter(store=store, number="R1").update(gift_receipt_code="7K2QX9")
    wrong = {**return_body("R1", (lines["TEE"], 1), resolution="exchange"), "gift_code": "AAAA"}
    assert api.post("/returns", wrong).status_code == 422

    refund = {**return_body("R1", (lines["TEE"], 1), resolution="refund"), "gift_code": "7k2qx9"}
    assert api.post("/returns", refund).status_code == 422  # a gift recipient gets no refund
    store.gift_returns_notify_buyer = False
    store.save()
    credit = {**return_body("R1", (lines["TEE"], 1), resolution="exchange"), "gift_code": "7k2qx9"}
    assert api.post("/returns", credit).status_code == 201
    assert Return.objects.get().gift is True
    assert not OutboxEvent.objects.filter(topic="return.gift_buyer_notice").exists()  # store said no


def test_a_withdrawal_is_published_with_its_declaration_time(api, store):
    lines = delivered_order(api, store)
    order = Order.objects.get(store=store, number="R1")

    ret = return_request_create(store=store, order=order, resolution="refund", method="mail_label",
                                actor=Actor.customer(order.email), channel="withdrawal", withdrawal=True,
                                lines=[RequestedLine(lines["TEE"], 2, "changed_mind")])

    payload = OutboxEvent.objects.get(topic="return.requested", subject_id=ret.pk).payload
    assert payload["withdrawal"] is True and payload["declared_at"].startswith(str(ret.created_at.date()))
    assert (ret.withdrawal, ret.channel) == (True, "withdrawal")
