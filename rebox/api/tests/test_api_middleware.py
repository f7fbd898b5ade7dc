"""Page middleware steps aside for /api/ and still guards every page."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from rebox.testing import make_variant, order_payload

pytestmark = pytest.mark.django_db


def test_an_api_answer_carries_no_session_cookie_or_page_headers(api, store):
    make_variant(store, "MW-1", price_minor=1_000, stock=5)
    created = api.post("/orders", order_payload(("MW-1", 1, 1_000), number="MW"))

    read = api.get("/orders/MW")

    for response in (created, read):
        assert response.status_code in (200, 201)
        assert not response.cookies
        assert "X-Frame-Options" not in response
        assert "Content-Language" not in response
        assert "Cookie" not in response.get("Vary", "")


def test_pages_keep_their_csrf_protection_frame_options_and_language():
    client = Client(enforce_csrf_checks=True)

    page = client.get(reverse("backoffice:login"), HTTP_ACCEPT_LANGUAGE="da")
    forged = client.post(reverse("backoffice:login"), {"username": "x", "password": "y"})

    assert page.status_code == 200
    assert page["X-Frame-Options"] == "DENY"
    assert page["Content-Language"] == "da"
    assert "csrftoken" in page.cookies
    assert forged.status_code == 403


def test_an_api_request_speaks_english_after_a_page_in_another_language(api, store):
    translation.activate("he")
    try:
        api.get("/orders")
        assert translation.get_language() == "en"
    finally:
        translation.deactivate()
