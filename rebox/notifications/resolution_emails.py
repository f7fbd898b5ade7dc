"""Emails that close the loop of a resolution: which event writes which letter (one table).

The machinery is the return journey's (``return_emails``): a recipient in their language
(the return's, else the order's, else the store's default), the templates
``notifications/email/<kind>.<lang>.txt|html``, and one Notification per (event, kind,
recipient), so a redelivered event sends nothing twice. What differs is only what the
event is about: a refund, a credit account, an exchange or a goodwill code, each with a
return or not. ``refund.failed`` writes to no customer (staff see it in the back office);
the thank-you after ``return.resolved`` is a row of the return table.
"""

from collections.abc import Callable
from dataclasses import dataclass

from rebox.core.models import OutboxEvent, Store
from rebox.notifications import goodwill
from rebox.notifications import resolution_context as fill
from rebox.notifications.compose import first_email_language, render_email
from rebox.notifications.models import Notification
from rebox.notifications.models import NotificationKind as K
from rebox.notifications.return_emails import Recipient, to_buyer, to_customer
from rebox.notifications.services import notification_for_event, notification_store
from rebox.orders.models import Order
from rebox.returns.models import Return


@dataclass(frozen=True)
class Letter:
    """One email, ready to compose: to whom, about which row, filled with what."""

    recipient: Recipient
    store: Store
    subject_type: str
    subject_id: int
    context: dict


def to_payer(order: Order, ret: Return | None) -> Recipient:
    """Money goes back to whoever paid: the customer of the return, the buyer of a gift."""
    if ret is not None:
        return to_buyer(ret, {}) if ret.gift else to_customer(ret, {})
    language = first_email_language(order.language, order.store.default_language)
    name = order.customer.name if order.customer_id else ""
    return Recipient(email=order.email, language=language, name=name)


def _return(store_id: int, number: str) -> Return | None:
    if not number:
        return None
    return (Return.objects.select_related("store", "order", "order__customer")
            .filter(store_id=store_id, number=number).first())


def refund_letter(event: OutboxEvent) -> Letter | None:
    from rebox.refunds.models import Refund

    refund = (Refund.objects.select_related("store", "order", "order__store", "order__customer", "payment",
                                            "ret", "ret__store", "ret__order", "ret__order__customer")
              .filter(pk=event.subject_id, store_id=event.store_id).first())
    if refund is None:
        return None
    to = to_payer(refund.order, refund.ret)
    return Letter(to, refund.store, "refund", refund.pk,
                  fill.refund_context(refund, language=to.language, name=to.name))


def credit_letter(event: OutboxEvent) -> Letter | None:
    """To the account's owner (the code spends all of their credit, so only they get it), in
    the language of the return, else of their latest order here, else their own, else the store's."""
    from rebox.refunds.models import CreditAccount

    account = (CreditAccount.objects.select_related("store", "customer")
               .filter(pk=event.subject_id, store_id=event.store_id).first())
    if account is None:
        return None
    ret = _return(event.store_id, goodwill.payload_return_number(event.payload))
    customer = account.customer
    order = ret.order if ret is not None else (
        Order.objects.filter(store_id=account.store_id, customer=customer).order_by("-placed_at").first())
    language = first_email_language(ret.language if ret is not None and not ret.gift else "",
                                    order.language if order is not None else "", customer.language,
                                    account.store.default_language)
    to = Recipient(email=event.payload.get("email") or customer.email, language=language, name=customer.name)
    return Letter(to, account.store, "credit", account.pk,
                  fill.credit_context(account, event=event, ret=ret, language=language, name=to.name))


def new_order_number(payload: dict, *, ret: Return | None) -> str:
    """The exchange's new order: ``new_order`` (or ``exchange_order``), else an ``order``
    that is not the original one."""
    for key in ("new_order", "exchange_order", "new_order_number", "order"):
        value = payload.get(key)
        value = value.get("number") if isinstance(value, dict) else value
        if value and (ret is None or str(value) != ret.order.number):
            return str(value)
    return ""


def exchange_letter(event: OutboxEvent) -> Letter | None:
    payload = event.payload
    ret = (_return(event.store_id, goodwill.payload_return_number(payload) or payload.get("number", ""))
           if event.subject_type != "return" else
           Return.objects.select_related("store", "order", "order__customer")
           .filter(pk=event.subject_id, store_id=event.store_id).first())
    number = new_order_number(payload, ret=ret)
    orders = Order.objects.select_related("store", "customer").filter(store_id=event.store_id)
    new_order = orders.filter(number=number).first() if number else None
    if ret is None and new_order is None:
        return None
    store = ret.store if ret is not None else new_order.store
    to = to_customer(ret, payload) if ret is not None else to_payer(new_order, None)
    offer_payload = payload.get("goodwill") if isinstance(payload.get("goodwill"), dict) else None
    if offer_payload is None and ret is not None:
        goodwill.lock_return(ret)
        offer_payload = goodwill.goodwill_for_return(ret)
    subject = ("return", ret.pk) if ret is not None else ("order", new_order.pk)
    return Letter(to, store, *subject, fill.exchange_context(
        store=store, ret=ret, new_order=new_order, new_number=number, offer_payload=offer_payload,
        language=to.language, name=to.name))


def goodwill_letter(event: OutboxEvent) -> Letter | None:
    """A letter of its own only when no closing letter of the return carries the code."""
    payload = event.payload
    if not payload.get("code"):
        return None  # compensation without a code (a refund, a replacement) has its own emails
    ret = _return(event.store_id, goodwill.payload_return_number(payload))
    if ret is not None and goodwill.carried_by_closing_letter(ret, code=str(payload["code"])):
        return None
    order_number = payload.get("order")
    order_number = order_number.get("number") if isinstance(order_number, dict) else order_number
    order = ret.order if ret is not None else (
        Order.objects.select_related("store", "customer").filter(store_id=event.store_id, number=order_number)
        .first() if order_number else None)
    if order is None:
        return None
    to = to_customer(ret, payload) if ret is not None else to_payer(order, None)
    subject = ("return", ret.pk) if ret is not None else ("order", order.pk)
    return Letter(to, order.store, *subject, fill.goodwill_context(
        payload, store=order.store, ret=ret, order=order, language=to.language, name=to.name))


@dataclass(frozen=True)
class ResolutionEmail:
    kind: str
    letter: Callable[[OutboxEvent], Letter | None]


RESOLUTION_EMAILS: dict[str, ResolutionEmail] = {
    "refund.succeeded": ResolutionEmail(K.REFUND_ISSUED, refund_letter),
    "credit.issued": ResolutionEmail(K.CREDIT_ISSUED, credit_letter),
    "exchange.created": ResolutionEmail(K.EXCHANGE_CREATED, exchange_letter),
    "goodwill.granted": ResolutionEmail(K.GOODWILL_OFFER, goodwill_letter),
}


def resolution_email_queue(*, event: OutboxEvent) -> Notification | None:
    """Store the letter the table says for ``event``, once per event and recipient."""
    entry = RESOLUTION_EMAILS[event.topic]
    letter = entry.letter(event)
    if letter is None or not letter.recipient.email:
        return None
    existing = notification_for_event(event=event, kind=entry.kind, recipient=letter.recipient.email)
    if existing is not None:
        return existing  # a redelivered event
    email = render_email(kind=entry.kind, language=letter.recipient.language, context=letter.context)
    return notification_store(event=event, kind=entry.kind, store=letter.store,
                              recipient=letter.recipient.email, subject_type=letter.subject_type,
                              subject_id=letter.subject_id, email=email)
