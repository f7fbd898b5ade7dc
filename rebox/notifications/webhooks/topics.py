"""The events integrators can subscribe to: the public contract of outbound webhooks.

An outbox event whose topic is not listed here never leaves Rebox, whatever an endpoint
asked for: "*" means every topic of this list. Publishing a new one to integrators
is adding a line here and to WEBHOOKS.md.
"""

EVERY_TOPIC = "*"

ORDER_TOPICS = (
    "order.placed",
    "order.shipped",
    "order.delivered",
)

# The return journey: one topic per status the return reaches (``return_transition``
# publishes ``return.<status>``), plus the steps that are not status changes.
RETURN_TOPICS = (
    "return.requested",
    "return.approved",
    "return.declined",
    "return.cancelled",
    "return.info_requested",
    "return.evidence_added",
    "return.in_transit",
    "return.received",
    "return.unit_inspected",
    "return.inspected",
    "return.unit_disposed",
    "return.expiry_reminder",
    "return.expired",
    "return.resolved",
    "return.closed",
    "return.gift_buyer_notice",
)

PARCEL_TOPICS = (
    "parcel.label_ready",
    "parcel.label_failed",
    "parcel.in_transit",
    "parcel.delivered",
)

SUPPLIER_TOPICS = (
    "supplier.return_routed",
    "supplier.decided",
    "supplier.credit_confirmed",
)

# Making it right: money back, store credit, an exchange, a goodwill code.
RESOLUTION_TOPICS = (
    "refund.succeeded",
    "refund.failed",
    "credit.issued",
    "exchange.created",
    "goodwill.granted",
)

WEBHOOK_TOPICS = (*ORDER_TOPICS, *RETURN_TOPICS, *PARCEL_TOPICS, *SUPPLIER_TOPICS, *RESOLUTION_TOPICS)


def is_webhook_topic(topic: str) -> bool:
    return topic in WEBHOOK_TOPICS
