"""Back-office fixtures: a staff member of the `store` fixture, and orders placed for it."""

import time
from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache

from rebox.core.actors import Actor
from rebox.core.models import Membership, Role
from rebox.orders.drafts import AddressDraft, CustomerDraft, LineDraft, OrderDraft, PaymentDraft
from rebox.orders.services import order_create
from rebox.testing import make_variant

PASSWORD = "a-long-staff-passphrase"
STOREFRONT = Actor("integration", "Storefront")


def make_staff(username: str, *memberships: tuple, password: str = PASSWORD):
    user = get_user_model().objects.create_user(username=username, password=password)
    for store, role in memberships:
        Membership.objects.create(user=user, store=store, role=role)
    return user


def place_order(store, number: str, *, email: str = "ana@example.com", name: str = "Ana Jensen",
                placed_at: datetime | None = None, lines=(("TEE-M", 2, 25_000),),
                paid: bool = True, shipping_minor: int = 0):
    """Place an order through the real service; lines are (sku, quantity, unit price)."""
    for sku, _, price in lines:
        if not store.variants.filter(sku=sku).exists():
            make_variant(store, sku, price_minor=price, stock=50, title=f"Shirt {sku}")
    total = sum(q * p for _, q, p in lines) + shipping_minor
    draft = OrderDraft(
        number=number, currency=store.currency,
        customer=CustomerDraft(email=email, name=name),
        shipping_address=AddressDraft(name=name, line1="Nørregade 1", city="København",
                                      postal_code="1165", country="DK"),
        lines=[LineDraft(sku=sku, quantity=q, unit_price_minor=p) for sku, q, p in lines],
        shipping_minor=shipping_minor,
        placed_at=placed_at or datetime(2026, 3, 2, 10, 0, tzinfo=UTC),
        payments=[PaymentDraft(method="card", gateway="stripe", reference=f"ch_{number}",
                               amount_minor=total)] if paid else [],
    )
    return order_create(store=store, draft=draft, actor=STOREFRONT)


@pytest.fixture
def agent(store):
    return make_staff("agent@shop.example", (store, Role.AGENT))


@pytest.fixture
def staff_client(client, agent):
    client.force_login(agent)
    return client


@pytest.fixture
def owner(store):
    return make_staff("owner@shop.example", (store, Role.OWNER))


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def fresh_login_counters():
    """The log-in throttle's counters start at zero (in the per-process cache only: a shared
    Redis is never flushed)."""
    def clear():
        if "locmem" in settings.CACHES["default"]["BACKEND"]:
            cache.clear()

    clear()
    yield
    clear()


@pytest.fixture
def later(monkeypatch):
    """Move the clock (the cache's expiry included) forward by some seconds."""
    real = time.time
    return lambda seconds: monkeypatch.setattr(time, "time", lambda: real() + seconds)
