"""Tags of the refunds pages and of the money panel that the order and return pages include
(``backoffice/refunds/_money.html``): the data comes from here, so those pages' views need
not know about refunds."""

from __future__ import annotations

import logging
from datetime import date

from babel.dates import format_date
from django import template

from rebox.backoffice.refunds import labels
from rebox.backoffice.templatetags.backoffice import ui_locale
from rebox.refunds.models import Refund
from rebox.refunds.resolution import return_refund_plan
from rebox.refunds.selectors import order_money
from rebox.returns.models import Resolution

register = template.Library()
logger = logging.getLogger("rebox.backoffice")

# Before inspection the plan counts every announced unit as accepted: an estimate.
INSPECTED = ("inspected", "resolved", "closed")
WAITING_FOR_MONEY = ("approved", "in_transit", "received", "inspected")


@register.filter
def day(value: date | None) -> str:
    """A calendar date (no time, no zone) the way the UI language writes it."""
    return format_date(value, "medium", locale=ui_locale()) if value else ""


@register.filter
def refund_status(code: str) -> str:
    return labels.label(labels.REFUND_STATUS, code)


@register.filter
def deadline_state(code: str) -> str:
    return labels.label(labels.DEADLINE_STATE, code)


@register.simple_tag
def money_view(order):
    """Where the order's money went (``rebox.refunds.selectors.order_money``); None if it
    cannot be worked out (the panel says so rather than breaking the page)."""
    try:
        return order_money(order)
    except Exception:  # noqa: BLE001 - the page stays useful without the panel
        logger.exception("money view of order %s", order.pk)
        return None


@register.simple_tag
def refund_breakdown(ret):
    """The return's refund line by line, as the customer is told it; None for an exchange
    or when it cannot be worked out.

    ``return_refund_plan`` answers "what would this return pay now", counting earlier
    refunds against the payments: once the return itself is paid, its own refunds would
    look like earlier ones. So for a paid return the lines keep their value, deduction and
    fees, and the total is what was really given (refunds and credit); what it gave beyond
    the lines is the original delivery charge."""
    if ret is None or ret.resolution == Resolution.EXCHANGE:
        return None
    try:
        plan = return_refund_plan(ret)
        given = _given(ret)
    except Exception:  # noqa: BLE001
        logger.exception("refund breakdown of return %s", ret.number)
        return None
    by_id = {line.pk: line for line in ret.order.lines.all()}
    lines = [{"sku": by_id[item.line_id].sku, "title": by_id[item.line_id].title, "quantity": item.quantity,
              "value_minor": item.value_minor, "deduction_minor": item.deduction_minor,
              "fees_minor": item.fees_minor,
              "refund_minor": item.refund_minor if given is None else
              item.value_minor - item.deduction_minor - item.fees_minor}
             for item in plan.lines if item.line_id in by_id]
    if given is None:
        delivery, total, capped = plan.delivery_minor, plan.total_minor, plan.capped_by_captured
    else:
        owed = sum(line["refund_minor"] for line in lines)
        delivery, total, capped = max(0, given - owed), given, given < owed
    return {"lines": lines, "delivery_minor": delivery, "total_minor": total, "capped": capped,
            "estimate": given is None and ret.status not in INSPECTED}


def _given(ret) -> int | None:
    """What the return got back (refunds that stand or failed, and credit), None if nothing."""
    from rebox.refunds.models import CreditEntry

    refunds = list(Refund.objects.filter(ret=ret).values_list("amount_minor", flat=True))
    credit = list(CreditEntry.objects.filter(ret=ret, kind=CreditEntry.Kind.ISSUED)
                  .values_list("amount_minor", flat=True))
    if not refunds and not credit:
        return None
    return sum(refunds) + sum(credit)


@register.simple_tag
def refunds_of(order, ret=None):
    """The refunds of the return (or, without one, of the order), oldest first."""
    refunds = Refund.objects.filter(order=order).order_by("created_at", "pk")
    return list(refunds.filter(ret=ret) if ret else refunds)


@register.simple_tag
def return_deadline(ret):
    """The statutory refund deadline of a return still waiting for its money, else None."""
    from rebox.refunds.deadlines import OPEN_REFUND_STATUSES, return_refund_deadline
    from rebox.refunds.resolution import is_paid

    if ret is None or ret.resolution not in (Resolution.REFUND, Resolution.KEEP_ITEM):
        return None
    owed = Refund.objects.filter(ret=ret, status__in=OPEN_REFUND_STATUSES).exists() or (
        ret.status in WAITING_FOR_MONEY and not is_paid(ret))
    if not owed:
        return None
    try:
        return return_refund_deadline(ret)
    except Exception:  # noqa: BLE001
        logger.exception("refund deadline of return %s", ret.number)
        return None
