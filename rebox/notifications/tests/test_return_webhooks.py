"""Integrators subscribe to the return journey's topics and receive them signed."""

import json
import re
from pathlib import Path

import pytest

from rebox.core.actors import Actor
from rebox.core.models import OutboxEvent
from rebox.notifications.models import WebhookDelivery
from rebox.notifications.return_emails import RETURN_EMAILS
from rebox.notifications.tests.returns_fixtures import Journey
from rebox.notifications.tests.test_webhooks_sending import subscribe, verified_by_receiver
from rebox.notifications.webhooks.topics import WEBHOOK_TOPICS
from rebox.returns.services import return_approve
from rebox.testing import api_client_for

pytestmark = pytest.mark.django_db
REQUIRED = {"return.evidence_added", "return.unit_inspected", "return.unit_disposed"}
WEBHOOKS_MD = Path(__file__).resolve().parents[1] / "WEBHOOKS.md"


def test_every_topic_that_emails_someone_and_the_unit_steps_can_be_subscribed_to():
    assert set(RETURN_EMAILS) | REQUIRED <= set(WEBHOOK_TOPICS)


def test_webhooks_md_documents_every_topic():
    documented = set(re.findall(r"`([a-z]+\.[a-z_]+)`", WEBHOOKS_MD.read_text()))

    assert set(WEBHOOK_TOPICS) <= documented


def test_an_approved_return_reaches_the_receiver_signed_with_the_return(shop, receiver,
                                                                       django_capture_on_commit_callbacks):
    api = api_client_for(shop)
    endpoint = subscribe(api, receiver.url("/returns"), topics=["return.approved", "return.unit_disposed"])
    journey = Journey(shop, django_capture_on_commit_callbacks)
    ret = journey.request(language="en")

    journey.run(return_approve, ret=ret, actor=Actor("staff", "agent@dune.example"))

    [request] = receiver.requests  # return.requested was not asked for
    event = OutboxEvent.objects.get(topic="return.approved", subject_id=ret.pk)
    assert verified_by_receiver(request, secret=endpoint["secret"])
    assert request.headers["Rebox-Event-Topic"] == "return.approved"
    assert request.headers["Rebox-Event-Id"] == str(event.pk)
    body = json.loads(request.body)
    assert body["topic"] == "return.approved" and body["data"]["number"] == ret.number
    assert body["data"]["subject"] == {"type": "return", "id": ret.pk}
    assert body["data"]["return"]["status"] == "approved"
    assert body["data"]["return"]["order"] == ret.order.number
    assert WebhookDelivery.objects.get().status == "delivered"


def test_a_parcel_event_carries_the_return_it_belongs_to(shop, receiver, django_capture_on_commit_callbacks):
    api = api_client_for(shop)
    subscribe(api, receiver.url("/parcels"), topics=["parcel.label_ready"])
    journey = Journey(shop, django_capture_on_commit_callbacks)
    ret = journey.request(language="en")

    journey.publish("parcel.label_ready", ret, subject_type="parcel", subject_id=9, parcel_id=9)

    [request] = receiver.requests
    body = json.loads(request.body)
    assert body["data"]["parcel_id"] == 9 and body["data"]["return"]["number"] == ret.number
