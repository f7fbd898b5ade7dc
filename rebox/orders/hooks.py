"""Inbound webhook views. Each checks the signature before reading anything else, and
stores nothing when it does not match."""

import hashlib
import json

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from rebox.core.actors import Actor
from rebox.core.errors import ApplicationError, FieldError, NotFound, Unauthorized, ValidationFailed
from rebox.core.event_bodies import event_body_errors
from rebox.core.models import Store
from rebox.core.signatures import hmac_sha256_base64, hmac_sha256_hex, signature_matches
from rebox.orders.intake.receive import inbound_webhook_receive
from rebox.orders.intake.storefronts import SHOPIFY, WOOCOMMERCE, Storefront
from rebox.orders.selectors import shipment_by_tracking
from rebox.orders.shipments import TrackingUpdate, tracking_event_record
from rebox.orders.states import ShipmentStatus

PROBLEM = "application/problem+json"


def problem(error: ApplicationError) -> JsonResponse:
    return JsonResponse(error.as_problem(), status=error.status, content_type=PROBLEM)


def store_secret(slug: str, name: str) -> tuple[Store, str]:
    store = Store.objects.filter(slug=slug).first()
    secret = (store.webhook_secrets or {}).get(name) if store else None
    if not secret:
        raise NotFound("No such webhook endpoint")
    return store, secret


def parse_json(body: bytes) -> dict:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationFailed("Body is not JSON") from exc
    if not isinstance(data, dict):
        raise ValidationFailed("Body must be a JSON object")
    return data


@csrf_exempt
@require_POST
def shopify(request: HttpRequest, store_slug: str):
    """Shopify ``orders/create``: a new storefront order becomes a Rebox order.

    Verified with ``X-Shopify-Hmac-Sha256`` and the store's ``shopify`` secret. Answers
    201 with the order number, 200 for a duplicate, 202 for a signed delivery of another
    topic (stored, not acted on), 401 for a bad signature (nothing stored), and 422/409
    when the order is refused: the delivery is kept, and a Shopify retry of it tries the
    order again (see ``rebox.orders.intake.receive``).
    """
    return _storefront_delivery(request, store_slug, SHOPIFY)


@csrf_exempt
@require_POST
def woocommerce(request: HttpRequest, store_slug: str):
    """WooCommerce ``order.created``, verified with ``X-WC-Webhook-Signature`` and the
    store's ``woocommerce`` secret; answers as the Shopify hook does. The unsigned ping
    WooCommerce sends when the webhook is saved (``webhook_id=N``) gets a 200 and is not
    stored."""
    return _storefront_delivery(request, store_slug, WOOCOMMERCE)


def _storefront_delivery(request: HttpRequest, store_slug: str, storefront: Storefront):
    try:
        store, secret = store_secret(store_slug, storefront.source)
        if storefront.is_ping(request.body):
            return JsonResponse({"outcome": "ping"}, status=200)
        signature = request.headers.get(storefront.signature_header)
        if not signature_matches(hmac_sha256_base64(secret, request.body), signature):
            raise Unauthorized("Signature missing or wrong")
        receipt = inbound_webhook_receive(
            store=store, storefront=storefront, body=parse_json(request.body),
            delivery_id=_delivery_id(request, storefront.delivery_header),
            topic=request.headers.get(storefront.topic_header, ""))
    except ApplicationError as error:
        return problem(error)
    return JsonResponse(receipt.as_dict(), status=receipt.status)


def _delivery_id(request: HttpRequest, header: str) -> str:
    """The sender's delivery id; without one, the body's digest, so a re-sent body is still
    recognised."""
    delivery_id = request.headers.get(header, "").strip()
    if len(delivery_id) > 200:
        raise ValidationFailed(errors=[FieldError(header, "at most 200 characters")])
    return delivery_id or "sha256:" + hashlib.sha256(request.body).hexdigest()


@csrf_exempt
@require_POST
def tracking(request: HttpRequest, store_slug: str):
    """A carrier (or an aggregator) reports a tracking event.

    Signed with ``X-Rebox-Signature: sha256=<hex HMAC-SHA256 of the body>`` using the
    store's ``tracking`` secret. Body: id, carrier, tracking_number, status, occurred_at,
    location, description. The same event id twice is recorded once.
    """
    try:
        store, secret = store_secret(store_slug, "tracking")
        expected = "sha256=" + hmac_sha256_hex(secret, request.body)
        if not signature_matches(expected, request.headers.get("X-Rebox-Signature")):
            raise Unauthorized("Signature missing or wrong")
        update, carrier, number = _tracking_update(parse_json(request.body))
        shipment = shipment_by_tracking(store=store, carrier=carrier, tracking_number=number)
        recorded = tracking_event_record(shipment=shipment, update=update,
                                         actor=Actor.carrier(carrier))
    except ApplicationError as error:
        return problem(error)
    return JsonResponse({"recorded": recorded}, status=200)


def _tracking_update(data: dict) -> tuple[TrackingUpdate, str, str]:
    errors, occurred_at = event_body_errors(
        data, required=("id", "carrier", "tracking_number", "status", "occurred_at"),
        statuses=ShipmentStatus.values)
    status = data.get("status")
    if errors:
        raise ValidationFailed(errors=errors)
    update = TrackingUpdate(
        external_id=data["id"], status=status, occurred_at=occurred_at,
        location=str(data.get("location", ""))[:200],
        description=str(data.get("description", ""))[:300])
    return update, data["carrier"], data["tracking_number"]
