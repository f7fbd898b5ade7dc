"""The emails customers receive, through a real SMTP server, in their own language."""

import pytest
from django.utils import timezone

from rebox.core.actors import SYSTEM
from rebox.core.money import Money
from rebox.notifications.models import Notification
from rebox.notifications.tests.conftest import parts
from rebox.orders.shipments import TrackingUpdate, shipment_create, tracking_event_record

pytestmark = pytest.mark.django_db


def test_hebrew_customer_receives_a_right_to_left_confirmation_with_both_parts(smtp_server, place_order):
    order = place_order(language="he")

    [message] = smtp_server.messages
    text, html = parts(message)
    assert message["To"] == "dana@example.com"
    assert order.number in message["Subject"] and "אושרה" in message["Subject"]
    assert 'dir="rtl"' in html and 'lang="he"' in html
    assert "תודה על ההזמנה" in html and "תודה על ההזמנה" in text
    total = Money(order.total_minor, "ILS").format("he")
    assert "₪" in total and total in html and total in text
    assert "Silk scarf" in html and "Sun hat" in text
    assert "Dune &amp; Sea" in html and "#7c3aed" in html and "help@dune.example" in html
    assert message["Reply-To"] == "help@dune.example"


def test_danish_customer_receives_the_confirmation_in_danish_with_danish_amounts(smtp_server, place_order):
    order = place_order(language="da", currency="DKK", lines=(("SCARF-RED", 1, 123_456),),
                        shipping_minor=0)

    [message] = smtp_server.messages
    text, html = parts(message)
    assert "bekræftet" in message["Subject"]
    assert 'lang="da"' in html and 'dir="ltr"' in html
    assert "Tak for din bestilling" in text
    assert "1.234,56\xa0kr." in html and "1.234,56\xa0kr." in text
    assert order.number in text


def test_language_the_store_does_not_write_in_falls_back_to_the_store_default(shop, smtp_server,
                                                                               place_order):
    shop.languages.append("fr")
    shop.save()

    place_order(language="fr")

    [message] = smtp_server.messages
    assert 'lang="he"' in parts(message)[1]


def test_shipped_email_names_the_carrier_and_links_to_tracking(smtp_server, place_order,
                                                               django_capture_on_commit_callbacks):
    order = place_order(language="uk")
    with django_capture_on_commit_callbacks(execute=True):
        shipment_create(order=order, carrier="nova_poshta", tracking_number="20450000000001",
                        actor=SYSTEM)

    confirmation, shipped = smtp_server.messages
    text, html = parts(shipped)
    assert "вже в дорозі" in shipped["Subject"]
    assert "Nova Poshta" in html and "20450000000001" in text
    assert "https://novaposhta.ua/en/tracking/?cargo_number=20450000000001" in html
    assert "Відстежити посилку" in html and 'lang="uk"' in html


