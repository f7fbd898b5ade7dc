"""The policy pages in English, Hebrew (right to left), Danish and Ukrainian."""

import pytest
from django.conf import settings

from rebox.backoffice.tests.conftest import place_order
from rebox.core.actors import SYSTEM
from rebox.policies.services import policy_draft_save, policy_seed, policy_simulate, starting_default_rule

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(store):
    policy_seed(store=store)
    place_order(store, "L1")
    stingy = {**starting_default_rule(), "window_days": 7}
    draft = policy_draft_save(store=store, default_rule=stingy, rules=[
        {"id": "shoes", "match": {"category": "shoes"}, "window_days": 60}], note="", actor=SYSTEM)
    policy_simulate(store=store, draft=draft, months=6, asked_after_days=14, actor=SYSTEM)
    return draft


def pages(number: int) -> list[str]:
    base = f"/policy/versions/{number}/"
    return ["/policy/", "/policy/versions/", base, f"{base}edit/", f"{base}preview/?order=L1",
            f"{base}simulation/", f"{base}publish/", "/policy/new/", "/policy/reasons/"]


def _in(client, language: str, path: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


@pytest.mark.parametrize("language", ["en", "he", "da", "uk"])
def test_every_policy_page_opens_in_each_language(owner_client, draft, language):
    for path in pages(draft.number):
        html = _in(owner_client, language, path)
        direction = "rtl" if language == "he" else "ltr"
        assert f'<html lang="{language}" dir="{direction}">' in html, path


def test_hebrew_policy_pages_are_right_to_left_and_translated(owner_client, draft):
    overview = _in(owner_client, "he", "/policy/")
    editor = _in(owner_client, "he", f"/policy/versions/{draft.number}/edit/")
    simulation = _in(owner_client, "he", f"/policy/versions/{draft.number}/simulation/")

    assert '<html lang="he" dir="rtl">' in overview
    assert "מדיניות החזרות" in overview and "כלל ברירת המחדל" in overview
    assert "30 ימים מיום המסירה" in overview
    assert "עריכת טיוטת גרסה 2" in editor and "תקופת החזרה (ימים)" in editor
    # the floor warning beside the window, in Hebrew
    assert "7 ימים הם פחות מ-14 הימים שהחוק הדני מעניק; הלקוחות מקבלים 14." in editor
    assert "יהפכו ללא ניתנות להחזרה" in simulation


def test_danish_and_ukrainian_policy_pages_are_translated(owner_client, draft):
    danish = _in(owner_client, "da", "/policy/")
    ukrainian = _in(owner_client, "uk", f"/policy/versions/{draft.number}/")

    assert "Returpolitik" in danish and "Standardregel" in danish and "30 dage fra levering" in danish
    assert "Politik</a>" in danish  # the menu
    assert "Версія політики 2" in ukrainian and "7 днів з дня доставки" in ukrainian
    assert "Що змінилося порівняно з версією 1" in ukrainian


def test_editor_errors_speak_the_staff_language(owner_client, draft):
    from rebox.backoffice.tests.page import Page
    from rebox.backoffice.tests.policy_editing import editor_data, set_default

    data = editor_data(owner_client, f"/policy/versions/{draft.number}/edit/")
    set_default(data, restocking_fee_percent="150")
    owner_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"

    html = owner_client.post(f"/policy/versions/{draft.number}/edit/", data).content.decode()

    assert "Skriv en procentsats fra 0 til 100." in Page(html).around("default-restocking_fee_percent")
