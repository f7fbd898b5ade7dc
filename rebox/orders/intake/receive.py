"""A signed storefront delivery, stored as received and turned into an order at most once.

Why a refused order still leaves its delivery behind: the delivery row and the order are
written in one transaction, and ``order_create`` runs inside a savepoint of ours
(``order_create`` deliberately takes none of its own). When the order is refused (unknown
SKU, wrong totals, no stock) only that savepoint is rolled back: the delivery row commits
without an order, and the refusal is raised after the commit.

Retries: Shopify redelivers a non-2xx answer under the same delivery id (8 times over
4 hours). A delivery that is stored but has no order is tried again from its stored body
each time, so a merchant who adds the missing SKU in that window gets the order with no
further step; a delivery that already has its order is answered as a duplicate. We
answer 422/409 rather than a quiet 2xx so the refusal shows in the sender's delivery log
and the retries get their chance. The cost: Shopify may delete a subscription made
through its Admin API after 8 consecutive failures, and WooCommerce disables a webhook
after 5, so a store that keeps sending orders Rebox refuses can lose its subscription;
the stored rows show what was refused.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from rebox.core.errors import ApplicationError, Conflict
from rebox.core.models import Store
from rebox.orders.intake.storefronts import Storefront
from rebox.orders.models import InboundWebhook, Order
from rebox.orders.services import order_create

STATUS = {"created": 201, "duplicate": 200, "ignored": 202}


@dataclass(frozen=True)
class Receipt:
    outcome: str  # created, duplicate or ignored
    delivery: InboundWebhook
    order: Order | None = None

    @property
    def status(self) -> int:
        return STATUS[self.outcome]

    def as_dict(self) -> dict:
        return {"outcome": self.outcome, "delivery_id": self.delivery.delivery_id,
                "order": self.order.number if self.order else None}


def inbound_webhook_receive(*, store: Store, storefront: Storefront, delivery_id: str,
                            topic: str, body: dict) -> Receipt:
    """Store a signed delivery once and create its order once.

    A delivery id seen before, or an order id the store already has from this platform
    (re-sent under a new delivery id), creates nothing new. Topics other than the
    storefront's order topic are stored and otherwise ignored. A refused order raises
    its ApplicationError after the delivery itself has been committed.
    """
    with transaction.atomic():
        delivery = _delivery_for(store=store, source=storefront.source, delivery_id=delivery_id,
                                 topic=topic, body=body)
        if delivery.order_id is not None:
            return Receipt("duplicate", delivery, delivery.order)
        if delivery.topic != storefront.order_topic:
            return Receipt("ignored", delivery)
        try:
            order, created = _order_for(store=store, storefront=storefront, body=delivery.body)
        except ApplicationError as error:
            refusal = error
        else:
            delivery.order = order
            delivery.save(update_fields=["order"])
            return Receipt("created" if created else "duplicate", delivery, order)
    raise refusal


def _delivery_for(*, store: Store, source: str, delivery_id: str, topic: str,
                  body: dict) -> InboundWebhook:
    delivery, created = InboundWebhook.objects.get_or_create(
        store=store, source=source, delivery_id=delivery_id,
        defaults={"topic": topic[:100], "body": body})
    if created:
        return delivery
    # A redelivery: wait for any attempt still working on it, then see what it left.
    return InboundWebhook.objects.select_for_update(of=("self",)).select_related("order").get(pk=delivery.pk)


def _order_for(*, store: Store, storefront: Storefront, body: dict) -> tuple[Order, bool]:
    """The order this body describes: the one already stored, or a new one."""
    existing = _order_by_external_id(store, storefront.source, storefront.external_id(body))
    if existing is not None:
        return existing, False
    draft = storefront.order_draft(body)
    try:
        with transaction.atomic():  # the savepoint a refusal rolls back to
            return order_create(store=store, draft=draft, actor=storefront.actor,
                                source=storefront.source), True
    except (IntegrityError, Conflict):
        # Perhaps the same order arrived under another delivery id at the same moment and won.
        existing = _order_by_external_id(store, storefront.source, draft.external_id)
        if existing is None:
            raise
        return existing, False


def _order_by_external_id(store: Store, source: str, external_id: str | None) -> Order | None:
    if not external_id:
        return None
    return Order.objects.filter(store=store, source=source, external_id=external_id).first()
