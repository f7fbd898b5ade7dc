"""The back office's mail pages: staff see the current store's mail, and nobody else's."""

import uuid

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.html import escape

from rebox.core.models import Membership, Role
from rebox.notifications.models import Notification
from rebox.testing import make_store

pytestmark = pytest.mark.django_db


def staff_of(*stores, username: str = "agent"):
    user = get_user_model().objects.create_user(username=username, password="x" * 12)
    for store in stores:
        Membership.objects.create(user=user, store=store, role=Role.AGENT)
    return user


def in_language(client, language: str, path: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(path).content.decode()


@pytest.fixture
def sent_confirmation(place_order):
    place_order(language="he")
    return Notification.objects.get()


@pytest.fixture
def other_store(db):
    return make_store("other", currency="GBP", country="GB", languages=("en",))


def test_staff_see_their_stores_mail_with_status_recipient_and_subject(client, shop, sent_confirmation):
    client.force_login(staff_of(shop))

    response = client.get("/mail/")

    assert response.status_code == 200
    page = response.content.decode()
    assert escape(sent_confirmation.subject) in page
    assert "dana@example.com" in page and '<span class="badge badge--sent">Sent</span>' in page
    assert f'href="/mail/{sent_confirmation.pk}/"' in page


def test_the_mail_pages_are_part_of_the_back_office(client, shop, sent_confirmation):
    client.force_login(staff_of(shop))

    page = client.get("/mail/").content.decode()

    assert 'href="/static/backoffice/backoffice.css"' in page
    assert '<a href="/mail/" aria-current="page">Mail</a>' in page


def test_one_message_shows_its_html_sandboxed_and_its_text_escaped(client, shop, sent_confirmation):
    client.force_login(staff_of(shop))

    response = client.get(f"/mail/{sent_confirmation.pk}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert '<iframe sandbox=""' in page
    assert 'dir=&quot;rtl&quot;' in page  # the message's HTML only as an escaped srcdoc
    assert "<html lang=\"he\"" not in page
    assert sent_confirmation.message_id.strip("<>") in page


def test_another_stores_staff_cannot_see_this_stores_mail(client, shop, other_store, sent_confirmation):
    client.force_login(staff_of(other_store, username="stranger"))

    assert client.get(f"/mail/{sent_confirmation.pk}/").status_code == 404
    own = client.get("/mail/").content.decode()
    assert escape(sent_confirmation.subject) not in own and "dana@example.com" not in own


def test_only_the_current_stores_mail_is_shown_to_staff_of_two_stores(
        client, shop, other_store, sent_confirmation):
    client.force_login(staff_of(shop, other_store))
    assert "dana@example.com" in client.get("/mail/").content.decode()

    client.post("/store/", {"store": other_store.pk})

    assert "dana@example.com" not in client.get("/mail/").content.decode()
    assert client.get(f"/mail/{sent_confirmation.pk}/").status_code == 404


def test_unknown_messages_and_the_old_per_store_addresses_are_not_found(client, shop, sent_confirmation):
    client.force_login(staff_of(shop))

    assert client.get(f"/mail/{uuid.uuid4()}/").status_code == 404
    assert client.get(f"/mail/{shop.slug}/").status_code == 404


def test_signed_in_users_of_no_store_are_refused(client, sent_confirmation):
    client.force_login(get_user_model().objects.create_user(username="nobody", password="x" * 12))

    assert client.get("/mail/").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, shop, sent_confirmation):
    for path in ("/mail/", f"/mail/{sent_confirmation.pk}/"):
        response = client.get(path)

        assert response.status_code == 302
        assert "login" in response["Location"]


def test_failed_messages_show_why(client, shop, smtp_down, place_order):
    place_order(email="dana@example.com")
    Notification.objects.update(status="failed")
    client.force_login(staff_of(shop))

    page = client.get("/mail/?status=failed").content.decode()

    assert "badge--failed" in page and "Connection" in page


def test_the_status_filter_leaves_out_other_statuses(client, shop, sent_confirmation):
    client.force_login(staff_of(shop))

    page = client.get("/mail/?status=failed").content.decode()

    assert "dana@example.com" not in page and "No messages match these filters." in page


def test_long_lists_are_paginated_keeping_the_filter(client, shop, sent_confirmation):
    Notification.objects.bulk_create([
        Notification(**{**_columns(sent_confirmation), "id": uuid.uuid4(), "recipient": f"r{i}@example.com"})
        for i in range(50)])
    client.force_login(staff_of(shop))

    first = client.get("/mail/?status=sent").content.decode()
    second = client.get("/mail/?status=sent&page=2").content.decode()

    assert "Page 1 of 2" in first and 'href="?status=sent&amp;page=2"' in first
    assert "Page 2 of 2" in second and second.count('class="badge badge--sent"') == 1


def test_hebrew_mail_pages_are_right_to_left_and_translated(client, shop, sent_confirmation):
    client.force_login(staff_of(shop))

    listing = in_language(client, "he", "/mail/")
    detail = in_language(client, "he", f"/mail/{sent_confirmation.pk}/")

    assert '<html lang="he" dir="rtl">' in listing
    assert "<h1>דואר יוצא</h1>" in listing and "נמען" in listing and "נשלחה" in listing
    assert "אישור הזמנה" in listing
    assert "פרטים" in detail and "גרסת טקסט" in detail


def test_danish_mail_pages_are_translated(client, shop, sent_confirmation):
    client.force_login(staff_of(shop))

    listing = in_language(client, "da", "/mail/")
    detail = in_language(client, "da", f"/mail/{sent_confirmation.pk}/")

    assert '<html lang="da" dir="ltr">' in listing
    assert "<h1>Udgående mail</h1>" in listing and "Modtager" in listing and ">Sendt<" in listing
    assert "Detaljer" in detail and "Tekstversion" in detail


def test_ukrainian_mail_pages_are_translated(client, shop, sent_confirmation):
    client.force_login(staff_of(shop))

    listing = in_language(client, "uk", "/mail/")

    assert '<html lang="uk" dir="ltr">' in listing
    assert "<h1>Вихідна пошта</h1>" in listing and "Надіслано" in listing


def _columns(notification) -> dict:
    return {f.attname: getattr(notification, f.attname) for f in Notification._meta.concrete_fields}
