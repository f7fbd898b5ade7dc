"""The daily refunds digest: per store, one email to its staff listing the refunds that
failed and the money that is late or due soon against the statutory refund deadline
(``rebox.refunds.deadlines``), sent at most once per store and local day.

Who: owners and agents with an email address, and the store's support address. In the
store's default language (en, he, da, uk), with the back office's words (the same
catalogue). Nothing to report, or nobody to tell: no email.

Once per day, also when two runs race: the sender locks the store's row, then looks for
the audit entry ``refunds.digest_sent`` of that local day, sends, and records the entry in
the same transaction. A second run waits for the lock and then finds the entry (on
PostgreSQL each statement sees what was committed before it began). If sending fails the
transaction rolls back, no entry stays, and the next run tries again.

The job (``rebox.refunds.tasks.refunds_digest``) runs hourly; a store's digest goes with
the first run after ``DIGEST_HOUR`` in the store's time zone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rebox.core.actors import SYSTEM
from rebox.core.audit import audit_record
from rebox.core.models import AuditEntry, Membership, Role, Store
from rebox.refunds.deadlines import (
    DUE_SOON,
    LATE,
    Outstanding,
    deadlines_outstanding,
    store_today,
    store_zone,
)

logger = logging.getLogger("rebox.refunds")
ACTION = "refunds.digest_sent"
DIGEST_HOUR = 7
LANGUAGES = ("en", "he", "da", "uk")


@dataclass(frozen=True)
class DigestItem:
    number: str  # the refund's, or the return's when nothing was refunded yet
    is_refund: bool
    order: str
    ret: str
    amount_minor: int
    currency: str
    due: date | None
    error: str
    url: str


@dataclass(frozen=True)
class Digest:
    day: date
    failed: tuple[DigestItem, ...]
    late: tuple[DigestItem, ...]
    due_soon: tuple[DigestItem, ...]

    @property
    def empty(self) -> bool:
        return not (self.failed or self.late or self.due_soon)


def _item(owed: Outstanding) -> DigestItem:
    refund, ret = owed.refund, owed.ret
    if refund is not None:
        path = reverse("backoffice:refund", kwargs={"number": refund.number})
        return DigestItem(refund.number, True, refund.order.number, ret.number if ret else "",
                          refund.amount_minor, refund.currency, owed.deadline.due if owed.deadline else None,
                          " ".join(refund.last_error.split())[:300], settings.PUBLIC_URL + path)
    path = reverse("backoffice:return", kwargs={"number": ret.number})
    return DigestItem(ret.number, False, ret.order.number, ret.number, ret.value_minor, ret.currency,
                      owed.deadline.due, "", settings.PUBLIC_URL + path)


def digest_for(*, store: Store, today: date) -> Digest:
    """What the store's staff should hear about today: failed refunds (whatever their
    deadline), then the rest of what is owed that is late, then due soon."""
    owed = deadlines_outstanding(store=store, today=today)
    failed = [o for o in owed if o.failed]
    rest = [o for o in owed if not o.failed and o.deadline is not None]
    return Digest(day=today, failed=tuple(_item(o) for o in failed),
                  late=tuple(_item(o) for o in rest if o.deadline.state == LATE),
                  due_soon=tuple(_item(o) for o in rest if o.deadline.state == DUE_SOON))


def digest_recipients(store: Store) -> list[str]:
    """Owners and agents with an email address, and the store's support address, once each."""
    emails = list(Membership.objects.filter(store=store, role__in=[Role.OWNER, Role.AGENT],
                                            user__is_active=True)
                  .exclude(user__email="").order_by("user__email").values_list("user__email", flat=True))
    if store.support_email:
        emails.append(store.support_email)
    seen, unique = set(), []
    for email in emails:
        if email.lower() not in seen:
            seen.add(email.lower())
            unique.append(email)
    return unique


def digest_language(store: Store) -> str:
    language = (store.default_language or "en").split("-")[0].lower()
    return language if language in LANGUAGES else "en"


def digest_message(*, store: Store, digest: Digest, recipients: list[str]) -> EmailMultiAlternatives:
    """The email, rendered in the store's language and time zone."""
    with translation.override(digest_language(store)), timezone.override(store_zone(store)):
        context = {"store": store, "digest": digest, "language": digest_language(store),
                   "refunds_url": settings.PUBLIC_URL + reverse("backoffice:refunds"),
                   "rtl": translation.get_language_bidi()}
        subject = _("Refunds to look at in %(store)s: %(failed)s failed, %(late)s late, "
                    "%(soon)s due soon") % {"store": store.name, "failed": len(digest.failed),
                                            "late": len(digest.late), "soon": len(digest.due_soon)}
        text = render_to_string("backoffice/refunds/digest_email.txt", context)
        html = render_to_string("backoffice/refunds/digest_email.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=recipients,
                                     headers={"Auto-Submitted": "auto-generated"})
    message.attach_alternative(html, "text/html")
    return message


def already_sent(store: Store, day: date) -> bool:
    return AuditEntry.objects.filter(store=store, action=ACTION, subject_type="store", subject_id=store.pk,
                                     details__day=day.isoformat()).exists()


def digest_send(*, store: Store, now: datetime | None = None) -> str:
    """Send today's digest of ``store`` if it has one and it has not gone yet. Returns
    sent | nothing | no_recipients | already_sent."""
    today = store_today(store, now)
    if already_sent(store, today):
        return "already_sent"
    digest = digest_for(store=store, today=today)
    if digest.empty:
        return "nothing"
    recipients = digest_recipients(store)
    if not recipients:
        return "no_recipients"
    message = digest_message(store=store, digest=digest, recipients=recipients)
    with transaction.atomic():
        Store.objects.select_for_update().filter(pk=store.pk).first()
        if already_sent(store, today):
            return "already_sent"
        audit_record(store=store, actor=SYSTEM, action=ACTION, subject_type="store", subject_id=store.pk,
                     details={"day": today.isoformat(), "to": recipients, "failed": len(digest.failed),
                              "late": len(digest.late), "due_soon": len(digest.due_soon)})
        message.send()
    return "sent"


def digests_send(*, now: datetime | None = None) -> int:
    """Every store whose local time is past ``DIGEST_HOUR`` gets today's digest (once).
    One store's failure (its mail server, say) does not keep the others from theirs."""
    now = now or timezone.now()
    sent = 0
    for store in Store.objects.order_by("pk"):
        if timezone.localtime(now, store_zone(store)).hour < DIGEST_HOUR:
            continue
        try:
            sent += digest_send(store=store, now=now) == "sent"
        except Exception:  # noqa: BLE001 - logged; the next run tries this store again
            logger.exception("refunds digest of store %s", store.pk)
    return sent
