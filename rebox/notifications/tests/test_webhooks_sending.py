"""Outbound webhooks reach a real HTTP receiver: signed, once per event, retried with backoff."""

import hashlib
import hmac
import json
import threading
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from rebox.core.models import OutboxEvent
from rebox.core.outbox import outbox_deliver_event, outbox_publish
from rebox.notifications.models import WebhookDelivery
from rebox.notifications.tests.conftest import become_due
from rebox.notifications.webhooks import services, transport
from rebox.notifications.webhooks.services import webhook_send, webhooks_sweep
from rebox.testing import api_client_for, make_variant, order_payload

pytestmark = pytest.mark.django_db


def verified_by_receiver(request, *, secret: str, tolerance: int = 300) -> bool:
    """What an integrator's server does with Rebox-Signature (see WEBHOOKS.md)."""
    fields = dict(part.split("=", 1) for part in request.headers["Rebox-Signature"].split(","))
    timestamp = int(fields["t"])
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + request.body,
                        hashlib.sha256).hexdigest()
    return (hmac.compare_digest(expected, fields["v1"])
            and abs(time.time() - timestamp) <= tolerance)


@pytest.fixture
def place(api, store, django_capture_on_commit_callbacks):
    """Place an order through the API and run what follows its commit, as embedded mode does."""
    make_variant(store, "TEE", price_minor=2_000, stock=100)

    def place_order(number: str | None = None) -> dict:
        with django_capture_on_commit_callbacks(execute=True):
            response = api.post("/orders", order_payload(("TEE", 1, 2_000), number=number))
        assert response.status_code == 201, response.content
        return response.json()

    return place_order


def subscribe(client, url: str, topics=("*",)) -> dict:
    response = client.post("/webhooks", {"url": url, "topics": list(topics)})
    assert response.status_code == 201, response.content
    return response.json()


def test_an_order_placed_through_the_api_reaches_the_receiver_once_and_signed(api, place, receiver):
    endpoint = subscribe(api, receiver.url("/rebox"))

    order = place("W-1")

    [request] = receiver.requests
    event = OutboxEvent.objects.get(topic="order.placed")
    assert request.path == "/rebox"
    assert verified_by_receiver(request, secret=endpoint["secret"])
    assert request.headers["Rebox-Event-Id"] == str(event.pk)
    assert request.headers["Rebox-Event-Topic"] == "order.placed"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["User-Agent"] == "Rebox-Webhooks/1"
    body = json.loads(request.body)
    assert (body["id"], body["topic"], body["store"]) == (str(event.pk), "order.placed", "shop")
    assert body["created_at"] == event.created_at.isoformat()
    assert body["data"]["number"] == "W-1"
    assert body["data"]["subject"] == {"type": "order", "id": event.subject_id}
    assert body["data"]["order"]["number"] == order["number"]
    assert body["data"]["order"]["total_minor"] == 2_000
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 1, 200)
    assert delivery.delivered_at is not None


def test_a_receiver_that_fails_twice_gets_three_attempts_with_backoff(api, place, receiver,
                                                                    broker_loses_webhooks):
    endpoint = subscribe(api, receiver.url())
    receiver.fail(2, status=500)
    place()
    delivery = WebhookDelivery.objects.get()

    assert webhook_send(delivery_id=delivery.pk) == "retry"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("queued", 1, 500)
    assert delivery.last_error == "HTTP 500: nope"
    assert timedelta(seconds=8) < delivery.next_attempt_at - timezone.now() <= timedelta(seconds=10)
    assert webhook_send(delivery_id=delivery.pk) == "skipped"  # not due yet

    become_due(delivery)
    assert webhook_send(delivery_id=delivery.pk) == "retry"
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert timedelta(seconds=18) < delivery.next_attempt_at - timezone.now() <= timedelta(seconds=20)

    become_due(delivery)
    assert webhooks_sweep() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 3, 200)
    assert delivery.last_error == ""
    assert len(receiver.requests) == 3
    assert len({r.body for r in receiver.requests}) == 1  # the same bytes every time
    assert {r.headers["Rebox-Event-Id"] for r in receiver.requests} == {str(delivery.event_id)}
    assert all(verified_by_receiver(r, secret=endpoint["secret"]) for r in receiver.requests)


