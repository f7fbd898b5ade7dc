"""The refunds app listens to returns: money moves at the store's trigger, and a return is
resolved after inspection (or at once, on approval, when the customer keeps the item).

Exchanges: stock is held on approval (and the replacement made at once for a trusted
customer when the store offers instant exchanges); it goes back when the return is
cancelled, declined or expired; after inspection the exchange becomes its new order.

Keep the item by the store's rule (``ResolutionSettings.keep_item_below_minor``): applied
when the return is approved, and already when ``return.requested`` is delivered if the
request was approved at once (the usual case for low-value lines), because that event is
delivered before ``return.approved``, whose shipping handler would plan a parcel for it.
"""

from rebox.core.outbox import outbox_handler
from rebox.refunds.exchanges import exchange_release, exchange_resolve
from rebox.refunds.instant import exchange_instant
from rebox.refunds.models import Exchange
from rebox.refunds.resolution import return_keep_item, return_pay, return_resolve, settings_for
from rebox.returns.models import Resolution, Return
from rebox.returns.states import ReturnStatus


def _return(event) -> Return | None:
    return Return.objects.filter(pk=event.subject_id, store_id=event.store_id).first()


@outbox_handler("return.requested")
def keep_item_when_approved_at_once(event) -> None:
    ret = _return(event)
    if ret is not None and ret.status == ReturnStatus.APPROVED:
        return_keep_item(ret=ret)


@outbox_handler("return.approved")
def pay_on_approval(event) -> None:
    ret = _return(event)
    if ret is None or ret.status != ReturnStatus.APPROVED:
        return
    if ret.resolution == Resolution.KEEP_ITEM:
        return_resolve(ret=ret)
    elif ret.resolution == Resolution.EXCHANGE:
        exchange_instant(ret=ret)
    elif return_keep_item(ret=ret) is None and settings_for(ret.store_id).refund_trigger == "approved":
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
    if ret is None or ret.status != ReturnStatus.INSPECTED:
        return
    if ret.resolution != Resolution.EXCHANGE:
        return_resolve(ret=ret)
    elif not Exchange.objects.filter(ret=ret, status=Exchange.Status.AWAITING_PAYMENT).exists():
        exchange_resolve(ret=ret)  # a difference still owed: the payment's confirmation resolves it


def _release_on(status: str):
    def handler(event) -> None:
        ret = _return(event)
        if ret is not None and ret.resolution == Resolution.EXCHANGE:
            exchange_release(ret=ret, why=f"the return was {status}")
    handler.__qualname__ = f"release_exchange_on_{status}"
    return handler


for _status in ("cancelled", "declined", "expired"):
    outbox_handler(f"return.{_status}")(_release_on(_status))
