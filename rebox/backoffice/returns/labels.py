"""What staff read for a return's stored codes, in their language (the models keep English
labels for the API and the admin). An unknown code shows as the code itself."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from rebox.backoffice.labels import AUDIT_ACTION, label_for

RETURN_STATUS = {
    "requested": pgettext_lazy("return", "Requested"),
    "approved": pgettext_lazy("return", "Approved"),
    "declined": pgettext_lazy("return", "Declined"),
    "cancelled": pgettext_lazy("return", "Cancelled"),
    "expired": pgettext_lazy("return", "Expired"),
    "in_transit": pgettext_lazy("return", "On its way back"),
    "received": pgettext_lazy("return", "Received"),
    "inspected": pgettext_lazy("return", "Inspected"),
    "resolved": pgettext_lazy("return", "Resolved"),
    "closed": pgettext_lazy("return", "Closed"),
}

RESOLUTION = {
    "refund": _("Refund"),
    "exchange": _("Exchange"),
    "store_credit": _("Store credit"),
    "keep_item": _("Keep the item"),
}

METHOD = {
    "mail_label": _("Prepaid mail label"),
    "drop_off": _("Drop-off"),
    "courier_pickup": _("Courier pickup"),
}

CHANNEL = {
    "portal": _("Return portal"),
    "withdrawal": _("EU withdrawal function"),
    "api": "API",
    "backoffice": _("Back office"),
}

BASIS = {
    "change_of_mind": _("Change of mind"),
    "defect": _("Defect"),
    "goodwill": _("Goodwill"),
    "recall": _("Recall"),
}

RECEPTION = {
    "awaiting": _("Awaiting"),
    "received": pgettext_lazy("item", "Received"),
    "lost": _("Lost in transit"),
    "short": _("Fewer items than announced"),
    "wrong_item": _("Wrong item"),
    "unexpected": _("Unexpected extra item"),
}

ACCEPTANCE = {
    "pending": _("Not decided yet"),
    "accepted": _("Accepted"),
    "rejected": _("Rejected"),
    "partly": _("Partly accepted"),
}

PARCEL_STATUS = {
    "created": _("Not yet sent"),
    "in_transit": _("In transit"),
    "delivered": pgettext_lazy("parcel", "Delivered"),
}

LABEL_STATUS = {
    "pending": _("Waiting"),
    "purchasing": _("Being bought"),
    "ready": _("Ready"),
    "failed": _("Failed"),
}

RETURN_ACTION = {
    "return.requested": _("Return requested"),
    "return.approved": _("Return approved"),
    "return.declined": _("Return declined"),
    "return.cancelled": _("Return cancelled"),
    "return.expired": _("Return expired: not sent in time"),
    "return.in_transit": _("Return on its way back"),
    "return.received": _("Return received"),
    "return.inspected": _("Return inspected"),
    "return.resolved": _("Return resolved"),
    "return.closed": _("Return closed"),
    "return.info_requested": _("More information asked for"),
    "return.expiry_reminder": _("Customer reminded to send the return"),
}

AGE = {
    "overdue": _("Overdue"),
    "due_soon": _("Answer due within 24 hours"),
    "new": _("Asked in the last 24 hours"),
    "old": _("Asked more than 7 days ago"),
}


def action_label(action: str) -> str:
    if action in RETURN_ACTION:
        return str(RETURN_ACTION[action])
    return label_for("audit_action", action) if action in AUDIT_ACTION else action


def label(table: dict, code: str) -> str:
    return str(table.get(code, code))