def test_delivered_email_asks_for_feedback(smtp_server, place_order, django_capture_on_commit_callbacks):
    order = place_order(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        shipment = shipment_create(order=order, carrier="dhl", tracking_number="JD1", actor=SYSTEM)
    with django_capture_on_commit_callbacks(execute=True):
        tracking_event_record(shipment=shipment, actor=SYSTEM, update=TrackingUpdate(
            external_id="e1", status="delivered", occurred_at=timezone.now()))

    subjects = [m["Subject"] for m in smtp_server.messages]
    assert len(subjects) == 3
    text, html = parts(smtp_server.messages[-1])
    assert "has arrived" in subjects[-1]
    assert "how it went" in html and "reply to this email" in text
    assert f"mailto:help@dune.example?subject={order.number}%3A%205%2F5" in html


def test_customer_supplied_text_cannot_inject_html(smtp_server, place_order):
    place_order(title="<script>alert(1)</script>")

    html = parts(smtp_server.messages[0])[1]
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_every_kind_is_written_in_every_language(shop, place_order, django_capture_on_commit_callbacks):
    for language in ("en", "he", "da", "uk"):
        order = place_order(language=language, email=f"{language}@example.com")
        with django_capture_on_commit_callbacks(execute=True):
            shipment = shipment_create(order=order, carrier="gls", tracking_number=f"T-{language}",
                                       actor=SYSTEM)
        with django_capture_on_commit_callbacks(execute=True):
                tracking_event_record(shipment=shipment, actor=SYSTEM, update=TrackingUpdate(
                external_id="d", status="delivered", occurred_at=timezone.now()))

    rows = Notification.objects.filter(store=shop)
    assert rows.count() == 12
    assert {(n.language, n.status) for n in rows} == {(lang, "sent") for lang in ("en", "he", "da", "uk")}
    assert all(n.subject and n.text.strip() and f'lang="{n.language}"' in n.html for n in rows)


def test_confirmation_says_how_long_the_items_can_be_returned(smtp_server, place_order):
    # The shop's starting policy: 30 days from delivery (Israeli law gives at least 14).
    order = place_order(language="en")

    text, html = parts(smtp_server.messages[0])
    assert "Returns" in html and "Returnable within 30 days of delivery." in html
    assert "Returnable within 30 days of delivery." in text
    link = "/s/shop/returns-policy?lang=en&country=IL"
    assert link.replace("&", "&amp;") in html and link in text
    assert order.number in text


def test_hebrew_confirmation_tells_the_returns_policy_in_hebrew(smtp_server, place_order):
    place_order(language="he")

    text, html = parts(smtp_server.messages[0])
    assert "החזרות" in html and "ניתן להחזיר תוך 30 ימים מיום המסירה." in html
    assert "ניתן להחזיר תוך 30 ימים מיום המסירה." in text
    assert "מדיניות ההחזרות המלאה שלנו" in html


def test_a_final_sale_line_is_told_apart_from_the_others(shop, smtp_server, place_order):
    from rebox.testing import make_variant

    # Personalised goods are outside the Israeli right to cancel (§ 14C(d)); final sale
    # binds a change of mind only, so a defect can still come back.
    make_variant(shop, "MUG-AB", price_minor=5_000, stock=5, title="Initials mug", final_sale=True,
                 policy_tags=["personalised"])
    place_order(language="en", lines=(("SCARF-RED", 1, 12_990), ("MUG-AB", 1, 5_000)))

    text, html = parts(smtp_server.messages[0])
    assert "Silk scarf: Returnable within 30 days of delivery." in text
    assert "Initials mug: Final sale — not returnable except for defects." in text
    assert "<bdi>Initials mug</bdi>: Final sale — not returnable except for defects." in html


def test_the_policy_in_force_when_the_order_was_placed_is_the_one_summarised(shop, place_order):
    from rebox.core.actors import Actor
    from rebox.notifications.compose import compose
    from rebox.policies.services import policy_draft_save, policy_in_force, policy_publish

    earlier = place_order(language="en")
    owner = Actor("staff", "owner@dune.example")
    default = dict(policy_in_force(store=shop, at=timezone.now()).default_rule, window_days=60)
    draft = policy_draft_save(store=shop, default_rule=default, rules=[], note="60 days", actor=owner)
    policy_publish(store=shop, version=draft, actor=owner)
    later = place_order(language="en", email="later@example.com")

    before = compose(kind="order_confirmation", store=shop, order=earlier, language="en")
    after = compose(kind="order_confirmation", store=shop, order=later, language="en")
    assert "Returnable within 30 days of delivery." in before.text
    assert "Returnable within 60 days of delivery." in after.text


def test_only_the_confirmation_carries_the_returns_summary(shop, place_order):
    from rebox.notifications.compose import compose

    order = place_order(language="da")
    shipment = shipment_create(order=order, carrier="gls", tracking_number="T-1", actor=SYSTEM)

    confirmation = compose(kind="order_confirmation", store=shop, order=order, language="da")
    shipped = compose(kind="order_shipped", store=shop, order=order, language="da", shipment=shipment)
    assert "Kan returneres inden for 30 dage fra levering." in confirmation.text
    assert "Returnering" in confirmation.html
    assert "Kan returneres" not in shipped.text
