"""The returns pages in Hebrew (right to left), Danish and Ukrainian."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from rebox.backoffice.tests.returns_setup import requested_return
from rebox.returns.models import Return

pytestmark = pytest.mark.django_db


@pytest.fixture
def late(api, store):
    ret = requested_return(api, store, reason="defective")
    Return.objects.filter(pk=ret.pk).update(respond_by=timezone.now() - timedelta(hours=1))
    return ret


def _in(client, language: str, path: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(path).content.decode()


def test_hebrew_returns_pages_are_right_to_left_and_translated(staff_client, late):
    queue = _in(staff_client, "he", "/returns/")
    detail = _in(staff_client, "he", f"/returns/{late.number}/")

    assert '<html lang="he" dir="rtl">' in queue
    assert "החזרות" in queue and "באיחור" in queue and "התבקשה" in queue and "כל הסיבות" in queue
    assert "ממתינות להחלטה: 1" in queue
    assert "מה קבעה המדיניות" in detail and "פגום או שבור" in detail and "התבקשה החזרה" in detail
    assert "סיבת הדחייה (הלקוח יראה אותה)" in detail


def test_danish_returns_pages_are_translated(staff_client, late):
    queue = _in(staff_client, "da", "/returns/")
    detail = _in(staff_client, "da", f"/returns/{late.number}/")

    assert '<html lang="da" dir="ltr">' in queue
    assert "Returneringer" in queue and "Overskredet" in queue and "Anmodet" in queue
    assert "200,00\xa0€" in queue
    assert "Hvad politikken afgjorde" in detail and "Defekt eller beskadiget" in detail
    assert "Godkend" in detail


def test_ukrainian_returns_pages_are_translated(staff_client, late):
    queue = _in(staff_client, "uk", "/returns/")
    detail = _in(staff_client, "uk", f"/returns/{late.number}/")

    assert "Повернення" in queue and "Прострочено" in queue and "Запитано" in queue
    assert "Що визначила політика" in detail and "Схвалити" in detail and "Відхилити" in detail
