"""Stripe's webhook over HTTP: a customer paid an exchange's price difference through the
payment link; the signed ``checkout.session.completed`` event confirms it once. A body
not signed with the store's secret, signed too long ago, or without a signature is a 400
and changes nothing (https://docs.stripe.com/webhooks#verify-manually)."""

import json
import time

import pytest
from django.test import Client

from rebox.core.actors import Actor
from rebox.core.models import AuditEntry
from rebox.refunds.exchanges import Wanted, exchange_choose
from rebox.refunds.gateways.stripe_links import sign
from rebox.refunds.models import Exchange, GatewayAccount
from rebox.refunds.tests.test_exchanges import approve, exchange_request
from rebox.returns.tests.helpers import delivered_order
from rebox.testing import make_variant

pytestmark = pytest.mark.django_db
SECRET = "whsec_checkout_hook"


@pytest.fixture
def awaiting(api, store):
    """R1's MUG (150.00) exchanged for a LAMP (190.00): 40.00 owed, waiting for the payment."""
    GatewayAccount.objects.create(store=store, payment_gateway="stripe", gateway="stripe",
                                  secret_key="sk_test_x", api_base="http://127.0.0.1:9",
                                  webhook_secret=SECRET)
    lamp = make_variant(store, "LAMP", price_minor=19_000, stock=3, category="home")
    lines = delivered_order(api, store, number="R1")
    ret = approve(exchange_request(api, "R1", lines["MUG"], 1))
    return exchange_choose(ret=ret, wanted=[Wanted(lamp.pk, 1)], actor=Actor.customer("ana@example.com"))


def completed(exchange, *, amount=4_000, event="checkout.session.completed", intent="pi_DIFF1") -> bytes:
    session = {"id": "cs_test_1", "object": "checkout.session", "status": "complete",
               "payment_status": "paid", "amount_total": amount, "currency": "eur", "payment_intent": intent,
               "metadata": {"rebox_reference": f"exchange-{exchange.pk}-difference-{amount}"}}
    return json.dumps({"id": "evt_1", "object": "event", "type": event, "data": {"object": session}}).encode()


def deliver(body: bytes, signature: str | None, slug: str = "shop"):
    headers = {"HTTP_STRIPE_SIGNATURE": signature} if signature is not None else {}
    return Client().post(f"/refunds/hooks/stripe/{slug}", body, content_type="application/json", **headers)


def test_a_signed_checkout_completed_event_confirms_the_difference(awaiting, store):
    body = completed(awaiting)

    response = deliver(body, sign(body, SECRET), store.slug)

    assert response.status_code == 200 and response.json()["outcome"] == "confirmed"
    exchange = Exchange.objects.get(pk=awaiting.pk)
    assert (exchange.status, exchange.difference_paid_reference, exchange.difference_paid_gateway) == (
        "ready", "pi_DIFF1", "stripe")


def test_the_same_event_delivered_twice_confirms_once(awaiting, store):
    body = completed(awaiting)

    first = deliver(body, sign(body, SECRET), store.slug)
    second = deliver(body, sign(body, SECRET), store.slug)

    assert first.status_code == second.status_code == 200
    assert AuditEntry.objects.filter(action="exchange.difference_paid").count() == 1
    assert Exchange.objects.get(pk=awaiting.pk).status == "ready"


@pytest.mark.parametrize("signature", [
    None,
    "",
    "t=1700000000",
    "garbage",
    "wrong secret",
    "too old",
])
def test_a_missing_forged_or_stale_signature_is_a_400_and_nothing_changes(awaiting, store, signature):
    body = completed(awaiting)
    header = {"wrong secret": sign(body, "whsec_someone_else"),
              "too old": sign(body, SECRET, at=int(time.time()) - 301)}.get(signature, signature)

    response = deliver(body, header, store.slug)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "bad_signature"
    assert Exchange.objects.get(pk=awaiting.pk).status == "awaiting_payment"
    assert not AuditEntry.objects.filter(action="exchange.difference_paid").exists()


def test_a_signature_within_five_minutes_is_accepted(awaiting, store):
    body = completed(awaiting)

    response = deliver(body, sign(body, SECRET, at=int(time.time()) - 240), store.slug)

    assert response.status_code == 200


def test_a_body_changed_after_signing_is_refused(awaiting, store):
    body = completed(awaiting)
    tampered = completed(awaiting, intent="pi_ATTACKER")

    response = deliver(tampered, sign(body, SECRET), store.slug)

    assert response.status_code == 400
    assert Exchange.objects.get(pk=awaiting.pk).difference_paid_reference == ""


def test_another_event_type_is_acknowledged_and_ignored(awaiting, store):
    body = completed(awaiting, event="checkout.session.expired")

    response = deliver(body, sign(body, SECRET), store.slug)

    assert response.status_code == 200 and response.json()["outcome"] == "ignored"
    assert Exchange.objects.get(pk=awaiting.pk).status == "awaiting_payment"


def test_a_signed_event_for_the_wrong_amount_changes_nothing(awaiting, store):
    body = completed(awaiting, amount=100)

    response = deliver(body, sign(body, SECRET), store.slug)

    assert response.status_code == 422
    assert Exchange.objects.get(pk=awaiting.pk).status == "awaiting_payment"


def test_a_store_without_a_webhook_secret_refuses_every_event(awaiting, store):
    GatewayAccount.objects.filter(store=store).update(webhook_secret="")
    body = completed(awaiting)

    response = deliver(body, sign(body, ""), store.slug)

    assert response.status_code == 400
    assert Exchange.objects.get(pk=awaiting.pk).status == "awaiting_payment"


def test_an_event_signed_for_one_store_does_nothing_at_another(awaiting, store, other_store):
    GatewayAccount.objects.create(store=other_store, payment_gateway="stripe", gateway="stripe",
                                  webhook_secret="whsec_other")
    body = completed(awaiting)

    wrong_secret = deliver(body, sign(body, SECRET), other_store.slug)
    own_secret = deliver(body, sign(body, "whsec_other"), other_store.slug)
    nowhere = deliver(body, sign(body, SECRET), "no-such-store")

    assert wrong_secret.status_code == 400
    assert own_secret.status_code == 404  # that exchange is not the other store's
    assert nowhere.status_code == 404
    assert Exchange.objects.get(pk=awaiting.pk).status == "awaiting_payment"


def test_only_post_is_answered(store):
    assert Client().get(f"/refunds/hooks/stripe/{store.slug}").status_code == 405