@pytest.mark.parametrize("answer", [302, 404, 503])
def test_any_answer_but_2xx_is_retried_and_redirects_are_not_followed(answer, api, place, receiver,
                                                                       broker_loses_webhooks):
    subscribe(api, receiver.url())
    receiver.fail(1, status=answer)
    place()
    delivery = WebhookDelivery.objects.get()

    assert webhook_send(delivery_id=delivery.pk) == "retry"

    delivery.refresh_from_db()
    assert (delivery.status, delivery.response_status) == ("queued", answer)
    assert [r.path for r in receiver.requests] == ["/hooks"]


def test_a_receiver_that_does_not_answer_in_time_is_retried(api, place, receiver, monkeypatch,
                                                           broker_loses_webhooks):
    subscribe(api, receiver.url())
    place()
    monkeypatch.setattr(transport, "TIMEOUT", 0.2)
    receiver.delay = 1.0

    assert webhook_send(delivery_id=WebhookDelivery.objects.get().pk) == "retry"

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("queued", 1, None)
    assert "timed out" in delivery.last_error


def test_a_receiver_that_is_down_is_retried(api, place, broker_loses_webhooks, settings):
    settings.REBOX_WEBHOOKS_ALLOW_INTERNAL = True  # port 9 on this machine stands for "down"
    subscribe(api, "http://127.0.0.1:9/nobody-listens")
    place()

    assert webhook_send(delivery_id=WebhookDelivery.objects.get().pk) == "retry"

    assert "Connection" in WebhookDelivery.objects.get().last_error


def test_gives_up_after_the_last_attempt_and_a_retry_through_the_api_delivers(
        api, place, receiver, broker_loses_webhooks, django_capture_on_commit_callbacks, monkeypatch):
    endpoint = subscribe(api, receiver.url())
    receiver.fail(services.MAX_ATTEMPTS)
    place()
    delivery = WebhookDelivery.objects.get()

    for _ in range(services.MAX_ATTEMPTS):
        webhook_send(delivery_id=delivery.pk)
        become_due(delivery)
    assert webhooks_sweep() == 0

    [listed] = api.get(f"/webhooks/{endpoint['id']}/deliveries").json()["items"]
    assert (listed["status"], listed["attempts"]) == ("failed", services.MAX_ATTEMPTS)
    assert listed["last_error"] == "HTTP 500: nope"
    monkeypatch.undo()  # the broker works again
    with django_capture_on_commit_callbacks(execute=True):
        retried = api.post(f"/webhooks/{endpoint['id']}/deliveries/{delivery.pk}/retry", {})
    assert retried.status_code == 200, retried.content
    assert (retried.json()["status"], retried.json()["attempts"]) == ("queued", 0)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 1)
    assert len(receiver.requests) == services.MAX_ATTEMPTS + 1


def test_a_redelivered_outbox_event_makes_no_second_delivery(api, place, receiver,
                                                            django_capture_on_commit_callbacks):
    subscribe(api, receiver.url())
    place()
    event = OutboxEvent.objects.get(topic="order.placed")
    OutboxEvent.objects.filter(pk=event.pk).update(processed_at=None)  # as if never marked done

    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_deliver_event(event.pk) is True

    assert WebhookDelivery.objects.filter(event_id=event.pk).count() == 1
    assert len(receiver.requests) == 1


