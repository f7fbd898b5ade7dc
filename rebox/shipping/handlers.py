"""Outbox handlers of the shipping app (registered by ShippingConfig.ready); idempotent."""

from rebox.core.models import OutboxEvent
from rebox.core.outbox import outbox_handler
from rebox.returns.models import Resolution, Return
from rebox.returns.states import ReturnStatus
from rebox.shipping.services import parcels_plan


@outbox_handler("return.approved")
def plan_parcels(event: OutboxEvent) -> None:
    ret = Return.objects.filter(pk=event.subject_id, store_id=event.store_id).first()
    if ret is None or ret.resolution == Resolution.KEEP_ITEM or ret.status != ReturnStatus.APPROVED:
        return  # nothing comes back, or it was cancelled before this delivery
    parcels_plan(ret=ret)
