"""Sending exactly-once-ish: no duplicates across redelivery and crashes, retries with backoff."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from rebox.core.models import OutboxEvent
from rebox.core.outbox import outbox_deliver_event
from rebox.notifications import services
from rebox.notifications.models import Notification
from rebox.notifications.tasks import notification_deliver
from rebox.notifications.tests.conftest import become_due, free_port

pytestmark = pytest.mark.django_db


def test_a_redelivered_outbox_event_makes_no_second_email(smtp_server, place_order,
                                                           django_capture_on_commit_callbacks):
    order = place_order()
    event = OutboxEvent.objects.get(topic="order.placed", subject_id=order.pk)
    OutboxEvent.objects.filter(pk=event.pk).update(processed_at=None)  # as if never marked done

    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_deliver_event(event.pk) is True

    assert Notification.objects.filter(event_id=event.pk).count() == 1
    assert len(smtp_server.messages) == 1


def test_running_the_send_task_twice_sends_once(smtp_server, place_order, broker_loses_tasks):
    place_order()
    notification = Notification.objects.get()

    assert notification_deliver(str(notification.pk)) == "sent"
    assert notification_deliver(str(notification.pk)) == "skipped"

    assert len(smtp_server.messages) == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("sent", 1)
    assert smtp_server.messages[0]["Message-ID"] == notification.message_id


def test_a_worker_that_died_after_claiming_is_replaced_once_its_lease_ends(
        smtp_server, place_order, broker_loses_tasks):
    place_order()
    notification = Notification.objects.get()
    assert services._claim(notification.pk) is not None  # ... and the worker dies here

    assert services.notifications_sweep() == 0  # the claim still holds: nobody sends twice
    become_due(notification)
    assert services.notifications_sweep() == 1

    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("sent", 2)
    assert smtp_server.message_ids() == [notification.message_id]


def test_a_crash_after_the_server_accepted_resends_with_the_same_message_id(
        smtp_server, place_order, broker_loses_tasks, monkeypatch):
    """The documented window: the copy carries the same Message-ID, so receivers keep one."""
    place_order()
    notification = Notification.objects.get()
    with monkeypatch.context() as crash:
        crash.setattr(services, "_mark_sent", lambda claimed: (_ for _ in ()).throw(SystemExit))
        with pytest.raises(SystemExit):
            services.notification_send(notification_id=notification.pk)

    become_due(notification)
    services.notifications_sweep()

    assert smtp_server.message_ids() == [notification.message_id, notification.message_id]
    notification.refresh_from_db()
    assert notification.status == "sent"


def test_failed_sends_are_retried_with_exponential_backoff(smtp_server, place_order, settings,
                                                           broker_loses_tasks):
    place_order()
    notification = Notification.objects.get()
    settings.EMAIL_PORT = free_port()  # the mail server is down

    assert services.notification_send(notification_id=notification.pk) == "retry"
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("queued", 1)
    assert "Connection" in notification.last_error
    first_wait = notification.next_attempt_at - timezone.now()
    assert timedelta(seconds=8) < first_wait <= timedelta(seconds=10)
    assert services.notification_send(notification_id=notification.pk) == "skipped"  # not due yet

    become_due(notification)
    assert services.notification_send(notification_id=notification.pk) == "retry"
    notification.refresh_from_db()
    assert notification.attempts == 2
    assert timedelta(seconds=18) < notification.next_attempt_at - timezone.now() <= timedelta(seconds=20)

    settings.EMAIL_PORT = smtp_server.port  # back up
    become_due(notification)
    assert services.notifications_sweep() == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts, len(smtp_server.messages)) == ("sent", 3, 1)


def test_gives_up_after_the_last_attempt_and_keeps_the_error(smtp_down, place_order, broker_loses_tasks):
    place_order()
    notification = Notification.objects.get()

    for _ in range(services.MAX_ATTEMPTS):
        services.notification_send(notification_id=notification.pk)
        become_due(notification)
    services.notifications_sweep()

    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("failed", services.MAX_ATTEMPTS)
    assert "Connection" in notification.last_error


def test_a_recipient_the_server_refuses_for_good_fails_at_once(smtp_server, place_order):
    place_order(email="bounce@example.com")

    notification = Notification.objects.get()
    assert (notification.status, notification.attempts) == ("failed", 1)
    assert "550" in notification.last_error
    assert smtp_server.messages == []


def test_the_embedded_worker_sweep_sends_what_the_broker_never_did(smtp_server, place_order,
                                                                    broker_loses_tasks):
    place_order()
    assert smtp_server.messages == []

    call_command("worker", "--once")  # what `rebox worker` runs every second

    assert len(smtp_server.messages) == 1
    assert Notification.objects.get().status == "sent"


def test_embedded_mode_writes_each_message_as_a_file(settings, place_order):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"

    place_order(language="he")

    [mail_file] = Path(settings.EMAIL_FILE_PATH).iterdir()
    assert Notification.objects.get().message_id in mail_file.read_text()
