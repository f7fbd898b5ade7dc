"""Exchanging for a different product: a dearer one waits for the customer to pay the
difference through a Stripe payment link (confirmed by a signed webhook or an agent); a
cheaper one gives the rest back as a refund or credit. The money always adds up."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rebox.core.actors import Actor
from rebox.core.errors import Conflict, Forbidden, ValidationFailed
from rebox.refunds.credit import credit_balance
from rebox.refunds.exchange_money import settle, spread
from rebox.refunds.exchanges import Wanted, exchange_choose, exchange_resolve
from rebox.refunds.gateways.stripe_links import sign
from rebox.refunds.models import CreditAccount, Exchange, GatewayAccount, Refund, ResolutionSettings
from rebox.refunds.payment_links import exchange_payment_confirm, exchange_stripe_webhook
from rebox.refunds.tests.stripe_links_standin import StripeLinksStandIn
from rebox.refunds.tests.test_exchanges import approve, available, exchange_request, inspect, ledger_matches
from rebox.returns.models import Return
from rebox.returns.tests.helpers import delivered_order
from rebox.testing import make_variant

AGENT = Actor("staff", "agent@shop.example")
SECRET = "whsec_test_rebox"


# --- the arithmetic, for any amounts ------------------------------------------------------

@given(credit=st.integers(0, 10**9), new=st.integers(0, 10**9))
def test_a_settlement_neither_loses_nor_invents_money(credit, new):
    money = settle(credit_minor=credit, new_minor=new)

    assert money.tender_minor + money.customer_pays_minor == new
    assert money.tender_minor + money.store_returns_minor == credit
    assert min(money.tender_minor, money.customer_pays_minor, money.store_returns_minor) >= 0
    assert money.customer_pays_minor == 0 or money.store_returns_minor == 0


@given(rooms=st.lists(st.integers(0, 10**6), min_size=1, max_size=5), data=st.data())
def test_an_amount_given_back_is_spread_exactly_and_within_each_payment(rooms, data):
    amount = data.draw(st.integers(0, sum(rooms)))
    parts = spread(amount, list(enumerate(rooms)))

    assert sum(part for _p, part in parts) == amount
    assert all(0 < part <= rooms[payment] for payment, part in parts)


@given(rooms=st.lists(st.integers(0, 1000), min_size=1, max_size=4), extra=st.integers(1, 1000))
def test_more_than_the_payments_hold_is_never_spread(rooms, extra):
    with pytest.raises(ValueError):
        spread(sum(rooms) + extra, list(enumerate(rooms)))


# --- through the database -----------------------------------------------------------------

@pytest.fixture
def links(store):
    with StripeLinksStandIn() as standin:
        GatewayAccount.objects.create(store=store, payment_gateway="stripe", gateway="stripe",
                                      secret_key=standin.secret_key, api_base=standin.url,
                                      webhook_secret=SECRET)
        yield standin


def _approved_exchange(api, store):
    lines = delivered_order(api, store, number="R1")  # TEE 200.00 × 2, MUG 150.00, card ch_1
    ret = approve(exchange_request(api, "R1", lines["MUG"], 1))
    return ret


@pytest.mark.django_db
def test_a_dearer_item_waits_for_the_difference_paid_through_a_payment_link(
        api, store, links, django_capture_on_commit_callbacks):
    lamp = make_variant(store, "LAMP", price_minor=19_000, stock=3, category="home")
    ret = _approved_exchange(api, store)

    with django_capture_on_commit_callbacks(execute=True):
        exchange = exchange_choose(ret=ret, wanted=[Wanted(lamp.pk, 1)],
                                   actor=Actor.customer("ana@example.com"))

    exchange.refresh_from_db()
    assert (exchange.status, exchange.difference_minor) == ("awaiting_payment", 4_000)
    session = links.sessions[0]
    assert exchange.payment_link == session["url"]
    assert (session["amount_total"], session["currency"]) == (4_000, "eur")
    assert available(lamp) == 2  # held while the customer pays
    with pytest.raises(Conflict):
        exchange_resolve(ret=inspect(ret))  # inspected, but the difference is not paid

    body = links.completed_event(session)
    assert exchange_stripe_webhook(store=store, payload=body, signature=sign(body, SECRET)) == "confirmed"
    assert exchange_stripe_webhook(store=store, payload=body, signature=sign(body, SECRET)) == "confirmed"

    exchange.refresh_from_db()
    order = exchange.order
    assert Return.objects.get(pk=ret.pk).status == "resolved"
    assert order.total_minor == 19_000
    assert sorted((p.method, p.gateway, p.reference, p.amount_minor) for p in order.payments.all()) == [
        ("card", "stripe", "pi_DIFF1", 4_000), ("other", "", f"exchange:{ret.number}", 15_000)]
    assert ledger_matches(lamp)


@pytest.mark.django_db
def test_a_webhook_not_signed_with_the_stores_secret_is_refused(api, store, links):
    lamp = make_variant(store, "LAMP", price_minor=19_000, stock=3, category="home")
    ret = _approved_exchange(api, store)
    exchange_choose(ret=ret, wanted=[Wanted(lamp.pk, 1)], actor=AGENT)
    exchange = Exchange.objects.get(ret=ret)
    body = json.dumps({"type": "checkout.session.completed", "data": {"object": {
        "id": "cs_forged", "payment_status": "paid", "amount_total": 4_000, "currency": "eur",
        "metadata": {"rebox_reference": f"exchange-{exchange.pk}-difference-4000"}}}}).encode()

    with pytest.raises(Forbidden):
        exchange_stripe_webhook(store=store, payload=body, signature=sign(body, "whsec_someone_else"))
    with pytest.raises(Forbidden):
        exchange_stripe_webhook(store=store, payload=body, signature=sign(body, SECRET, at=1_000_000))

    assert Exchange.objects.get(pk=exchange.pk).status == "awaiting_payment"


@pytest.mark.django_db
def test_an_agent_confirms_a_difference_paid_another_way_but_only_the_amount_owed(api, store):
    lamp = make_variant(store, "LAMP", price_minor=19_000, stock=3, category="home")
    ret = _approved_exchange(api, store)
    exchange = exchange_choose(ret=ret, wanted=[Wanted(lamp.pk, 1)], actor=AGENT)

    with pytest.raises(ValidationFailed):
        exchange_payment_confirm(exchange=exchange, reference="bank transfer 17", amount_minor=3_999,
                                 actor=AGENT)
    exchange = exchange_payment_confirm(exchange=exchange, reference="bank transfer 17", amount_minor=4_000,
                                        actor=AGENT)
    assert exchange.status == "ready" and exchange.order is None  # not inspected yet

    exchange_resolve(ret=inspect(ret))
    payments = Exchange.objects.get(pk=exchange.pk).order.payments.all()
    assert sorted((p.method, p.amount_minor) for p in payments) == [("other", 4_000), ("other", 15_000)]


@pytest.mark.django_db
def test_a_cheaper_item_refunds_the_rest_to_the_original_card(api, store):
    pen = make_variant(store, "PEN", price_minor=2_500, stock=3, category="home")
    ret = _approved_exchange(api, store)
    exchange_choose(ret=ret, wanted=[Wanted(pen.pk, 2)], actor=AGENT)

    exchange_resolve(ret=inspect(ret))

    exchange = Exchange.objects.get(ret=ret)
    refund = Refund.objects.get(ret=ret)
    assert (exchange.difference_minor, refund.amount_minor, refund.payment.reference) == (
        -10_000, 10_000, "ch_1")
    assert exchange.order.payments.get().amount_minor == exchange.order.total_minor == 5_000


@pytest.mark.django_db
def test_a_store_may_credit_the_rest_of_a_cheaper_exchange_instead(api, store):
    ResolutionSettings.objects.create(store=store, cheaper_exchange_settles_as="store_credit")
    pen = make_variant(store, "PEN", price_minor=2_500, stock=3, category="home")
    ret = _approved_exchange(api, store)
    exchange_choose(ret=ret, wanted=[Wanted(pen.pk, 1)], actor=AGENT)

    exchange_resolve(ret=inspect(ret))

    assert credit_balance(CreditAccount.objects.get(store=store)) == 12_500
    assert not Refund.objects.filter(ret=ret).exists()


@pytest.mark.django_db
def test_choosing_an_item_out_of_stock_changes_nothing(api, store):
    lamp = make_variant(store, "LAMP", price_minor=19_000, stock=3, category="home")
    gone = make_variant(store, "GONE", price_minor=1_000, stock=0, category="home")
    ret = _approved_exchange(api, store)
    exchange_choose(ret=ret, wanted=[Wanted(lamp.pk, 1)], actor=AGENT)

    with pytest.raises(ValidationFailed):
        exchange_choose(ret=ret, wanted=[Wanted(gone.pk, 1)], actor=AGENT)

    assert Exchange.objects.get(ret=ret).lines.get().variant_id == lamp.pk
    assert available(lamp) == 2


@pytest.mark.django_db
def test_a_gateway_that_gives_no_link_is_visible_to_the_agent(api, store, links,
                                                               django_capture_on_commit_callbacks):
    links.mode = "refuse"
    lamp = make_variant(store, "LAMP", price_minor=19_000, stock=3, category="home")
    ret = _approved_exchange(api, store)

    with django_capture_on_commit_callbacks(execute=True):
        exchange_choose(ret=ret, wanted=[Wanted(lamp.pk, 1)], actor=AGENT)

    exchange = Exchange.objects.get(ret=ret)
    assert exchange.payment_link == ""
    assert "Currency not supported" in exchange.payment_link_error
