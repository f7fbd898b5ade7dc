"""What staff read for a refund's stored codes and deadline states, in their language."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from rebox.refunds.deadlines import DUE_SOON, LATE, ON_TIME

REFUND_STATUS = {
    "pending": pgettext_lazy("refund", "Pending"),
    "processing": pgettext_lazy("refund", "Being paid"),
    "succeeded": pgettext_lazy("refund", "Paid back"),
    "failed": pgettext_lazy("refund", "Failed"),
}

DEADLINE_STATE = {
    ON_TIME: _("On time"),
    DUE_SOON: _("Due soon"),
    LATE: _("Late"),
}

GATEWAY = {
    "stripe": "Stripe",
    "manual": _("Paid another way"),
}

REFUND_ACTION = {
    "refund.created": _("Refund decided"),
    "refund.succeeded": _("Refund paid back"),
    "refund.failed": _("Refund failed"),
    "refund.retried": _("Refund retried by staff"),
}


def label(table: dict, code: str) -> str:
    return str(table.get(code, code))
