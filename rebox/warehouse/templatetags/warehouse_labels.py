"""Translated words for the codes the warehouse screens show (reception, acceptance ...)."""

from django import template
from django.utils.translation import gettext_lazy as _

from rebox.warehouse.forms import ACCEPTANCES, DISPOSITIONS, GRADES

register = template.Library()

LABELS = {
    "reception": {"awaiting": _("Awaiting"), "received": _("Received"), "lost": _("Lost in transit"),
                  "short": _("Short"), "wrong_item": _("Wrong item"),
                  "unexpected": _("Unexpected extra item")},
    "exception": {"lost": _("Lost in transit"), "short": _("Fewer items than announced"),
                  "wrong_item": _("Wrong item"), "unexpected": _("Unexpected extra item")},
    "acceptance": {"pending": _("Not inspected"), **dict(ACCEPTANCES)},
    "grade": dict(GRADES),
    "disposition": dict(DISPOSITIONS),
    "status": {"approved": _("Approved"), "in_transit": _("On its way back"), "received": _("Received"),
               "inspected": _("Inspected"), "resolved": _("Resolved"), "closed": _("Closed"),
               "requested": _("Requested"), "declined": _("Declined"), "cancelled": _("Cancelled"),
               "expired": _("Expired")},
}


@register.filter
def wlabel(code: str, table: str) -> str:
    return LABELS.get(table, {}).get(code, code)
