"""/api/v1/webhooks: an integrator's endpoints and what was delivered to them. Thin."""

from datetime import datetime
from uuid import UUID

from django.http import HttpRequest, JsonResponse
from ninja import Field, Header, Query, Router, Schema, Status

from rebox.api.common import ERRORS
from rebox.core import crypto
from rebox.core.idempotency import run_idempotent
from rebox.core.pagination import page_by_cursor
from rebox.notifications.models import WebhookDelivery, WebhookEndpoint
from rebox.notifications.webhooks.selectors import (
    webhook_deliveries_for_endpoint,
    webhook_delivery_get,
    webhook_endpoint_get,
    webhook_endpoints_for_store,
)
from rebox.notifications.webhooks.services import (
    webhook_delivery_retry,
    webhook_endpoint_create,
    webhook_endpoint_delete,
)
from rebox.notifications.webhooks.topics import EVERY_TOPIC, WEBHOOK_TOPICS

router = Router(tags=["webhooks"])


class WebhookIn(Schema):
    url: str = Field(..., min_length=1, max_length=2000, description="http:// or https://")
    topics: list[str] = Field(default_factory=lambda: [EVERY_TOPIC], max_length=50,
                              description=f"any of {', '.join(WEBHOOK_TOPICS)}, or {EVERY_TOPIC}")
    description: str = Field("", max_length=200)


class WebhookOut(Schema):
    id: int
    url: str
    topics: list[str]
    is_active: bool
    description: str
    created_at: datetime


class WebhookCreatedOut(WebhookOut):
    secret: str = Field(..., description="signs every request (Rebox-Signature); shown only now")


class DeliveryOut(Schema):
    id: int
    event_id: UUID
    topic: str
    status: str
    attempts: int
    response_status: int | None
    last_error: str
    next_attempt_at: datetime
    delivered_at: datetime | None
    created_at: datetime


class DeliveryPage(Schema):
    items: list[DeliveryOut]
    next_cursor: str | None


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _endpoint_out(endpoint: WebhookEndpoint) -> dict:
    return {"id": endpoint.pk, "url": endpoint.url, "topics": endpoint.topics,
            "is_active": endpoint.is_active, "description": endpoint.description,
            "created_at": _iso(endpoint.created_at)}


def _delivery_out(delivery: WebhookDelivery) -> dict:
    return {"id": delivery.pk, "event_id": str(delivery.event_id), "topic": delivery.topic,
            "status": delivery.status, "attempts": delivery.attempts,
            "response_status": delivery.response_status, "last_error": delivery.last_error,
            "next_attempt_at": _iso(delivery.next_attempt_at),
            "delivered_at": _iso(delivery.delivered_at), "created_at": _iso(delivery.created_at)}


@router.get("", response={200: list[WebhookOut], **ERRORS}, summary="List webhook endpoints")
def list_webhooks(request: HttpRequest):
    return JsonResponse([_endpoint_out(e) for e in webhook_endpoints_for_store(store=request.store)],
                        safe=False)


@router.post("", response={201: WebhookCreatedOut, **ERRORS}, summary="Add a webhook endpoint")
def create_webhook(request: HttpRequest, payload: WebhookIn,
                   idempotency_key: str | None = Header(None, alias="Idempotency-Key")):
    """The answer carries the signing secret; it cannot be read again."""
    store = request.store

    def operation():
        endpoint, secret = webhook_endpoint_create(store=store, **payload.dict())
        # the answer kept for a retry with the same key holds the secret encrypted, as its row does
        return 201, {**_endpoint_out(endpoint), "secret": crypto.encrypt(secret)}

    status, body = run_idempotent(store=store, key=idempotency_key, scope="webhooks.create",
                                  body=payload.dict(), operation=operation)
    return JsonResponse({**body, "secret": crypto.decrypt(body["secret"])}, status=status)


@router.delete("/{webhook_id}", response={204: None, **ERRORS},
               summary="Remove a webhook endpoint and its deliveries")
def delete_webhook(request: HttpRequest, webhook_id: int):
    webhook_endpoint_delete(endpoint=webhook_endpoint_get(store=request.store, endpoint_id=webhook_id))
    return Status(204, None)


class DeliveryFilters(Schema):
    cursor: str | None = None
    limit: int = 50


@router.get("/{webhook_id}/deliveries", response={200: DeliveryPage, **ERRORS},
            summary="Deliveries to one endpoint, newest first")
def list_deliveries(request: HttpRequest, webhook_id: int, filters: Query[DeliveryFilters]):
    endpoint = webhook_endpoint_get(store=request.store, endpoint_id=webhook_id)
    items, next_cursor = page_by_cursor(webhook_deliveries_for_endpoint(endpoint=endpoint),
                                        field="created_at", cursor=filters.cursor,
                                        limit=max(1, min(filters.limit, 200)))
    return JsonResponse({"items": [_delivery_out(d) for d in items], "next_cursor": next_cursor})


@router.post("/{webhook_id}/deliveries/{delivery_id}/retry", response={200: DeliveryOut, **ERRORS},
             summary="Send a failed delivery again (a fresh round of attempts)")
def retry_delivery(request: HttpRequest, webhook_id: int, delivery_id: int,
                   idempotency_key: str | None = Header(None, alias="Idempotency-Key")):
    store = request.store

    def operation():
        endpoint = webhook_endpoint_get(store=store, endpoint_id=webhook_id)
        delivery = webhook_delivery_get(endpoint=endpoint, delivery_id=delivery_id)
        return 200, _delivery_out(webhook_delivery_retry(delivery=delivery))

    status, body = run_idempotent(store=store, key=idempotency_key,
                                  scope=f"webhooks.{webhook_id}.deliveries.{delivery_id}.retry",
                                  body={}, operation=operation)
    return JsonResponse(body, status=status)
