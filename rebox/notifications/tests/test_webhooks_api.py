"""/api/v1/webhooks: endpoints with a secret shown once, validated input, deliveries, retry."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from rebox.notifications.models import WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db


def make_delivery(endpoint_id: int, *, status: str = "failed", minutes_ago: int = 0) -> WebhookDelivery:
    endpoint = WebhookEndpoint.objects.get(pk=endpoint_id)
    at = timezone.now() - timedelta(minutes=minutes_ago)
    return WebhookDelivery.objects.create(
        store=endpoint.store, endpoint=endpoint, event_id=uuid.uuid4(), topic="order.placed",
        body="{}", status=status, attempts=15 if status == "failed" else 1, next_attempt_at=at,
        last_error="HTTP 500" if status == "failed" else "", created_at=at)


def test_creating_an_endpoint_shows_its_secret_once(api):
    created = api.post("/webhooks", {"url": "https://erp.example/hooks", "topics": ["order.placed"],
                                     "description": "ERP"})

    assert created.status_code == 201, created.content
    body = created.json()
    assert body["secret"].startswith("whsec_") and len(body["secret"]) > 40
    assert (body["url"], body["topics"], body["is_active"]) == (
        "https://erp.example/hooks", ["order.placed"], True)
    [listed] = api.get("/webhooks").json()
    assert "secret" not in listed
    assert listed["id"] == body["id"]


def test_topics_default_to_every_topic_and_a_star_swallows_the_rest(api):
    assert api.post("/webhooks", {"url": "http://erp.example"}).json()["topics"] == ["*"]
    both = api.post("/webhooks", {"url": "http://erp.example", "topics": ["order.placed", "*"]})
    assert both.json()["topics"] == ["*"]


@pytest.mark.parametrize("url", ["ftp://erp.example/hooks", "erp.example/hooks", "https://",
                                 "javascript:alert(1)", "https://erp.example:port/",
                                 "https://erp example/"])
def test_refuses_a_url_that_is_not_http_with_a_host(api, url):
    response = api.post("/webhooks", {"url": url})

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "validation_failed"
    assert [e["field"] for e in problem["errors"]] == ["url"]
    assert WebhookEndpoint.objects.count() == 0


def test_refuses_unknown_topics_naming_each_one(api):
    response = api.post("/webhooks", {"url": "https://erp.example",
                                      "topics": ["order.placed", "order.eaten", "refund.whatever"]})

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == ["topics[1]", "topics[2]"]
    assert "order.shipped" in errors[0]["message"]  # says which ones exist


def test_refuses_an_empty_topic_list(api):
    response = api.post("/webhooks", {"url": "https://erp.example", "topics": []})

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["topics"]


def test_an_idempotency_key_replays_the_creation(api):
    first = api.post("/webhooks", {"url": "https://erp.example"}, idempotency_key="wh-1")
    again = api.post("/webhooks", {"url": "https://erp.example"}, idempotency_key="wh-1")

    assert again.status_code == 201
    assert again.json() == first.json()
    assert WebhookEndpoint.objects.count() == 1


def test_deleting_an_endpoint_removes_it_and_its_deliveries(api):
    endpoint = api.post("/webhooks", {"url": "https://erp.example"}).json()
    make_delivery(endpoint["id"])

    assert api.delete(f"/webhooks/{endpoint['id']}").status_code == 204

    assert api.get("/webhooks").json() == []
    assert WebhookDelivery.objects.count() == 0
    assert api.delete(f"/webhooks/{endpoint['id']}").status_code == 404


def test_lists_deliveries_newest_first_a_page_at_a_time(api):
    endpoint = api.post("/webhooks", {"url": "https://erp.example"}).json()
    older = make_delivery(endpoint["id"], status="delivered", minutes_ago=5)
    newer = make_delivery(endpoint["id"], minutes_ago=1)

    first = api.get(f"/webhooks/{endpoint['id']}/deliveries", limit=1).json()
    second = api.get(f"/webhooks/{endpoint['id']}/deliveries", limit=1,
                     cursor=first["next_cursor"]).json()

    assert [d["id"] for d in first["items"]] == [newer.pk]
    assert first["items"][0] | {"next_attempt_at": None, "created_at": None} == {
        "id": newer.pk, "event_id": str(newer.event_id), "topic": "order.placed",
        "status": "failed", "attempts": 15, "response_status": None, "last_error": "HTTP 500",
        "next_attempt_at": None, "delivered_at": None, "created_at": None}
    assert [d["id"] for d in second["items"]] == [older.pk]
    assert second["next_cursor"] is None


def test_only_a_failed_delivery_can_be_retried(api):
    endpoint = api.post("/webhooks", {"url": "https://erp.example"}).json()
    delivered = make_delivery(endpoint["id"], status="delivered")

    response = api.post(f"/webhooks/{endpoint['id']}/deliveries/{delivered.pk}/retry", {})

    assert response.status_code == 409
    assert response.json()["code"] == "delivery_not_retryable"
    delivered.refresh_from_db()
    assert delivered.status == "delivered"


def test_a_delivery_is_reached_only_through_its_own_endpoint(api):
    first = api.post("/webhooks", {"url": "https://a.example"}).json()
    second = api.post("/webhooks", {"url": "https://b.example"}).json()
    delivery = make_delivery(first["id"])

    response = api.post(f"/webhooks/{second['id']}/deliveries/{delivery.pk}/retry", {})

    assert response.status_code == 404
    delivery.refresh_from_db()
    assert delivery.status == "failed"


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000/admin/", "http://localhost/x",
                                 "http://169.254.169.254/latest/meta-data/", "http://10.1.2.3/",
                                 "http://[::1]/hook"])
def test_an_endpoint_on_an_internal_address_is_refused(api, url):
    response = api.post("/webhooks", {"url": url})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "url"
    assert "internal address" in response.json()["errors"][0]["message"]
