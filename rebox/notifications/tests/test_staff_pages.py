"""The staff mail pages: a store's staff see that store's mail, and nobody else's."""

import pytest
from django.contrib.auth import get_user_model
from django.utils.html import escape

from rebox.core.models import Membership, Role
from rebox.notifications.models import Notification
from rebox.testing import make_store

pytestmark = pytest.mark.django_db


def staff_of(store, username: str):
    user = get_user_model().objects.create_user(username=username, password="x" * 12)
    Membership.objects.create(user=user, store=store, role=Role.AGENT)
    return user


@pytest.fixture
def sent_confirmation(place_order):
    place_order(language="he")
    return Notification.objects.get()


def test_staff_see_their_stores_mail_with_status_recipient_and_subject(client, shop, sent_confirmation):
    client.force_login(staff_of(shop, "agent"))

    response = client.get("/mail/", follow=True)

    assert response.status_code == 200
    page = response.content.decode()
    assert escape(sent_confirmation.subject) in page
    assert "dana@example.com" in page and "Sent" in page


def test_one_message_shows_its_html_sandboxed_and_its_text_escaped(client, shop, sent_confirmation):
    client.force_login(staff_of(shop, "agent"))

    response = client.get(f"/mail/{shop.slug}/{sent_confirmation.pk}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert '<iframe sandbox=""' in page
    assert 'dir=&quot;rtl&quot;' in page  # the message's HTML only as an escaped srcdoc
    assert "<html lang=\"he\"" not in page
    assert sent_confirmation.message_id.strip("<>") in page


def test_another_stores_staff_cannot_see_this_stores_mail(client, shop, sent_confirmation):
    other = make_store("other", currency="GBP", country="GB", languages=("en",))
    client.force_login(staff_of(other, "stranger"))

    assert client.get(f"/mail/{shop.slug}/").status_code == 404
    assert client.get(f"/mail/{shop.slug}/{sent_confirmation.pk}/").status_code == 404
    assert client.get(f"/mail/{other.slug}/{sent_confirmation.pk}/").status_code == 404
    own = client.get("/mail/", follow=True).content.decode()
    assert escape(sent_confirmation.subject) not in own and "dana@example.com" not in own


def test_signed_in_users_of_no_store_are_refused(client, sent_confirmation):
    client.force_login(get_user_model().objects.create_user(username="nobody", password="x" * 12))

    assert client.get("/mail/").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, shop, sent_confirmation):
    response = client.get(f"/mail/{shop.slug}/")

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_failed_messages_show_why(client, shop, smtp_down, place_order):
    place_order(email="dana@example.com")
    Notification.objects.update(status="failed")
    client.force_login(staff_of(shop, "agent"))

    page = client.get(f"/mail/{shop.slug}/?status=failed").content.decode()

    assert "Failed" in page and "Connection" in page
