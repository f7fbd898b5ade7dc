"""The daily refunds report: the store's local day, by gateway and status, amounts in major
units with the currency's decimals, one store only."""

import csv
import io
from datetime import UTC, date, datetime
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from rebox.core.actors import SYSTEM
from rebox.orders.models import Order
from rebox.refunds.models import Refund
from rebox.refunds.reports import day_totals, major_units, refund_report_csv
from rebox.refunds.services import refund_create
from rebox.testing import make_variant, order_payload

pytestmark = pytest.mark.django_db


def _refund(order, amount, at: datetime, **fields):
    with mock.patch("rebox.refunds.services._enqueue"):
        refund = refund_create(order=order, payment=order.payments.get(), amount_minor=amount, actor=SYSTEM)
    Refund.objects.filter(pk=refund.pk).update(created_at=at, **fields)
    return Refund.objects.get(pk=refund.pk)


def _rows(text):
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def order(api, store):
    make_variant(store, "COAT", price_minor=10_000, stock=50)
    body = order_payload(("COAT", 1, 10_000), number="P-1")
    body["payments"][0]["reference"] = "pi_P1"
    assert api.post("/orders", body).status_code == 201
    return Order.objects.get(store=store, number="P-1")


def test_the_report_covers_the_stores_local_day_by_gateway_and_status(order):
    # Copenhagen is UTC+1 in November: 23:30 UTC on the 22nd is 00:30 on the 23rd there
    early = _refund(order, 1_250, datetime(2026, 11, 22, 23, 30, tzinfo=UTC), status="succeeded",
                    gateway_reference="re_1", attempts=1)
    late = _refund(order, 2_000, datetime(2026, 11, 23, 22, 59, tzinfo=UTC), status="failed",
                   last_error="Stripe 400 invalid_request_error/x:\nCharge has\talready been refunded.",
                   attempts=3)
    _refund(order, 500, datetime(2026, 11, 23, 23, 0, tzinfo=UTC))  # 00:00 on the 24th locally
    _refund(order, 700, datetime(2026, 11, 22, 22, 59, tzinfo=UTC))  # 23:59 on the 22nd locally

    rows = _rows(refund_report_csv(store=order.store, day=date(2026, 11, 23)))

    assert [(r["number"], r["status"]) for r in rows] == [(late.number, "failed"),
                                                          (early.number, "succeeded")]
    first = rows[1]
    assert first["date"] == "2026-11-23T00:30:00+01:00"
    assert (first["order"], first["payment_method"], first["gateway"], first["gateway_reference"]) == \
        ("P-1", "card", "stripe", "re_1")
    assert (first["amount"], first["currency"], first["attempts"]) == ("12.50", "EUR", "1")
    assert rows[0]["last_error"] == "Stripe 400 invalid_request_error/x: Charge has already been refunded."


def test_day_totals_count_and_sum_per_gateway_and_status(order):
    at = datetime(2026, 11, 23, 12, tzinfo=UTC)
    for amount in (1_000, 2_345):
        _refund(order, amount, at, status="succeeded")
    _refund(order, 99, at)

    totals = {(t.gateway, t.status): (t.count, t.amount_minor) for t in
              day_totals(store=order.store, day=date(2026, 11, 23))}

    assert totals == {("stripe", "succeeded"): (2, 3_345), ("stripe", "pending"): (1, 99)}


def test_amounts_use_the_currencys_own_decimals():
    assert major_units(5, "EUR") == "0.05"
    assert major_units(1_250, "JPY") == "1250"
    assert major_units(1_234, "KWD") == "1.234"
    assert major_units(100_000_000_000_001, "USD") == "1000000000000.01"  # no float would keep this


def test_another_stores_refunds_never_appear(api, order, other_store):
    from rebox.testing import api_client_for

    other_api = api_client_for(other_store)
    make_variant(other_store, "COAT", price_minor=10_000, stock=5)
    body = order_payload(("COAT", 1, 10_000), number="P-1")
    assert other_api.post("/orders", body).status_code == 201
    theirs = Order.objects.get(store=other_store, number="P-1")
    at = datetime(2026, 11, 23, 12, tzinfo=UTC)
    _refund(theirs, 4_000, at)
    mine = _refund(order, 1_000, at)

    rows = _rows(refund_report_csv(store=order.store, day=date(2026, 11, 23)))

    assert [r["number"] for r in rows] == [mine.number]


def test_text_from_outside_cannot_become_a_spreadsheet_formula(order):
    _refund(order, 100, datetime(2026, 11, 23, 12, tzinfo=UTC), gateway_reference="=HYPERLINK(\"x\")",
            last_error="+cmd")

    row = _rows(refund_report_csv(store=order.store, day=date(2026, 11, 23)))[0]

    assert row["gateway_reference"].startswith("'=") and row["last_error"] == "'+cmd"


def test_the_command_writes_the_file_and_sums_up(order, tmp_path):
    _refund(order, 1_250, datetime(2026, 11, 23, 12, tzinfo=UTC), status="succeeded")
    target = tmp_path / "refunds.csv"
    said = io.StringIO()

    call_command("refund_report", store=order.store.slug, date="2026-11-23", out=str(target), stdout=said)

    assert [r["amount"] for r in _rows(target.read_text())] == ["12.50"]
    assert "1 refunds of 2026-11-23 (Europe/Copenhagen)" in said.getvalue()
    assert "succeeded" in said.getvalue() and "12.50 EUR" in said.getvalue()


def test_the_command_refuses_a_bad_date_or_an_unknown_store(order):
    with pytest.raises(CommandError, match="YYYY-MM-DD|like 2026-11-23"):
        call_command("refund_report", store=order.store.slug, date="23/11/2026")
    with pytest.raises(CommandError, match="No store"):
        call_command("refund_report", store="nope", date="2026-11-23")
