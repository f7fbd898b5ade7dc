"""Outbound webhooks: endpoints, one delivery per (endpoint, event), signed POSTs, retries.

1. ``webhook_deliveries_queue`` (the outbox handler for every topic) stores one delivery per
   active endpoint of the event's store that wants the topic, in the outbox's transaction.
   The body is composed once and stored as text, so every attempt sends the same bytes; the
   unique (endpoint, event_id) makes a redelivered event a no-op.
2. ``webhook_send`` claims the delivery through the lease shared with email
   (``rebox.core.lease``), signs the body with a fresh timestamp and POSTs it. 2xx →
   delivered; any other answer, a timeout or a connection error → queued again with the
   outbox's exponential backoff; failed after MAX_ATTEMPTS, visible with its last error.
3. ``webhook_delivery_retry`` gives a failed delivery a fresh round of attempts.

The window that remains is the one of email: a worker that dies after the receiver answered
2xx but before the row is marked delivered sends again once its lease ends. The copy has the
same Rebox-Event-Id and body, by which receivers deduplicate.
"""

import json
import logging
import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from rebox.core.errors import Conflict, FieldError, ValidationFailed
from rebox.core.lease import Lease
from rebox.core.models import OutboxEvent, Store
from rebox.notifications.models import WebhookDelivery, WebhookEndpoint
from rebox.notifications.models import WebhookDeliveryStatus as Status
from rebox.notifications.webhooks import transport
from rebox.notifications.webhooks.selectors import (
    order_for_event,
    refund_summary,
    return_for_event,
    webhook_endpoints_for_event,
)
from rebox.notifications.webhooks.signing import signature_header
from rebox.notifications.webhooks.topics import EVERY_TOPIC, WEBHOOK_TOPICS, is_webhook_topic
from rebox.orders.serializers import order_summary
from rebox.returns.serializers import return_detail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 15  # about six and a half hours of retries with the outbox's backoff
SENDING = Lease(model=WebhookDelivery, waiting=Status.QUEUED, holding=Status.SENDING,
                done=Status.DELIVERED, failed=Status.FAILED, duration=timedelta(minutes=5),
                max_attempts=MAX_ATTEMPTS)


class DeliveryNotRetryable(Conflict):
    code = "delivery_not_retryable"
    title = "Only a failed delivery can be retried"


def webhook_endpoint_create(*, store: Store, url: str, topics: list[str],
                            description: str = "") -> tuple[WebhookEndpoint, str]:
    """Create an endpoint; returns it with its signing secret, which the API shows once."""
    errors = [*_url_errors(url), *_topic_errors(topics)]
    if errors:
        raise ValidationFailed(errors=errors)
    secret = f"whsec_{secrets.token_urlsafe(32)}"
    wanted = [EVERY_TOPIC] if EVERY_TOPIC in topics else list(dict.fromkeys(topics))
    endpoint = WebhookEndpoint.objects.create(store=store, url=url, secret=secret, topics=wanted,
                                              description=description)
    return endpoint, secret


def _url_errors(url: str) -> list[FieldError]:
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        return [FieldError("url", "the port is not a number")]
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in url):
        return [FieldError("url", "must be an http:// or https:// URL with a host")]
    try:
        transport.refuse_internal_host(parts.hostname, unresolvable_ok=True)
    except transport.WebhookUnreachable as exc:
        return [FieldError("url", str(exc))]
    return []


def _topic_errors(topics: list[str]) -> list[FieldError]:
    if not topics:
        return [FieldError("topics", f'name at least one topic, or "{EVERY_TOPIC}" for all')]
    known = ", ".join(WEBHOOK_TOPICS)
    return [FieldError(f"topics[{i}]", f"unknown topic {topic!r}; known: {known}, or {EVERY_TOPIC}")
            for i, topic in enumerate(topics) if topic != EVERY_TOPIC and not is_webhook_topic(topic)]


def webhook_endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    """Delete the endpoint and its deliveries; one in flight finds nothing left to mark."""
    endpoint.delete()


