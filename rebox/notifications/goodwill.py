"""A goodwill code in an email: what it is worth, until when, and which letter carries it.

Goodwill (a discount code for a future purchase, granted by staff) is announced by the
event ``goodwill.granted`` (payload: ``code``, ``value``, ``expiry``, ``return`` and/or
``order``). The notifications read only that payload, never the goodwill app's rows, so
they work in an install without it.

The code reaches the customer once, in the first letter that can carry it: the letter
that closes the return (the thank-you, or the exchange letter for an exchange) when the
return is still on its way there; a letter of its own otherwise (the return's letter went
out already, the return will not be resolved, or the goodwill is about an order). Both
paths lock the return row before they decide, so the two cannot both miss it or both
carry it.
"""

from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

from django.db.models import Q

from rebox.core.models import OutboxEvent, Store
from rebox.core.money import Money
from rebox.notifications import resolution_words as words
from rebox.notifications.models import Notification
from rebox.notifications.models import NotificationKind as K
from rebox.notifications.return_context import local_day
from rebox.returns.models import Resolution, Return
from rebox.returns.states import RELEASED
from rebox.returns.states import ReturnStatus as S

GOODWILL_TOPIC = "goodwill.granted"


def payload_return_number(payload: dict) -> str:
    """The return an event names (``return`` as a number or an object, or ``return_number``)."""
    value = payload.get("return") or payload.get("return_number") or ""
    if isinstance(value, dict):
        value = value.get("number") or ""
    return str(value)


def goodwill_for_return(ret: Return) -> dict | None:
    """The latest goodwill granted with this return (its event's payload), if any."""
    event = (OutboxEvent.objects.filter(store_id=ret.store_id, topic=GOODWILL_TOPIC)
             .filter(Q(payload__return=ret.number) | Q(payload__return_number=ret.number)
                     | Q(payload__return__number=ret.number))
             .order_by("-created_at").first())
    return event.payload if event is not None and event.payload.get("code") else None


def closing_kind(ret: Return) -> str:
    """The letter that closes this return for the customer."""
    return K.EXCHANGE_CREATED if ret.resolution == Resolution.EXCHANGE else K.RETURN_RESOLVED


def lock_return(ret: Return) -> None:
    """Serialise the two paths that may carry a code (see the module's docstring)."""
    Return.objects.select_for_update().filter(pk=ret.pk).first()


def carried_by_closing_letter(ret: Return, *, code: str) -> bool:
    """True when the return's closing letter carries (or will carry) the code ``code``."""
    lock_return(ret)
    letters = Notification.objects.filter(store_id=ret.store_id, subject_type="return", subject_id=ret.pk,
                                          kind=closing_kind(ret))
    if letters.exists():
        return any(code in letter.text for letter in letters)
    return closing_letter_pending(ret)


def closing_letter_pending(ret: Return) -> bool:
    """The closing letter is still to be written: the return has not reached it yet, or the
    event that writes it waits in the outbox."""
    if ret.status in RELEASED:
        return False
    exchange = ret.resolution == Resolution.EXCHANGE
    reached = ret.status == S.CLOSED if exchange else ret.status in (S.RESOLVED, S.CLOSED)
    if not reached:
        return True
    topic = "exchange.created" if exchange else "return.resolved"
    return (OutboxEvent.objects.filter(store_id=ret.store_id, topic=topic, processed_at__isnull=True)
            .filter(Q(subject_type="return", subject_id=ret.pk) | Q(payload__return=ret.number)
                    | Q(payload__return_number=ret.number)).exists())


def offer(payload: dict | None, *, store: Store, currency: str, language: str) -> dict | None:
    """The code, what it is worth and until when, in ``language``; None without a code."""
    if not payload or not payload.get("code"):
        return None
    phrases = words.OFFER[language]
    expiry = _day(payload.get("expiry") or payload.get("expires_at") or payload.get("valid_until"))
    return {"code": str(payload["code"]), "worth": _worth(payload, currency=currency, language=language),
            "until": phrases["until"].format(day=local_day(expiry, store=store, language=language))
            if expiry else ""}


def _worth(payload: dict, *, currency: str, language: str) -> str:
    """``value`` is a percentage (``"10%"``, or a number with ``kind: percent``) or an
    amount in minor units (``value_minor``/``amount_minor``, or ``kind: amount``)."""
    phrases = words.OFFER[language]
    value = payload.get("value")
    if isinstance(value, dict):
        payload, value = {**payload, **value}, value.get("value")
    kind = str(payload.get("kind") or payload.get("type") or "")
    percent = payload.get("percent") or payload.get("percent_off")
    if percent is None and isinstance(value, str) and value.strip().endswith("%"):
        percent = value.strip().rstrip("%").strip()
    if percent is None and kind.startswith("percent"):
        percent = value
    if percent is not None:
        return phrases["percent"].format(percent=_number(percent))
    minor = payload.get("value_minor") or payload.get("amount_minor")
    if minor is None and isinstance(value, int) and kind in ("amount", "fixed", "fixed_amount"):
        minor = value
    if isinstance(minor, int) and minor > 0:
        amount = Money(minor, str(payload.get("currency") or currency)).format(language)
        return phrases["amount"].format(amount=amount)
    return phrases["plain"]


def _number(value) -> str:
    try:
        return format(Decimal(str(value)).normalize(), "f")
    except InvalidOperation:
        return str(value)


def _day(value) -> date | datetime | None:
    if isinstance(value, date | datetime):
        return value
    text = str(value or "")
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
