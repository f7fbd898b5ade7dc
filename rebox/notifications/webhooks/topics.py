"""The events integrators can subscribe to: the public contract of outbound webhooks.

An outbox event whose topic is not listed here never leaves Rebox, whatever an endpoint
asked for: "*" means every topic of this list. Publishing a new one to integrators
(refund.succeeded, return.approved ...) is adding a line here and to WEBHOOKS.md.
"""

EVERY_TOPIC = "*"

WEBHOOK_TOPICS = (
    "order.placed",
    "order.shipped",
    "order.delivered",
    "return.requested",
    "return.approved",
    "return.declined",
    "return.cancelled",
)


def is_webhook_topic(topic: str) -> bool:
    return topic in WEBHOOK_TOPICS