def webhook_deliveries_queue(*, event: OutboxEvent) -> list[WebhookDelivery]:
    """Store one delivery of ``event`` per endpoint that wants it, once per event."""
    if not is_webhook_topic(event.topic):
        return []  # not part of the public contract: stays inside
    endpoints = webhook_endpoints_for_event(event)
    if not endpoints:
        return []
    done = set(WebhookDelivery.objects.filter(event_id=event.pk, endpoint__in=endpoints)
               .values_list("endpoint_id", flat=True))
    missing = [endpoint for endpoint in endpoints if endpoint.pk not in done]
    if not missing:
        return []  # a redelivered event
    body, now, created = webhook_body(event), timezone.now(), []
    for endpoint in missing:
        delivery, is_new = WebhookDelivery.objects.get_or_create(
            endpoint=endpoint, event_id=event.pk,
            defaults={"store_id": event.store_id, "topic": event.topic, "body": body,
                      "next_attempt_at": now, "created_at": now})
        if is_new:
            created.append(delivery)
    transaction.on_commit(lambda: [_enqueue(delivery.pk) for delivery in created])
    return created


def webhook_body(event: OutboxEvent) -> str:
    """The JSON text integrators receive; composed once per event, signed on every attempt."""
    data = {**event.payload, "subject": {"type": event.subject_type, "id": event.subject_id}}
    if event.subject_type == "order" and (order := order_for_event(event)) is not None:
        data["order"] = order_summary(order)
    elif event.topic.split(".")[0] in ("return", "parcel", "supplier") and (
            ret := return_for_event(event)) is not None:
        data["return"] = return_detail(ret)
    elif event.subject_type == "refund" and (refund := refund_summary(event)) is not None:
        data["refund"] = refund
    envelope = {"id": str(event.pk), "topic": event.topic, "created_at": event.created_at.isoformat(),
                "store": event.store.slug, "data": data}
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":"))


def _enqueue(delivery_id: int) -> None:
    from rebox.notifications.tasks import webhook_deliver

    try:
        webhook_deliver.delay(delivery_id)
    except Exception:  # noqa: BLE001 - broker down: the sweep sends it
        logger.warning("webhook delivery %s not enqueued; the sweep will send it", delivery_id)


def webhook_send(*, delivery_id: int) -> str:
    """Send one delivery if it is due: "delivered", "retry", "failed" or "skipped".

    Call it outside any transaction (tasks do): the claim must be committed before the
    request leaves, so that another worker sees it.
    """
    delivery = SENDING.claim(delivery_id, related=("endpoint",))
    if delivery is None:
        return "skipped"  # delivered, failed, not due yet, or another worker has it
    if not delivery.endpoint.is_active:
        return SENDING.fail(delivery, error="The endpoint was disabled.", permanent=True)
    body = delivery.body.encode()
    try:
        status = transport.post(delivery.endpoint.url, body=body, headers=webhook_headers(
            delivery, body=body, at=int(timezone.now().timestamp())))
    except transport.WebhookError as exc:
        logger.warning("webhook delivery %s attempt %s failed: %s", delivery.pk, delivery.attempts, exc)
        return SENDING.fail(delivery, error=str(exc), response_status=getattr(exc, "status", None))
    # Whoever holds the claim now, the receiver has it: never send it again.
    SENDING.finish(delivery, delivered_at=timezone.now(), response_status=status)
    return "delivered"


def webhook_headers(delivery: WebhookDelivery, *, body: bytes, at: int) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": "Rebox-Webhooks/1",
        "Rebox-Event-Id": str(delivery.event_id),
        "Rebox-Event-Topic": delivery.topic,
        "Rebox-Signature": signature_header(secret=delivery.endpoint.secret, body=body, at=at),
    }


def webhooks_sweep(*, limit: int = 50) -> int:
    """Send what is due (first tries a broker never ran, retries, expired claims)."""
    SENDING.give_up_abandoned(
        why="A worker stopped while sending (the receiver may have it); "
            f"gave up after {MAX_ATTEMPTS} attempts.")
    return sum(webhook_send(delivery_id=pk) == "delivered" for pk in SENDING.due_ids(limit=limit))


def webhook_delivery_retry(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Put a failed delivery back in the queue with a fresh round of attempts, due now."""
    if not SENDING.requeue(delivery.pk):
        raise DeliveryNotRetryable(f"This delivery is {delivery.status}; only a failed one is retried.")
    transaction.on_commit(lambda: _enqueue(delivery.pk))
    delivery.refresh_from_db()
    return delivery
