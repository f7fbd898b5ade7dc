"""Emails of the return journey: which event writes which letter to whom (one table).

Each row names the kind (its templates are ``notifications/email/<kind>.<lang>.txt|html``),
who receives it and, for the label, what is attached. ``return_email_queue`` is the one
outbox handler for every topic of the table; like the order emails it stores one
Notification per (event, kind, recipient), so a redelivered event sends nothing twice.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from rebox.catalog.models import Supplier
from rebox.core.models import OutboxEvent
from rebox.notifications.compose import first_email_language, render_email
from rebox.notifications.labels import label_for_email
from rebox.notifications.models import Notification
from rebox.notifications.models import NotificationKind as K
from rebox.notifications.resolution_context import thank_you_context
from rebox.notifications.return_context import return_context
from rebox.notifications.services import Attachment, notification_for_event, notification_store
from rebox.returns.models import Resolution, Return

logger = logging.getLogger(__name__)

@dataclass(frozen=True)
class Recipient:
    email: str
    language: str
    name: str = ""
    supplier: Supplier | None = None


def to_customer(ret: Return, payload: dict) -> Recipient:
    """Whoever asked for the return, in their language; a gift's recipient is not the buyer,
    so the order's name is not theirs."""
    order = ret.order
    return Recipient(email=ret.email or order.email,
                     language=first_email_language(ret.language, order.language, ret.store.default_language),
                     name="" if ret.gift or not order.customer_id else order.customer.name)


def to_buyer(ret: Return, payload: dict) -> Recipient:
    order = ret.order
    return Recipient(email=order.email,
                     language=first_email_language(order.language, ret.store.default_language),
                     name=order.customer.name if order.customer_id else "")


def to_supplier(ret: Return, payload: dict) -> Recipient:
    code = payload.get("supplier") or payload.get("supplier_code") or ""
    supplier = Supplier.objects.filter(store_id=ret.store_id, code=code).first()
    if supplier is None:  # retrying cannot make one appear: say so and write to no one
        logger.warning("return %s routed to unknown supplier %r: no email", ret.number, code)
        return Recipient(email="", language="en")
    return Recipient(email=supplier.email,
                     language=first_email_language(supplier.language, ret.store.default_language),
                     name=supplier.contact_name or supplier.name, supplier=supplier)


def is_exchange(ret: Return) -> bool:
    return ret.resolution == Resolution.EXCHANGE


@dataclass(frozen=True)
class ReturnEmail:
    kind: str
    to: Callable[[Return, dict], Recipient]
    withdrawal_kind: str = ""  # an EU withdrawal is acknowledged by this letter instead
    with_label: bool = False
    unless: Callable[[Return], bool] | None = None  # no letter for a return this says yes to
    more: Callable[[Return, str], dict] | None = None  # context of this letter alone (ret, language)


RETURN_EMAILS: dict[str, ReturnEmail] = {
    "return.requested": ReturnEmail(K.RETURN_REQUESTED, to_customer, withdrawal_kind=K.WITHDRAWAL_RECEIVED),
    "return.approved": ReturnEmail(K.RETURN_APPROVED, to_customer),
    "return.declined": ReturnEmail(K.RETURN_DECLINED, to_customer),
    "return.info_requested": ReturnEmail(K.RETURN_INFO_REQUESTED, to_customer),
    "parcel.label_ready": ReturnEmail(K.RETURN_LABEL_READY, to_customer, with_label=True),
    "return.received": ReturnEmail(K.RETURN_RECEIVED, to_customer),
    "return.inspected": ReturnEmail(K.RETURN_INSPECTED, to_customer),
    "return.expiry_reminder": ReturnEmail(K.RETURN_EXPIRY_REMINDER, to_customer),
    "return.expired": ReturnEmail(K.RETURN_EXPIRED, to_customer),
    # the thank-you, with a goodwill code when the return has one; an exchange's letter is
    # the exchange's own (``resolution_emails``)
    "return.resolved": ReturnEmail(K.RETURN_RESOLVED, to_customer, unless=is_exchange,
                                   more=thank_you_context),
    "return.gift_buyer_notice": ReturnEmail(K.GIFT_BUYER_NOTICE, to_buyer),
    "supplier.return_routed": ReturnEmail(K.SUPPLIER_RETURN_ROUTED, to_supplier),
}


def return_for_event(event: OutboxEvent) -> Return:
    """The return an event is about: its subject, or the number in its payload (parcels)."""
    returns = Return.objects.select_related("store", "order", "order__customer")
    if event.subject_type == "return":
        return returns.get(pk=event.subject_id, store_id=event.store_id)
    return returns.get(store_id=event.store_id, number=event.payload["number"])


def email_kind(entry: ReturnEmail, *, ret: Return, payload: dict) -> str:
    if entry.withdrawal_kind and (ret.withdrawal or payload.get("withdrawal")):
        return entry.withdrawal_kind
    return entry.kind


def return_email_queue(*, event: OutboxEvent) -> Notification | None:
    """Store the letter the table says for ``event``, once per event and recipient."""
    entry = RETURN_EMAILS[event.topic]
    ret = return_for_event(event)
    if entry.unless is not None and entry.unless(ret):
        return None
    kind = email_kind(entry, ret=ret, payload=event.payload)
    recipient = entry.to(ret, event.payload)
    if not recipient.email:
        return None
    existing = notification_for_event(event=event, kind=kind, recipient=recipient.email)
    if existing is not None:
        return existing  # a redelivered event
    context = return_context(ret=ret, kind=kind, language=recipient.language, payload=event.payload,
                             name=recipient.name, supplier=recipient.supplier)
    if entry.more is not None:
        context.update(entry.more(ret, recipient.language))
    attachment: Attachment | None = None
    if entry.with_label:
        label = label_for_email(ret=ret, payload=event.payload)
        context.update(label_url=label.url, attached=label.attachment is not None, is_qr=label.is_qr)
        attachment = label.attachment
    email = render_email(kind=kind, language=recipient.language, context=context)
    return notification_store(event=event, kind=kind, store=ret.store, recipient=recipient.email,
                              subject_type="return", subject_id=ret.pk, email=email,
                              attachment=attachment)
