"""Instant exchanges for trusted customers: the replacement order is made at approval; if
the original is not received by its send-by deadline the customer is charged through a
payment link, or the store credit that paid for it is reversed; the check runs once."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from rebox.core.actors import SYSTEM
from rebox.orders.models import Order
from rebox.refunds.credit import credit_balance, credit_issue
from rebox.refunds.exchanges import exchange_resolve
from rebox.refunds.instant import instant_exchanges_overdue
from rebox.refunds.models import CreditAccount, Exchange, GatewayAccount, ResolutionSettings
from rebox.refunds.tests.stripe_links_standin import StripeLinksStandIn
from rebox.refunds.tests.test_exchanges import (
    available,
    exchange_request,
    inspect,
    ledger_matches,
    other_size,
)
from rebox.returns.models import Return
from rebox.returns.services import return_transition
from rebox.returns.tests.helpers import delivered_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def instant_store(store):
    ResolutionSettings.objects.create(store=store, instant_exchange=True,
                                      instant_exchange_min_delivered_orders=1)
    return store


def _approve_with_handlers(api, ret, capture):
    with capture(execute=True):
        assert api.post(f"/returns/{ret.number}/approve", {}).status_code == 200
    return Return.objects.get(pk=ret.pk)


def _past_deadline(ret):
    Return.objects.filter(pk=ret.pk).update(send_by=timezone.now() - timedelta(hours=1))


def test_a_trusted_customer_gets_the_replacement_at_approval(api, instant_store,
                                                             django_capture_on_commit_callbacks):
    lines = delivered_order(api, instant_store, number="R1")
    large = other_size(instant_store, stock=5)
    ret = _approve_with_handlers(api, exchange_request(api, "R1", lines["TEE"], 1, large),
                                 django_capture_on_commit_callbacks)

    exchange = Exchange.objects.get(ret=ret)
    assert exchange.instant and exchange.status == "created"
    assert ret.status == "approved"  # the original still has to come back
    assert exchange.order.lines.get().sku == "TEE-L"
    assert available(large) == 4 and ledger_matches(large)

    # the original arrives: the return resolves and finds the order made at approval
    resolved = exchange_resolve(ret=inspect(ret))
    assert resolved.status == "resolved"
    assert Order.objects.filter(source="exchange").count() == 1


def test_a_customer_without_enough_delivered_orders_waits_for_the_return(api, store,
                                                                         django_capture_on_commit_callbacks):
    ResolutionSettings.objects.create(store=store, instant_exchange=True,
                                      instant_exchange_min_delivered_orders=2)
    lines = delivered_order(api, store, number="R1")
    ret = _approve_with_handlers(api, exchange_request(api, "R1", lines["MUG"], 1),
                                 django_capture_on_commit_callbacks)

    exchange = Exchange.objects.get(ret=ret)
    assert (exchange.status, exchange.order_id) == ("reserved", None)


def test_an_original_not_received_by_the_deadline_is_charged_through_a_payment_link(
        api, instant_store, django_capture_on_commit_callbacks):
    lines = delivered_order(api, instant_store, number="R1")
    with StripeLinksStandIn() as links:
        GatewayAccount.objects.create(store=instant_store, payment_gateway="stripe", gateway="stripe",
                                      secret_key=links.secret_key, api_base=links.url)
        ret = _approve_with_handlers(api, exchange_request(api, "R1", lines["MUG"], 1),
                                     django_capture_on_commit_callbacks)
        return_transition(ret=ret, to="in_transit", actor=SYSTEM)  # scanned, but never arrives
        assert instant_exchanges_overdue() == 0  # not past the deadline yet
        _past_deadline(ret)

        with django_capture_on_commit_callbacks(execute=True):
            assert instant_exchanges_overdue() == 1
        assert instant_exchanges_overdue() == 0  # once

    exchange = Exchange.objects.get(ret=ret)
    assert (exchange.status, exchange.charge_minor) == ("charge_needed", 15_000)
    assert exchange.payment_link == links.sessions[0]["url"]
    assert links.sessions[0]["amount_total"] == 15_000


def test_an_exchange_paid_with_store_credit_has_the_credit_reversed(api, instant_store):
    from rebox.refunds.instant import exchange_instant
    from rebox.refunds.tests.test_exchanges import approve

    lines = delivered_order(api, instant_store, number="R1")
    order = Order.objects.get(number="R1")
    order.payments.update(method="store_credit", gateway="")
    credit_issue(store=instant_store, customer=order.customer, currency="EUR", amount_minor=20_000,
                 actor=SYSTEM, key="earlier-goodwill", why="earlier credit")
    ret = approve(exchange_request(api, "R1", lines["MUG"], 1))
    exchange_instant(ret=ret)
    _past_deadline(ret)

    assert instant_exchanges_overdue() == 1

    exchange = Exchange.objects.get(ret=ret)
    assert (exchange.status, exchange.charge_minor) == ("reversed", 0)
    assert credit_balance(CreditAccount.objects.get(store=instant_store)) == 5_000


def test_the_check_is_scheduled():
    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values()
                 if e["task"] == "rebox.refunds.instant.instant_exchanges_check")
    assert entry["schedule"] <= 3600