def test_a_delivery_claimed_by_one_worker_is_not_sent_by_another(api, place, receiver,
                                                                broker_loses_webhooks):
    subscribe(api, receiver.url())
    place()
    delivery = WebhookDelivery.objects.get()
    assert services.SENDING.claim(delivery.pk) is not None  # the first worker, still sending

    assert webhook_send(delivery_id=delivery.pk) == "skipped"
    assert webhooks_sweep() == 0
    assert receiver.requests == []

    become_due(delivery)  # its lease ran out: it died
    assert webhooks_sweep() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, len(receiver.requests)) == ("delivered", 2, 1)


def test_endpoints_get_only_the_topics_they_asked_for(api, place, receiver,
                                                      django_capture_on_commit_callbacks):
    subscribe(api, receiver.url("/shipping"), topics=["order.shipped"])
    subscribe(api, receiver.url("/everything"), topics=["*"])
    subscribe(api, receiver.url("/sales"), topics=["order.placed", "order.delivered"])

    place("T-1")
    with django_capture_on_commit_callbacks(execute=True):
        api.post("/orders/T-1/shipments", {"carrier": "dhl", "tracking_number": "T1"})

    def topics(path):
        return [r.headers["Rebox-Event-Topic"] for r in receiver.to(path)]

    assert topics("/shipping") == ["order.shipped"]
    assert topics("/everything") == ["order.placed", "order.shipped"]
    assert topics("/sales") == ["order.placed"]


def test_another_stores_endpoint_receives_nothing_of_this_store(api, place, receiver, other_store):
    subscribe(api_client_for(other_store), receiver.url("/other"))
    subscribe(api, receiver.url("/mine"))

    place()

    assert receiver.to("/other") == []
    assert len(receiver.to("/mine")) == 1
    assert WebhookDelivery.objects.filter(store=other_store).count() == 0


def test_events_outside_the_published_topics_never_leave(api, store, receiver,
                                                          django_capture_on_commit_callbacks):
    subscribe(api, receiver.url())

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        outbox_publish(store=store, topic="stock.recounted", subject_type="variant", subject_id=1,
                       payload={})

    assert WebhookDelivery.objects.count() == 0
    assert receiver.requests == []


def test_a_disabled_endpoint_gets_nothing_more(api, place, receiver, broker_loses_webhooks):
    subscribe(api, receiver.url())
    place()
    delivery = WebhookDelivery.objects.select_related("endpoint").get()
    type(delivery.endpoint).objects.update(is_active=False)

    assert webhook_send(delivery_id=delivery.pk) == "failed"
    assert receiver.requests == []

    place()  # and new events make no delivery at all
    assert WebhookDelivery.objects.count() == 1


def test_the_embedded_worker_sweep_sends_what_the_broker_never_did(api, place, receiver,
                                                                    broker_loses_webhooks):
    subscribe(api, receiver.url())
    place()
    assert receiver.requests == []

    call_command("worker", "--once")  # what `rebox worker` runs every second

    assert len(receiver.requests) == 1
    assert WebhookDelivery.objects.get().status == "delivered"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_workers_racing_for_one_delivery_send_it_once(api, place, receiver, broker_loses_webhooks):
    subscribe(api, receiver.url())
    place()
    delivery = WebhookDelivery.objects.get()
    receiver.delay = 0.2  # the winner is still sending while the others try
    workers = 6
    barrier = threading.Barrier(workers)
    outcomes = []

    def work():
        try:
            barrier.wait(timeout=10)
            outcomes.append(webhook_send(delivery_id=delivery.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["delivered"] + ["skipped"] * (workers - 1)
    assert len(receiver.requests) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 1)


def test_a_name_that_later_resolves_to_an_internal_address_is_not_posted_to(
        api, place, broker_loses_webhooks, monkeypatch):
    subscribe(api, "https://erp.example/hooks")  # does not resolve here: accepted when saved
    monkeypatch.setattr("socket.getaddrinfo", lambda host, port: [(2, 1, 6, "", ("10.0.0.5", 0))])
    place()

    assert webhook_send(delivery_id=WebhookDelivery.objects.get().pk) == "retry"
    assert "internal address" in WebhookDelivery.objects.get().last_error
