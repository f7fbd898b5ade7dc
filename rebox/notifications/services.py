"""Notification commands: queue one for an event, send it, sweep the ones that are due.

Sending is exactly-once-ish, in four steps:

1. ``notification_queue`` (orders) and ``return_emails.return_email_queue`` (the return
   journey) compose the message, with its attachment if any, and ``notification_store``
   keeps it in the outbox handler's transaction. The unique (event_id, kind, recipient)
   turns a redelivered event into a no-op: one event never makes a second notification.
2. ``notification_send`` claims the row with one conditional UPDATE (queued, or a claim
   that expired → ``sending``, attempts + 1, lease until now + SENDING_LEASE) in its own
   committed transaction (``rebox.core.lease``, shared with webhook deliveries). Of any
   number of workers racing for a row, one wins; a ``sent`` or ``failed`` row is never
   claimed again.
3. The winner hands the message to Django's mail backend with a Message-ID derived from the
   notification id (``<uuid@domain>``), the same on every attempt, then marks the row sent.
4. A failure puts the row back to ``queued`` with exponential backoff (attempts and
   last_error recorded), or to ``failed`` after MAX_ATTEMPTS or a permanent refusal; failed
   rows stay visible on the staff mail page.

The window that remains, honestly: if the process dies (or the database is unreachable)
after the SMTP server accepted the message but before the row is marked sent, the claim
expires after SENDING_LEASE and the sweep sends the message again. The copy carries the same
Message-ID, so receivers that deduplicate by Message-ID (most mail stores and clients) keep
one. Closing the window completely would need the SMTP server to join our transaction,
which SMTP cannot do. Likewise a send slower than SENDING_LEASE could overlap a retry; the
lease is far longer than EMAIL_TIMEOUT for that reason.
"""

import logging
import smtplib
import uuid
from dataclasses import dataclass
from datetime import timedelta
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from rebox.core.lease import Lease
from rebox.core.models import OutboxEvent, Store
from rebox.notifications.compose import ComposedEmail, compose, email_language
from rebox.notifications.models import Notification, NotificationStatus
from rebox.orders.models import Order, Shipment

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8  # about 21 minutes of retries with the outbox's backoff
SENDING_LEASE = timedelta(minutes=5)
Status = NotificationStatus
SENDING = Lease(model=Notification, waiting=Status.QUEUED, holding=Status.SENDING,
                done=Status.SENT, failed=Status.FAILED, duration=SENDING_LEASE,
                max_attempts=MAX_ATTEMPTS)


@dataclass(frozen=True)
class Attachment:
    name: str
    content_type: str
    content: bytes

    def fields(self) -> dict:
        return {"attachment_name": self.name, "attachment_type": self.content_type,
                "attachment": self.content}


def notification_queue(*, event: OutboxEvent, kind: str, order: Order,
                       shipment: Shipment | None = None) -> Notification:
    """Store the email ``kind`` about ``order`` for its customer, once per event."""
    recipient = order.email.strip().lower()
    existing = notification_for_event(event=event, kind=kind, recipient=recipient)
    if existing is not None:
        return existing  # a redelivered event
    store = order.store
    language = email_language(order=order, store=store)
    email = compose(kind=kind, store=store, order=order, language=language, shipment=shipment)
    return notification_store(event=event, kind=kind, store=store, recipient=recipient,
                              subject_type="order", subject_id=order.pk, email=email)


def notification_for_event(*, event: OutboxEvent, kind: str, recipient: str) -> Notification | None:
    """The message this event already made for this recipient (a redelivered event)."""
    return Notification.objects.filter(event_id=event.pk, kind=kind,
                                       recipient=recipient.strip().lower()).first()


def notification_store(*, event: OutboxEvent, kind: str, store: Store, recipient: str,
                       subject_type: str, subject_id: int, email: ComposedEmail,
                       attachment: Attachment | None = None) -> Notification:
    """Keep a composed email, once per (event, kind, recipient), and send it after commit."""
    recipient = recipient.strip().lower()
    notification_id = uuid.uuid4()
    now = timezone.now()
    notification, created = Notification.objects.get_or_create(
        event_id=event.pk, kind=kind, recipient=recipient,
        defaults={
            "id": notification_id, "store": store, "subject_type": subject_type,
            "subject_id": subject_id, "language": email.language, "subject": email.subject,
            "text": email.text, "html": email.html, "created_at": now, "next_attempt_at": now,
            "message_id": f"<{notification_id}@{_mail_domain()}>",
            **(attachment.fields() if attachment else {}),
        },
    )
    if created:
        transaction.on_commit(lambda: _enqueue(notification.pk))
    return notification


def _enqueue(notification_id) -> None:
    from rebox.notifications.tasks import notification_deliver

    try:
        notification_deliver.delay(str(notification_id))
    except Exception:  # noqa: BLE001 - broker down: the sweep sends it
        logger.warning("notification %s not enqueued; the sweep will send it", notification_id)


def notification_send(*, notification_id) -> str:
    """Send one notification if it is due: "sent", "retry", "failed" or "skipped".

    Call it outside any transaction (tasks do): the claim must be committed before the
    message leaves, so that another worker sees it.
    """
    claimed = _claim(notification_id)
    if claimed is None:
        return "skipped"  # sent, failed, not due yet, or another worker has it
    try:
        _email_for(claimed).send(fail_silently=False)
    except Exception as exc:  # noqa: BLE001 - every failure is recorded and retried
        return _record_failure(claimed, exc)
    _mark_sent(claimed)
    return "sent"


def notifications_sweep(*, limit: int = 100) -> int:
    """Send what is due (first tries a broker never ran, retries, expired claims)."""
    SENDING.give_up_abandoned(
        why="A worker stopped while sending (the message may have gone out); "
            f"gave up after {MAX_ATTEMPTS} attempts.")
    return sum(notification_send(notification_id=pk) == "sent"
               for pk in SENDING.due_ids(limit=limit))


def _claim(notification_id) -> Notification | None:
    return SENDING.claim(notification_id, related=("store",))


def _mark_sent(claimed: Notification) -> None:
    # Whoever holds the claim now, the message is out: never send it again.
    SENDING.finish(claimed, sent_at=timezone.now())


def _record_failure(claimed: Notification, exc: Exception) -> str:
    outcome = SENDING.fail(claimed, error=f"{type(exc).__name__}: {exc}", permanent=_is_permanent(exc))
    logger.warning("notification %s attempt %s failed: %s", claimed.pk, claimed.attempts, exc)
    return outcome


def _is_permanent(exc: Exception) -> bool:
    """The server refused every recipient for good (5xx): retrying cannot help."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return bool(exc.recipients) and all(code >= 500 for code, _ in exc.recipients.values())
    return False


def _mail_domain() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "rebox.localhost"


def _email_for(notification: Notification) -> EmailMultiAlternatives:
    store = notification.store
    sender = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    email = EmailMultiAlternatives(
        subject=notification.subject, body=notification.text,
        from_email=formataddr((store.name, sender)), to=[notification.recipient],
        reply_to=[store.support_email] if store.support_email else None,
        headers={
            "Message-ID": notification.message_id,
            "Auto-Submitted": "auto-generated",
            "Content-Language": notification.language,
            "X-Rebox-Event-ID": str(notification.event_id),
        },
    )
    email.attach_alternative(notification.html, "text/html")
    if notification.attachment_name:
        email.attach(notification.attachment_name, bytes(notification.attachment),
                     notification.attachment_type or "application/octet-stream")
    return email
