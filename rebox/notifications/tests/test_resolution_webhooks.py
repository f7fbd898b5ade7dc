"""Integrators subscribe to refunds, credit, exchanges and goodwill, and receive them signed."""

import json
import re
from pathlib import Path

import pytest

from rebox.core.models import OutboxEvent
from rebox.notifications.models import WebhookDelivery
from rebox.notifications.resolution_emails import RESOLUTION_EMAILS
from rebox.notifications.tests.resolution_fixtures import pay_through, refund_paid
from rebox.notifications.tests.returns_fixtures import Journey
from rebox.notifications.tests.test_webhooks_sending import subscribe, verified_by_receiver
from rebox.notifications.webhooks.topics import WEBHOOK_TOPICS
from rebox.refunds.tests.stripe_standin import StripeStandIn
from rebox.testing import api_client_for

pytestmark = pytest.mark.django_db
RESOLUTION_TOPICS = {"refund.succeeded", "refund.failed", "credit.issued", "exchange.created",
                     "goodwill.granted"}
WEBHOOKS_MD = Path(__file__).resolve().parents[1] / "WEBHOOKS.md"


def test_every_resolution_topic_can_be_subscribed_to_and_is_documented():
    documented = set(re.findall(r"`([a-z]+\.[a-z_]+)`", WEBHOOKS_MD.read_text()))

    assert RESOLUTION_TOPICS | set(RESOLUTION_EMAILS) <= set(WEBHOOK_TOPICS)
    assert RESOLUTION_TOPICS <= documented


def test_a_refund_paid_by_the_gateway_reaches_the_receiver_signed(shop, receiver,
                                                                django_capture_on_commit_callbacks):
    endpoint = subscribe(api_client_for(shop), receiver.url("/refunds"), topics=["refund.succeeded"])
    journey = Journey(shop, django_capture_on_commit_callbacks)
    with StripeStandIn() as stripe:
        pay_through(stripe, shop)
        ret = journey.request(language="en")

        refund = refund_paid(journey, stripe, ret=ret, amount_minor=12_000)

    [request] = receiver.requests  # only the topic asked for
    event = OutboxEvent.objects.get(topic="refund.succeeded", subject_id=refund.pk)
    assert verified_by_receiver(request, secret=endpoint["secret"])
    assert not verified_by_receiver(request, secret="whsec_someone-else")
    assert request.headers["Rebox-Event-Topic"] == "refund.succeeded"
    assert request.headers["Rebox-Event-Id"] == str(event.pk)
    data = json.loads(request.body)["data"]
    assert data["number"] == refund.number and data["order"] == ret.order.number
    assert (data["amount_minor"], data["currency"], data["payment_method"]) == (12_000, "EUR", "card")
    assert data["reference"] == stripe.refunds[0]["id"]
    assert data["subject"] == {"type": "refund", "id": refund.pk}
    assert data["refund"]["status"] == "succeeded" and data["refund"]["return"] == ret.number
    assert WebhookDelivery.objects.get().status == "delivered"
