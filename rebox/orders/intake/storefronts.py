"""What differs between storefront platforms on the wire: headers, topic, translation."""

from collections.abc import Callable
from dataclasses import dataclass

from rebox.core.actors import Actor
from rebox.orders.drafts import OrderDraft
from rebox.orders.intake import shopify, woocommerce


def _never_a_ping(body: bytes) -> bool:
    return False


@dataclass(frozen=True)
class Storefront:
    source: str  # an Order.Source value, also the key of the store's webhook secret
    actor: Actor
    signature_header: str  # base64 HMAC-SHA256 of the raw body
    delivery_header: str
    topic_header: str
    order_topic: str  # the one topic that creates an order
    external_id: Callable[[dict], str]
    order_draft: Callable[[dict], OrderDraft]
    is_ping: Callable[[bytes], bool] = _never_a_ping


SHOPIFY = Storefront(
    source="shopify", actor=Actor.integration("Shopify"),
    signature_header=shopify.SIGNATURE_HEADER, delivery_header=shopify.DELIVERY_HEADER,
    topic_header=shopify.TOPIC_HEADER, order_topic=shopify.ORDER_CREATED,
    external_id=shopify.external_id, order_draft=shopify.order_draft,
)

WOOCOMMERCE = Storefront(
    source="woocommerce", actor=Actor.integration("WooCommerce"),
    signature_header=woocommerce.SIGNATURE_HEADER, delivery_header=woocommerce.DELIVERY_HEADER,
    topic_header=woocommerce.TOPIC_HEADER, order_topic=woocommerce.ORDER_CREATED,
    external_id=woocommerce.external_id, order_draft=woocommerce.order_draft,
    is_ping=woocommerce.is_ping,
)
