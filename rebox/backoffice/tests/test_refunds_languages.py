"""The refunds pages in Hebrew (right to left), Danish and Ukrainian."""

import pytest
from django.conf import settings

from rebox.backoffice.tests.page import Page
from rebox.refunds.tests.owed import asked_return, delivered_order, refund_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed(store):
    ret = asked_return(delivered_order(store, "L-1"), status="inspected")
    return refund_of(ret.order, ret=ret, status="failed", error="declined")


def _in(client, language: str, path: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(path).content.decode()


def test_hebrew_refunds_pages_are_right_to_left_and_translated(staff_client, failed):
    listing = _in(staff_client, "he", "/refunds/")
    detail = Page(_in(staff_client, "he", f"/refunds/{failed.number}/")).root.text()

    assert '<html lang="he" dir="rtl">' in listing
    assert "החזרים כספיים" in listing and "באיחור" in listing and "נכשל" in listing
    assert "לנסות שוב את ההחזר" in detail and "מה מוחזר" in detail


def test_danish_and_ukrainian_refunds_pages_are_translated(staff_client, failed):
    danish = Page(_in(staff_client, "da", "/refunds/")).root.text()
    ukrainian = Page(_in(staff_client, "uk", f"/refunds/{failed.number}/")).root.text()

    assert "Tilbagebetalinger" in danish and "Forsinket" in danish and "Hent CSV" in danish
    assert "Skulle have været betalt senest 19. mar. 2026" in danish
    assert "Повторити повернення" in ukrainian and "Не вдалося" in ukrainian
