"""How a shopper reaches an order: a lookup that is rate-limited, then a signed link.

Lookups are counted in Django's cache (locmem in embedded mode, Redis when scaled), in
fixed windows: every attempt per client address, and failed attempts per order number, so
that guessing the email of one order is slow however many addresses try it. A success
gives a signed, expiring link to the order (stateless: nothing to store, works on any web
process); the order's id never appears in an address.
"""

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from rebox.core.clients import client_address
from rebox.core.links import LinkInvalid, link_subject, link_token
from rebox.core.models import Store
from rebox.orders.models import Order

ORDER_PURPOSE = "portal-order"
ORDER_MAX_AGE = timedelta(hours=2)
GIFT = "gift"

# Countries where the EU withdrawal function must be offered (EU member states and the EEA).
EU_EEA = frozenset({
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
    "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO"})


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def lookup_limits() -> tuple[int, int, int]:
    """(attempts per address, failures per order number, window in seconds)."""
    return (_setting("REBOX_PORTAL_LOOKUPS_PER_ADDRESS", 10),
            _setting("REBOX_PORTAL_FAILURES_PER_ORDER", 5),
            _setting("REBOX_PORTAL_LOOKUP_WINDOW_SECONDS", 3600))


def _key(kind: str, store: Store, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"rebox:portal:{kind}:{store.pk}:{digest}"


def _count(key: str) -> int:
    value = cache.get(key)
    return int(value) if value else 0


def _bump(key: str, window: int) -> None:
    if cache.add(key, 1, window):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)


def lookup_blocked(request: HttpRequest, store: Store, number: str = "") -> bool:
    per_address, per_order, _window = lookup_limits()
    if _count(_key("address", store, client_address(request))) >= per_address:
        return True
    return bool(number) and _count(_key("order", store, number)) >= per_order


def lookup_counted(request: HttpRequest, store: Store, *, number: str = "", failed: bool) -> None:
    """Count one attempt from this address, and a failure against the order number."""
    _per_address, _per_order, window = lookup_limits()
    _bump(_key("address", store, client_address(request)), window)
    if failed and number:
        _bump(_key("order", store, number), window)


@dataclass(frozen=True)
class OrderAccess:
    order: Order
    gift: bool  # reached with a gift receipt code: no prices, credit or exchange only


def order_token(order: Order, *, gift: bool = False) -> str:
    return link_token(ORDER_PURPOSE, store_id=order.store_id, subject=order.number,
                      extra=GIFT if gift else "")


def order_for_token(store: Store, token: str) -> OrderAccess:
    """The order a portal link was made for, in this store; LinkInvalid otherwise."""
    subject = link_subject(ORDER_PURPOSE, token, max_age=ORDER_MAX_AGE)
    if subject.store_id != store.pk:
        raise LinkInvalid("another store")
    order = Order.objects.filter(store=store, number=subject.subject).first()
    if order is None:
        raise LinkInvalid("no such order")
    return OrderAccess(order=order, gift=subject.extra == GIFT)


def sells_into_eu(store: Store) -> bool:
    """Whether the lookup page shows the withdrawal entry: an EU/EEA store, or one that has
    shipped orders into the EU/EEA (remembered for an hour)."""
    if store.country.upper() in EU_EEA:
        return True
    key = f"rebox:portal:sells-eu:{store.pk}"
    known = cache.get(key)
    if known is None:
        known = Order.objects.filter(store=store, shipping_address__country__in=sorted(EU_EEA)).exists()
        cache.set(key, known, 3600)
    return bool(known)


def ships_into_eu(order: Order) -> bool:
    return str(order.shipping_country).upper() in EU_EEA
