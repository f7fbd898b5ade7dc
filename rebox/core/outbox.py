"""The transactional outbox.

`outbox_publish` writes an event in the caller's transaction; after commit a job
delivers it to every handler registered for its topic. Handlers must be idempotent:
an event can be delivered more than once (a crash after the handler ran but before the
event was marked done), never zero times. The module that publishes an event does not
know who listens.
"""

import logging
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from rebox.core.models import OutboxEvent, Store

logger = logging.getLogger(__name__)

Handler = Callable[[OutboxEvent], None]
_handlers: dict[str, list[Handler]] = defaultdict(list)

MAX_ATTEMPTS = 12


def outbox_handler(topic: str) -> Callable[[Handler], Handler]:
    """Register a function to receive every event of ``topic`` ("*" for all topics)."""

    def register(function: Handler) -> Handler:
        if function not in _handlers[topic]:
            _handlers[topic].append(function)
        return function

    return register


def handlers_for(topic: str) -> list[Handler]:
    return [*_handlers.get(topic, []), *_handlers.get("*", [])]


def outbox_publish(
    *, store: Store | int, topic: str, subject_type: str, subject_id: int, payload: dict
) -> OutboxEvent:
    now = timezone.now()
    event = OutboxEvent.objects.create(
        store_id=getattr(store, "pk", store),
        topic=topic,
        subject_type=subject_type,
        subject_id=subject_id,
        payload=payload,
        created_at=now,
        next_attempt_at=now,
    )
    outbox_deliver_after_commit(event.pk)
    return event


def outbox_deliver_after_commit(event_id) -> None:
    """Have an event delivered once the current transaction commits. For events written
    by SQL of their own (`rebox.orders.pg_create`); `outbox_publish` calls it too."""
    transaction.on_commit(lambda: _enqueue(event_id))


# With a broker, a burst of events is delivered by one sweep per WAKE_EVERY seconds and web
# process rather than one message per event: a sweep scheduled at T runs at T + WAKE_EVERY
# or later, so it sees every event whose transaction committed before then, and an event
# committed after it schedules the next sweep. Delivery waits at most about twice WAKE_EVERY.
WAKE_EVERY = 0.2
_last_wake = float("-inf")


def _enqueue(event_id) -> None:
    from rebox.core.tasks import outbox_deliver, outbox_sweep

    global _last_wake
    try:
        if settings.CELERY_TASK_ALWAYS_EAGER:
            outbox_deliver.delay(str(event_id))  # embedded: deliver here, right after commit
            return
        now = time.monotonic()
        if now - _last_wake < WAKE_EVERY:
            return  # the sweep already scheduled will see this event
        _last_wake = now
        outbox_sweep.apply_async(countdown=WAKE_EVERY)
    except Exception:  # broker down: the periodic sweep will pick the event up
        _last_wake = float("-inf")
        logger.warning("outbox event %s not enqueued; the sweep will deliver it", event_id)


def backoff(attempts: int) -> timedelta:
    """10 s, 20 s, 40 s ... capped at one hour."""
    return timedelta(seconds=min(10 * 2 ** max(attempts - 1, 0), 3600))


def outbox_deliver_event(event_id) -> bool:
    """Run the handlers of one pending event. True when the event is done."""
    with transaction.atomic():
        event = (
            OutboxEvent.objects.select_for_update(skip_locked=True)
            .filter(pk=event_id, processed_at__isnull=True)
            .first()
        )
        if event is None:  # done already, or another worker has it right now
            return True
        # Each handler in its own savepoint: one failing handler (a missing template, an
        # unreachable service) does not undo what the others did; the event is retried,
        # and the handlers that succeeded run again, which they must bear (idempotent).
        errors = []
        for handler in handlers_for(event.topic):
            try:
                with transaction.atomic():
                    handler(event)
            except Exception as exc:  # noqa: BLE001 - any failure is retried later
                errors.append(f"{getattr(handler, '__qualname__', handler)}: {type(exc).__name__}: {exc}")
        if errors:
            event.attempts += 1
            event.last_error = "\n".join(errors)[:2000]
            event.next_attempt_at = timezone.now() + backoff(event.attempts)
            if event.attempts >= MAX_ATTEMPTS:
                event.processed_at = timezone.now()  # parked; visible through last_error
            event.save(update_fields=["attempts", "last_error", "next_attempt_at",
                                      "processed_at"])
            return False
        event.processed_at = timezone.now()
        event.attempts += 1
        event.save(update_fields=["processed_at", "attempts"])
        return True


def outbox_due_ids(limit: int = 500) -> list:
    return list(
        OutboxEvent.objects.filter(processed_at__isnull=True, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
