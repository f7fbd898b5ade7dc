"""The refunds app listens to returns: money moves at the store's trigger, and a return is
resolved after inspection (or at once, on approval, when the customer keeps the item)."""

from rebox.core.outbox import outbox_handler
from rebox.refunds.resolution import return_pay, return_resolve, settings_for
from rebox.returns.models import Resolution, Return
from rebox.returns.states import ReturnStatus


def _return(event) -> Return | None:
    return Return.objects.filter(pk=event.subject_id, store_id=event.store_id).first()


@outbox_handler("return.approved")
def pay_on_approval(event) -> None:
    ret = _return(event)
    if ret is None or ret.status != ReturnStatus.APPROVED:
        return
    if ret.resolution == Resolution.KEEP_ITEM:
        return_resolve(ret=ret)
    elif settings_for(ret.store_id).refund_trigger == "approved":
        return_pay(ret=ret)


def _pay_at(trigger: str):
    def handler(event) -> None:
        ret = _return(event)
        if ret is not None and settings_for(ret.store_id).refund_trigger == trigger:
            return_pay(ret=ret)
    handler.__qualname__ = f"pay_on_{trigger}"
    return handler


outbox_handler("return.in_transit")(_pay_at("in_transit"))
outbox_handler("return.received")(_pay_at("received"))


@outbox_handler("return.inspected")
def resolve_after_inspection(event) -> None:
    ret = _return(event)
    if ret is not None and ret.status == ReturnStatus.INSPECTED and ret.resolution != Resolution.EXCHANGE:
        return_resolve(ret=ret)
