"""Fixtures: a real local SMTP server (aiosmtpd), a store that writes in four languages."""

import email
import email.policy
import socket
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from rebox.core.actors import SYSTEM
from rebox.orders.drafts import AddressDraft, CustomerDraft, LineDraft, OrderDraft, PaymentDraft
from rebox.orders.services import order_create
from rebox.testing import make_location, make_store, make_variant


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Inbox:
    """What the SMTP server accepted; addresses starting with "bounce" are refused (550)."""

    messages: list = field(default_factory=list)
    port: int = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("bounce"):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted"

    def message_ids(self) -> list[str]:
        return [m["Message-ID"] for m in self.messages]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on a free port, and Django's SMTP backend pointed at it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.port = controller.port
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield inbox
    controller.stop()


@pytest.fixture
def smtp_down(settings):
    """Django's SMTP backend pointed at a port where nothing listens."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_TIMEOUT = 2


@pytest.fixture
def shop(db):
    store = make_store("shop", name="Dune & Sea", currency="ILS", country="IL",
                       languages=("he", "en", "da", "uk"), time_zone="Asia/Jerusalem",
                       support_email="help@dune.example", branding={"primary_color": "#7c3aed"})
    make_location(store)
    make_variant(store, "SCARF-RED", price_minor=12_990, stock=50, title="Silk scarf")
    make_variant(store, "HAT-L", price_minor=4_500, stock=50, title="Sun hat")
    return store


@pytest.fixture
def place_order(shop, django_capture_on_commit_callbacks):
    """Place an order and run what follows its commit, as embedded mode does."""

    def place(*, language: str = "en", currency: str = "ILS", email: str = "dana@example.com",
              lines=(("SCARF-RED", 2, 12_990), ("HAT-L", 1, 4_500)), shipping_minor: int = 1_500,
              title: str = ""):
        total = sum(q * p for _, q, p in lines) + shipping_minor
        draft = OrderDraft(
            currency=currency, language=language,
            customer=CustomerDraft(email=email, name="Dana"),
            lines=[LineDraft(sku=s, quantity=q, unit_price_minor=p, title=title) for s, q, p in lines],
            shipping_address=AddressDraft(name="Dana Levi", line1="Herzl 1", city="Tel Aviv",
                                          postal_code="6100000", country="IL"),
            payments=[PaymentDraft(method="card", amount_minor=total, gateway="stripe")],
            shipping_minor=shipping_minor,
        )
        with django_capture_on_commit_callbacks(execute=True):
            return order_create(store=shop, draft=draft, actor=SYSTEM)

    return place


@pytest.fixture
def broker_loses_tasks(monkeypatch):
    """Notifications are stored but their send task never runs (a broker that lost it)."""
    monkeypatch.setattr("rebox.notifications.services._enqueue", lambda notification_id: None)


def become_due(notification) -> None:
    """Let the clock pass the notification's next attempt (a backoff or a claim's lease)."""
    type(notification).objects.filter(pk=notification.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1))


def parts(message) -> tuple[str, str]:
    """The text and the HTML part of a received message, decoded."""
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    return (text.get_content() if text else ""), (html.get_content() if html else "")


@pytest.fixture
def receiver(settings):
    """A real HTTP server on a free local port that records what integrators would receive."""
    from rebox.notifications.tests.receiver import start_receiver

    settings.REBOX_WEBHOOKS_ALLOW_INTERNAL = True  # the receiver lives on 127.0.0.1

    recorder, server = start_receiver()
    yield recorder
    server.shutdown()
    server.server_close()


@pytest.fixture
def broker_loses_webhooks(monkeypatch):
    """Deliveries are stored but their send task never runs (left to the sweep or the test)."""
    monkeypatch.setattr("rebox.notifications.webhooks.services._enqueue", lambda delivery_id: None)
