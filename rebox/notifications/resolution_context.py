"""What the resolution emails are filled with: a refund issued, store credit available, an
exchange on its way, a goodwill code, the thank-you that closes a return.

Rows of the refunds app are read where they exist (imported lazily: the notifications
install and test without it); exchanges and goodwill are told from their event's payload,
and the new order of an exchange from the orders app when it is there already.
"""

from rebox.core.models import OutboxEvent, Store
from rebox.core.money import Money
from rebox.notifications import goodwill
from rebox.notifications import resolution_words as words
from rebox.notifications.compose import direction
from rebox.notifications.return_context import local_day, status_link
from rebox.orders.models import Order
from rebox.returns.models import Return


def letter_base(*, store: Store, language: str, ret: Return | None, order: Order | None,
                name: str = "") -> dict:
    return {**direction(language), "store": store, "brand_color": store.brand_color,
            "support_email": store.support_email, "name": name,
            "number": ret.number if ret is not None else "",
            "order_number": order.number if order is not None else "",
            "status_url": status_link(ret) if ret is not None else ""}


def refund_method(refund) -> str:
    """How the money went back, as a key of ``resolution_words``: the payment's method, or
    ``manual`` when staff paid a gateway payment back another way."""
    if refund.gateway == "manual" and refund.payment.gateway not in ("", "manual"):
        return "manual"
    method = refund.payment.method
    return method if method in words.METHOD_NAMES["en"] else "other"


def refund_context(refund, *, language: str, name: str) -> dict:
    method = refund_method(refund)
    return {**letter_base(store=refund.store, language=language, ret=refund.ret, order=refund.order,
                          name=name),
            "amount": Money(refund.amount_minor, refund.currency).format(language),
            "refund_number": refund.number, "refunded_to": words.REFUNDED_TO[language][method],
            "method_name": words.METHOD_NAMES[language][method],
            "timing": words.TIMING[language][words.TIMING_OF_METHOD[method]]}


def credit_issue_entries(account, *, event: OutboxEvent, ret: Return | None) -> tuple[object | None, int]:
    """The ``issued`` entry this event announced and its bonus (one return may issue
    several, one per in-store payment: the one whose amount and bonus make the event's)."""
    from rebox.refunds.models import CreditEntry

    issues = account.entries.filter(kind=CreditEntry.Kind.ISSUED, created_at__lte=event.created_at)
    if ret is not None:
        issues = issues.filter(ret=ret)
    candidates = []
    for issue in issues.order_by("-pk")[:20]:
        bonus = sum(account.entries.filter(kind=CreditEntry.Kind.BONUS,
                                           idempotency_key=f"{issue.idempotency_key}:bonus")
                    .values_list("amount_minor", flat=True)) if issue.idempotency_key else 0
        if issue.amount_minor + bonus == event.payload.get("amount_minor"):
            return issue, bonus
        candidates.append((issue, bonus))
    return candidates[0] if candidates else (None, 0)


def credit_context(account, *, event: OutboxEvent, ret: Return | None, language: str, name: str) -> dict:
    payload = event.payload
    currency = payload.get("currency") or account.currency
    issue, bonus = credit_issue_entries(account, event=event, ret=ret)
    amount = payload.get("amount_minor") or (issue.amount_minor + bonus if issue else 0)
    expires = issue.expires_at if issue is not None else None
    return {**letter_base(store=account.store, language=language, ret=ret,
                          order=ret.order if ret is not None else None, name=name),
            "amount": Money(amount, currency).format(language),
            "bonus": Money(bonus, currency).format(language) if bonus else "",
            "code": payload.get("code") or account.code,
            "expires": local_day(expires, store=account.store, language=language)}


def exchange_context(*, store: Store, ret: Return | None, new_order: Order | None, new_number: str,
                     offer_payload: dict | None, language: str, name: str) -> dict:
    lines = list(new_order.lines.all().order_by("pk")) if new_order is not None else []
    currency = ret.currency or ret.order.currency if ret is not None else store.currency
    return {**letter_base(store=store, language=language, ret=ret,
                          order=ret.order if ret is not None else None, name=name),
            "new_order_number": new_number,
            "lines": [{"title": line.title, "sku": line.sku, "quantity": line.quantity} for line in lines],
            "offer": goodwill.offer(offer_payload, store=store, currency=currency, language=language)}


def goodwill_context(payload: dict, *, store: Store, ret: Return | None, order: Order | None,
                     language: str, name: str) -> dict:
    currency = order.currency if order is not None else store.currency
    return {**letter_base(store=store, language=language, ret=ret, order=order, name=name),
            "offer": goodwill.offer(payload, store=store, currency=currency, language=language)}


def thank_you_context(ret: Return, language: str) -> dict:
    """For the return table's thank-you: how it was made right, and a goodwill code if the
    return has one (read under the return's lock: see ``goodwill``)."""
    goodwill.lock_return(ret)
    return {"settled": words.SETTLED[language].get(ret.resolution, ""),
            "offer": goodwill.offer(goodwill.goodwill_for_return(ret), store=ret.store,
                                    currency=ret.currency or ret.order.currency, language=language)}
