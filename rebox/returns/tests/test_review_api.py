"""POST /api/v1/returns/{number}/request-info: asked once per Idempotency-Key, 409 when decided."""

import pytest

from rebox.core.models import OutboxEvent
from rebox.returns.tests.helpers import delivered_order, return_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def number(api, store):
    lines = delivered_order(api, store)
    return api.post("/returns", return_body("R1", (lines["TEE"], 1))).json()["number"]


def test_asking_for_more_through_the_api_keeps_the_return_requested(api, number):
    response = api.post(f"/returns/{number}/request-info", {"question": "A photo, please."},
                        idempotency_key="ask-1")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "requested" and body["info_requested"] == "A photo, please."
    assert body["info_requested_at"]


def test_a_retry_with_the_same_key_asks_only_once(api, number):
    first = api.post(f"/returns/{number}/request-info", {"question": "A photo."}, idempotency_key="k")
    again = api.post(f"/returns/{number}/request-info", {"question": "A photo."}, idempotency_key="k")
    other = api.post(f"/returns/{number}/request-info", {"question": "Other"}, idempotency_key="k")

    assert first.json() == again.json()
    assert other.status_code == 409 and other.json()["code"] == "idempotency_key_reused"
    assert OutboxEvent.objects.filter(topic="return.info_requested").count() == 1


def test_an_empty_question_is_a_422_with_the_field(api, number):
    response = api.post(f"/returns/{number}/request-info", {"question": " "})

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["question"]


def test_asking_about_a_declined_return_is_a_409_naming_its_status(api, number):
    api.post(f"/returns/{number}/decline", {"reason": "no"})

    response = api.post(f"/returns/{number}/request-info", {"question": "Why?"})

    assert response.status_code == 409 and "is declined" in response.json()["detail"]
